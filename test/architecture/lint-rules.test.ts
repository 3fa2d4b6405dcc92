import { spawnSync } from "child_process";
import * as path from "path";

/**
 * The lint step of `npm test` enforces the architecture. These tests show that each rule bites,
 * so a broken config cannot pass silently.
 */
const root = path.resolve(__dirname, "../..");

/** A sample file: its text, and where it would live (the rules depend on the path). */
interface Sample {
  readonly code: string;
  readonly filePath: string;
}
const importing = (symbol: string, from: string, filePath: string): Sample => ({ code: `import { ${symbol} } from "${from}";\nexport const x = ${symbol};\n`, filePath });

const SAMPLES = {
  barrel: importing("Vpc", ["@cdktf", "provider-aws"].join("/"), "lib/constructs/network/x.ts"),
  deep: importing("Vpc", "@cdktf/provider-aws/lib/vpc", "lib/constructs/network/x.ts"),
  coreInConstruct: importing("Fn", "cdktf", "lib/constructs/network/x.ts"),
  coreInCdktfModule: importing("Fn", "cdktf", "lib/cdktf.ts"),
  constructsInLabModel: importing("Construct", "constructs", "lib/lab/model/x.ts"),
  cdktfInLabModel: importing("Token", "../../cdktf", "lib/lab/model/x.ts"),
  cdktfInLabRunner: importing("Token", "../cdktf", "lib/lab/extract.ts"),
  commandInPlan: importing("main", "../../toolkit/cli", "lib/plan/report/x.ts"),
  testingKitInPlan: importing("serviceExposure", "../../testing", "lib/plan/report/x.ts"),
  planInCommand: importing("addressReport", "../plan/report/address-report", "lib/toolkit/x.ts"),
  cdktfInPlan: importing("Fn", "../../cdktf", "lib/plan/address/x.ts"),
  constructsInPlan: importing("Construct", "constructs", "lib/plan/x.ts"),
  constructInPlan: importing("Ipv6OnlyVpc", "../constructs/network/ipv6-only-vpc", "lib/plan/x.ts"),
};

/**
 * ESLint's own API with the repository's config lints every sample, as `npm run lint` lints
 * files, in one child process: the config is an ES module, which jest cannot load, and one
 * process instead of one per sample saves about 1.5 s each.
 */
let linted: Record<keyof typeof SAMPLES, string[]> | undefined;
function messagesFor(sample: keyof typeof SAMPLES): string[] {
  if (!linted) {
    const script = `
      import { ESLint } from "eslint";
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = {};
      for (const [name, { code, filePath }] of Object.entries(JSON.parse(process.env.SAMPLES))) {
        const [result] = await eslint.lintText(code, { filePath });
        out[name] = result.messages.map((m) => m.ruleId + ": " + m.message);
      }
      process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, env: { ...process.env, SAMPLES: JSON.stringify(SAMPLES) }, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`eslint failed: ${r.stderr}`);
    linted = JSON.parse(r.stdout) as Record<keyof typeof SAMPLES, string[]>;
  }
  return linted[sample];
}

test("a barrel import of the provider fails", () => {
  expect(messagesFor("barrel")).toEqual([expect.stringMatching(/no-restricted-imports: .*deep path/)]);
});

test("a deep provider import passes", () => {
  expect(messagesFor("deep")).toEqual([]);
});

test("core cdktf symbols only through lib/cdktf.ts", () => {
  expect(messagesFor("coreInConstruct")).toEqual([expect.stringMatching(/through lib\/cdktf\.ts/)]);
  expect(messagesFor("coreInCdktfModule")).toEqual([]);
});

test("the lab's pure model imports neither cdktf nor constructs; its runner may", () => {
  expect(messagesFor("constructsInLabModel")).toEqual([expect.stringMatching(/knows nothing of constructs/)]);
  expect(messagesFor("cdktfInLabModel")).toEqual([expect.stringMatching(/constructs call the plan/)]);
  expect(messagesFor("cdktfInLabRunner")).toEqual([]);
});

test("the planning core imports neither the command nor the testing kit; the command may import the plan", () => {
  expect(messagesFor("commandInPlan")).toEqual([expect.stringMatching(/command and the testing kit use the plan/)]);
  expect(messagesFor("testingKitInPlan")).toEqual([expect.stringMatching(/command and the testing kit use the plan/)]);
  expect(messagesFor("planInCommand")).toEqual([]);
});

test("the planning core imports neither cdktf nor constructs", () => {
  expect(messagesFor("cdktfInPlan")).toEqual([expect.stringMatching(/constructs call the plan/)]);
  expect(messagesFor("constructsInPlan")).toEqual([expect.stringMatching(/knows nothing of constructs/)]);
  expect(messagesFor("constructInPlan")).toEqual([expect.stringMatching(/constructs call the plan/)]);
});
