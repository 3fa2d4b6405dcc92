import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleApp } from "../../examples/main";
import { checkStack, formatFinding, TerraformJson } from "../../lib/plan/policy/policy-pass";
import { runPolicy } from "../../lib/toolkit/policy";
import { synthForTerraform } from "../support/stacks";
import { SCENARIOS } from "../terraform/scenarios";

/**
 * The policy pass on the bundled examples (and the Terraform tier's scenarios), and its command.
 *
 * Findings that wait on other work are listed here by rule, so the test names them instead of
 * hiding them: the fleet's built-in echo rule duplicated by a published echo, and the
 * translators' all-IPv4 egress (issue 11 items 1-3). Anything else is a regression.
 */
const stacks = SCENARIOS.map((s) => [s.name, synthForTerraform(s.build, s.region) as TerraformJson] as const);

test.each(stacks)("%s: the policy pass finds nothing", (_name, json) => {
  expect(checkStack(json).map(formatFinding)).toEqual([]);
});

test("the reference topology without its AlarmNotifications is caught: health alarms notify nobody", () => {
  const json = synthForTerraform((scope) => {
    // The reference topology minus its AlarmNotifications: health alarms notify nobody.
    const { referenceTopology } = jest.requireActual("../../examples/reference") as typeof import("../../examples/reference");
    referenceTopology(scope);
    scope.node.tryRemoveChild("Alarms");
  }, "eu-north-1");
  const rules = new Set(checkStack(json as TerraformJson).map((f) => f.rule));
  expect(rules.has("AWS-ALARM-ACTIONS")).toBe(true);
});

describe("siit-dc policy", () => {
  let outdir: string;
  const lines: string[] = [];
  const errors: string[] = [];
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-test-"));
    exampleApp(outdir).synth();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  beforeEach(() => {
    lines.length = 0;
    errors.length = 0;
  });

  test("checks every stack of a synthesized app; exit 1 while findings remain, one line each", async () => {
    const status = await runPolicy([outdir], (l) => lines.push(l), (l) => errors.push(l));
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "reference", "cdk.tf.json"), "utf8")) as TerraformJson;
    const expected = checkStack(json);
    expect(lines[0]).toBe(`stack reference: ${expected.length} finding(s)`);
    expect(lines.slice(1)).toEqual(expected.map((f) => `  ${formatFinding(f)}`));
    expect(status).toBe(expected.length ? 1 : 0);
    expect(errors).toEqual([]);
  });

  test("--json gives the findings as data; a file path works like its directory", async () => {
    await runPolicy(["--json", path.join(outdir, "stacks", "reference", "cdk.tf.json")], (l) => lines.push(l), (l) => errors.push(l));
    const [result] = JSON.parse(lines.join("\n")) as { stack: string; findings: { rule: string; resource: string; why: string; fix: string }[] }[];
    expect(result.stack).toBe("reference");
    for (const f of result.findings) expect(Object.keys(f).sort()).toEqual(["fix", "resource", "rule", "why"]);
  });

  test("a clean stack exits 0; a missing path or an unknown option exits 2", async () => {
    const clean = path.join(outdir, "clean.tf.json");
    fs.writeFileSync(clean, JSON.stringify({ resource: { aws_vpc: { v: {} }, aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}" } } } }));
    expect(await runPolicy([clean], (l) => lines.push(l), (l) => errors.push(l))).toBe(0);
    expect(lines).toEqual(["stack " + path.basename(outdir) + ": 0 finding(s)"]);
    expect(await runPolicy([path.join(outdir, "nowhere")], (l) => lines.push(l), (l) => errors.push(l))).toBe(2);
    expect(await runPolicy(["--strict"], (l) => lines.push(l), (l) => errors.push(l))).toBe(2);
    expect(errors.length).toBe(2);
  });

  test("without a path it synthesizes the bundled examples into a scratch directory, checks them and removes it", async () => {
    let scratch = "";
    const status = await runPolicy([], (l) => lines.push(l), (l) => errors.push(l), async (d) => {
      scratch = d;
      exampleApp(d).synth();
      return true;
    });
    expect(lines[0]).toMatch(/^stack reference: \d+ finding\(s\)$/);
    expect(status).toBe(lines.length > 1 ? 1 : 0);
    expect(fs.existsSync(scratch)).toBe(false);
  });

  test("--rules prints every rule with what it re-implements and its exceptions", async () => {
    expect(await runPolicy(["--rules"], (l) => lines.push(l), (l) => errors.push(l))).toBe(0);
    expect(lines.join("\n")).toContain("| `SIIT-SG-DUPLICATE-RULE` |");
  });
});
