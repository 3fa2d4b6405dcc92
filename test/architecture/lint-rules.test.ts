import { spawnSync } from "child_process";
import * as path from "path";

/**
 * The lint step of `npm test` enforces the architecture. These tests show that each rule bites,
 * so a broken config cannot pass silently.
 */
const root = path.resolve(__dirname, "../..");

// The ESLint CLI, as `npm run lint` runs it (its config is an ES module, which jest cannot load).
async function messagesFor(code: string, filePath: string): Promise<string[]> {
  const eslint = path.join(root, "node_modules", "eslint", "bin", "eslint.js");
  const r = spawnSync(process.execPath, [eslint, "--format", "json", "--stdin", "--stdin-filename", filePath], { cwd: root, input: code, encoding: "utf8" });
  const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string; message: string }[] }[];
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test("a barrel import of the provider fails", async () => {
  const barrel = ["@cdktf", "provider-aws"].join("/");
  expect(await messagesFor(`import { Vpc } from "${barrel}";\nexport const x = Vpc;\n`, "lib/constructs/network/x.ts")).toEqual([
    expect.stringMatching(/no-restricted-imports: .*deep path/),
  ]);
});

test("a deep provider import passes", async () => {
  expect(await messagesFor('import { Vpc } from "@cdktf/provider-aws/lib/vpc";\nexport const x = Vpc;\n', "lib/constructs/network/x.ts")).toEqual([]);
});

test("core cdktf symbols only through lib/cdktf.ts", async () => {
  expect(await messagesFor('import { Fn } from "cdktf";\nexport const x = Fn;\n', "lib/constructs/network/x.ts")).toEqual([expect.stringMatching(/through lib\/cdktf\.ts/)]);
  expect(await messagesFor('import { Fn } from "cdktf";\nexport const x = Fn;\n', "lib/cdktf.ts")).toEqual([]);
});

test("the lab's pure model imports neither cdktf nor constructs; its runner may", async () => {
  expect(await messagesFor('import { Construct } from "constructs";\nexport const x = Construct;\n', "lib/lab/model/x.ts")).toEqual([expect.stringMatching(/knows nothing of constructs/)]);
  expect(await messagesFor('import { Token } from "../../cdktf";\nexport const x = Token;\n', "lib/lab/model/x.ts")).toEqual([expect.stringMatching(/constructs call the plan/)]);
  expect(await messagesFor('import { Token } from "../cdktf";\nexport const x = Token;\n', "lib/lab/extract.ts")).toEqual([]);
});

test("the planning core imports neither the command nor the testing kit; the command may import the plan", async () => {
  expect(await messagesFor('import { main } from "../../toolkit/cli";\nexport const x = main;\n', "lib/plan/report/x.ts")).toEqual([expect.stringMatching(/command and the testing kit use the plan/)]);
  expect(await messagesFor('import { serviceExposure } from "../../testing";\nexport const x = serviceExposure;\n', "lib/plan/report/x.ts")).toEqual([expect.stringMatching(/command and the testing kit use the plan/)]);
  expect(await messagesFor('import { addressReport } from "../plan/report/address-report";\nexport const x = addressReport;\n', "lib/toolkit/x.ts")).toEqual([]);
});

test("the planning core imports neither cdktf nor constructs", async () => {
  expect(await messagesFor('import { Fn } from "../../cdktf";\nexport const x = Fn;\n', "lib/plan/address/x.ts")).toEqual([expect.stringMatching(/constructs call the plan/)]);
  expect(await messagesFor('import { Construct } from "constructs";\nexport const x = Construct;\n', "lib/plan/x.ts")).toEqual([expect.stringMatching(/knows nothing of constructs/)]);
  expect(await messagesFor('import { Ipv6OnlyVpc } from "../constructs/network/ipv6-only-vpc";\nexport const x = Ipv6OnlyVpc;\n', "lib/plan/x.ts")).toEqual([
    expect.stringMatching(/constructs call the plan/),
  ]);
});
