import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as ts from "typescript";

/**
 * The README's TypeScript blocks are files of this repository, character for character but for the
 * import specifiers (a user imports "cdktf" and "cdktf-siit-dc"; inside the repository the same
 * symbols come from lib/cdktf.ts and lib/index.ts): the quick start is examples/quick-start.ts,
 * the testing guide is test/docs/testing-guide.test.ts (which jest runs). Both are type-checked
 * here (jest's ts-jest only transpiles), and the quick start is run: the stack it synthesizes holds
 * what the README says it does.
 */
const root = join(__dirname, "..", "..");
const examplePath = join(root, "examples", "quick-start.ts");
const testingGuidePath = join(root, "test", "docs", "testing-guide.test.ts");

/** The README's ```ts blocks, in order. */
function readmeBlocks(): string[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** A repository file as the README shows it: package import specifiers, no README-only comments. */
function asUserSees(path: string): string {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("// README"))
    .join("\n")
    .replace(/from "(\.\.\/)+lib\/cdktf";/g, 'from "cdktf";')
    .replace(/from "(\.\.\/)+lib";/g, 'from "cdktf-siit-dc";');
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe("README quick start (examples/quick-start.ts)", () => {
  let out: string;
  let resources: Resources;
  let warnings: string[];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "siit-dc-quick-start-"));
    const before = process.env.CDKTF_OUTDIR;
    // The example is a program: importing it runs `app.synth()`, into CDKTF_OUTDIR.
    process.env.CDKTF_OUTDIR = out;
    try {
      await jest.isolateModulesAsync(async () => {
        await import("../../examples/quick-start");
      });
    } finally {
      if (before === undefined) delete process.env.CDKTF_OUTDIR;
      else process.env.CDKTF_OUTDIR = before;
    }
    resources = JSON.parse(readFileSync(join(out, "stacks", "shop", "cdk.tf.json"), "utf8")).resource;
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    warnings = (manifest.stacks.shop.annotations ?? []).filter((a: { level: string }) => a.level === "@cdktf/warn").map((a: { message: string }) => a.message);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test("the README's TypeScript blocks are the quick start and the testing guide, as a user imports them", () => {
    expect(readmeBlocks()).toEqual([asUserSees(examplePath), asUserSees(testingGuidePath)]);
    expect(asUserSees(examplePath).split("\n").filter((l) => l.trim() !== "").length).toBeLessThanOrEqual(18);
  });

  test("both type-check under the project's compiler options", () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    const program = ts.createProgram([examplePath, testingGuidePath], { ...config!.options, noEmit: true });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);
  });

  test("it synthesizes the whole topology: VPC, NAT64 with DNS64, fleet, two translators, two services with DNS", () => {
    const count = (type: string) => Object.keys(resources[type] ?? {}).length;
    expect(count("aws_vpc")).toBe(1);
    const subnets = Object.values(resources.aws_subnet);
    expect(subnets.filter((s) => s.ipv6_native === true)).toHaveLength(2);
    expect(subnets.filter((s) => s.ipv6_native === false)).toHaveLength(2);
    // NAT64 per zone, and DNS64 exactly on the server subnets that route 64:ff9b::/96 to it.
    expect(count("aws_nat_gateway")).toBe(2);
    expect(subnets.filter((s) => s.enable_dns64 === true)).toHaveLength(2);
    expect(Object.values(resources.aws_route).filter((r) => r.destination_ipv6_cidr_block === "64:ff9b::/96" && r.nat_gateway_id)).toHaveLength(2);
    // Each translator's /96 routed back to it from both server route tables (invariant 3).
    const translatorRoutes = Object.values(resources.aws_route).filter((r) => String(r.destination_ipv6_cidr_block).startsWith("64:ff9b:1:"));
    expect(translatorRoutes.map((r) => r.destination_ipv6_cidr_block).sort()).toEqual(["64:ff9b:1:1::/96", "64:ff9b:1:1::/96", "64:ff9b:1::/96", "64:ff9b:1::/96"]);
    // Two web servers and two translators; two service addresses per service (one per zone) and two NAT gateway EIPs.
    expect(count("aws_instance")).toBe(4);
    expect(count("aws_eip")).toBe(6);
    expect(count("aws_eip_association")).toBe(4);
    const records = Object.values(resources.aws_route53_record);
    expect(records.filter((r) => r.type === "A").map((r) => r.name).sort()).toEqual(["api.example.com", "api.example.com", "www.example.com", "www.example.com"]);
    expect(records.filter((r) => r.type === "AAAA").map((r) => r.name).sort()).toEqual(["api.example.com", "www.example.com"]);
    expect(count("aws_route53_health_check")).toBe(4);
    expect(count("aws_sns_topic")).toBe(1);
  });

  test("synth warns only about the EIP quota, as the README says", () => {
    expect(warnings).toEqual([expect.stringMatching(/^this stack allocates 6 Elastic IP addresses; the default quota is 5 per region/)]);
  });
});
