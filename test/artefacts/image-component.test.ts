import { parse } from "yaml";
import { EXAMPLE_STACKS } from "../../examples";
import { JOOL_RELEASES } from "../../lib/plan/images/jool-image-plan";
import { shellcheck } from "../support/artefacts";
import { synthJson } from "../support/stacks";
import { commandsTier } from "../support/tiers";

/**
 * The EC2 Image Builder component of the baked Jool image: a valid component document (AWS
 * TOE schema 1.0: phases of named steps with an action and inputs), a test phase that exercises
 * Jool, and scripts that pass shellcheck.
 */
interface Step {
  name: string;
  action: string;
  timeoutSeconds?: number;
  inputs: { commands: string[] };
}
interface ComponentDocument {
  name: string;
  schemaVersion: number | string;
  phases: { name: string; steps: Step[] }[];
}

// Terraform unescapes $${ to ${ when it reads the configuration.
const documents = EXAMPLE_STACKS.flatMap((e) =>
  Object.values(synthJson(e.build).resource.aws_imagebuilder_component ?? {}).map((c) => String(c.data).replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")),
);

test("the bundled example builds a Jool image", () => {
  expect(documents).toHaveLength(1);
});

describe.each(documents.map((d, i) => [i, d] as const))("component document %i", (_i, text) => {
  const doc = parse(text) as ComponentDocument;

  test("follows the component schema: version 1.0, known phases, named steps with an action and commands", () => {
    expect(Number(doc.schemaVersion)).toBe(1);
    expect(doc.phases.map((p) => p.name)).toEqual(["build", "test"]);
    for (const phase of doc.phases) {
      expect(phase.steps.length).toBeGreaterThan(0);
      expect(new Set(phase.steps.map((s) => s.name)).size).toBe(phase.steps.length);
      for (const step of phase.steps) {
        expect(step.name).toMatch(/^[A-Za-z][A-Za-z0-9]+$/);
        expect(step.action).toBe("ExecuteBash");
        expect(step.inputs.commands.every((c) => typeof c === "string" && c.length > 0)).toBe(true);
      }
    }
  });

  test("builds a pinned Jool commit and its test phase creates and removes a throwaway instance", () => {
    const build = doc.phases[0].steps[0].inputs.commands.join("\n");
    const [version, release] = Object.entries(JOOL_RELEASES).find(([, r]) => build.includes(r.commit))!;
    expect(build).toContain(`JOOL_VERSION=${version}`);
    expect(build).toContain(`JOOL_COMMIT=${release.commit}`);
    expect(build).toMatch(/rev-parse HEAD/);
    const test = doc.phases[1].steps[0].inputs.commands.join("\n");
    expect(test).toMatch(/jool_siit instance add siit-dc-test --netfilter --pool6 64:ff9b:1::\/96/);
    expect(test).toMatch(/jool_siit instance remove siit-dc-test/);
    expect(test).toMatch(/jool instance add nat64-test --netfilter --pool6 64:ff9b::\/96/);
    // Invariant 14: module and tools of one version, on the kernel the module was built for.
    expect(test).toMatch(/modinfo -F version "\$module"/);
    expect(test).toMatch(/jool_siit --version \| grep -q "\$expected"/);
    expect(test).toMatch(/"\$\(uname -r\)" != "\$kernel"/);
    expect(build).toMatch(/apt-mark hold linux-aws/);
  });

  commandsTier("image component scripts", ["shellcheck"], "install the Debian package shellcheck")("shellcheck", () => {
    test.each(doc.phases.flatMap((p) => p.steps.map((s) => [`${p.name}/${s.name}`, s.inputs.commands.join("\n")] as const)))("%s", (_name, script) => {
      const r = shellcheck(script.startsWith("#!") ? script : `#!/bin/bash\n${script}`);
      expect(r.output).toBe("");
      expect(r.status).toBe(0);
    });
  });
});
