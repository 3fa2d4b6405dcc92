import * as fs from "fs";
import * as path from "path";
import { EXAMPLE_STACKS } from "../../examples";
import { USER_DATA_LIMIT_BYTES } from "../../lib/plan/boot/user-data";
import { cloudInitSchema, scriptsInCloudConfig, shellcheck, userDataOf } from "../support/artefacts";
import { synthJson } from "../support/stacks";
import { commandsTier } from "../support/tiers";

/**
 * Generated boot artefacts checked with the real tools: every cloud-config part of every
 * launch template of every example passes `cloud-init schema`, every script passes shellcheck.
 */
const tier = commandsTier("boot artefacts", ["cloud-init", "shellcheck"], "install the Debian packages cloud-init and shellcheck (.ci/run does)");

const userData = EXAMPLE_STACKS.flatMap((example) => userDataOf(synthJson(example.build)).map((u) => ({ ...u, example: example.name })));
const cloudConfigs = userData.flatMap((u) => u.parts.filter((p) => p.contentType === "text/cloud-config").map((p) => ({ name: `${u.example} ${u.template} ${p.filename}`, content: p.content })));
const scripts = [
  ...cloudConfigs.flatMap((c) => scriptsInCloudConfig(c.content).map((s) => ({ name: `${c.name} ${s.path}`, content: s.content }))),
  ...userData.flatMap((u) => u.parts.filter((p) => p.contentType === "text/x-shellscript").map((p) => ({ name: `${u.example} ${u.template} ${p.filename}`, content: p.content }))),
];
const shipped = fs
  .readdirSync(path.resolve(__dirname, "../../lib/plan/boot/scripts"))
  .filter((f) => f.endsWith(".sh"))
  .map((f) => ({ name: `lib/plan/boot/scripts/${f}`, content: fs.readFileSync(path.resolve(__dirname, "../../lib/plan/boot/scripts", f), "utf8") }));

test("the examples have user data to check", () => {
  expect(cloudConfigs.length).toBeGreaterThan(0);
  expect(scripts.length).toBeGreaterThan(0);
});

test.each(userData.map((u) => [`${u.example} ${u.template}`, u.bytes] as const))("%s user data fits EC2's 16 KB as delivered", (_name, bytes) => {
  expect(bytes).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
});

tier("cloud-init schema", () => {
  test.each(cloudConfigs.map((c) => [c.name, c.content] as const))("%s", (_name, content) => {
    const r = cloudInitSchema(content);
    expect(r.output).toContain("Valid cloud-config");
    expect(r.status).toBe(0);
  });

  test("the checker itself rejects a broken document", () => {
    expect(cloudInitSchema("#cloud-config\nwrite_files: 7\n").status).not.toBe(0);
  });
});

tier("shellcheck", () => {
  test.each([...scripts, ...shipped].map((s) => [s.name, s.content] as const))("%s", (_name, content) => {
    const r = shellcheck(content);
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });

  test("the checker itself flags a broken script", () => {
    expect(shellcheck('#!/bin/sh\nrm -rf $1/*\n').status).not.toBe(0);
  });
});
