import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gunzipSync } from "zlib";

/**
 * `npm pack` yields a usable package: compiled JS and .d.ts only, installable offline (from the
 * tarball, its dependencies and the peers from the npm cache that this repository's `npm ci`
 * filled) into a scratch project, which then type-checks and synthesizes; its command runs there
 * on the scratch app, and the testing kit works from its subpath export.
 */
const root = path.resolve(__dirname, "../..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
// The package's dependencies and peers, linked from this repository's node_modules (which `npm ci`
// filled from the lockfile): the install needs no registry, and npm checks each version against
// the tarball's package.json. The package itself is extracted, so its requires see only these.
const linked = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)].map((name) => path.join(root, "node_modules", name));

const scratchProgram = `
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";
import { Ipv6OnlyVpc, Ipv6ServerFleet, JoolImage, Nat64Provider, OutboundNat64, Port, ServerIpv6Internet, SiitDcTranslators } from "cdktf-siit-dc";

const app = new App({ outdir: "cdktf.out" });
const stack = new TerraformStack(app, "scratch");
new AwsProvider(stack, "aws", { region: "eu-north-1" });
const vpc = new Ipv6OnlyVpc(stack, "Net", {
  availabilityZones: ["eu-north-1a", "eu-north-1b"],
  serverIpv6Internet: ServerIpv6Internet.OUTBOUND_ONLY,
});
const web = new Ipv6ServerFleet(stack, "Web", { vpc, servers: 2, instanceType: "t4g.small" });
const image = new JoolImage(stack, "JoolImage");
const edge = new SiitDcTranslators(stack, "Edge", { vpc, image: image.machineImage() });
// The VPC is OUTBOUND_ONLY, so IPv6 clients cannot reach servers: the service says so.
edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)], ipv6Internet: false });
new OutboundNat64(stack, "Outbound", { vpc, provider: Nat64Provider.joolInstance({ image: image.machineImage() }) });
app.synth();
`;

const kitTest = `
import { addressPlanSnapshot, assertServiceExposure, validateAddressPlan } from "cdktf-siit-dc/testing";
import { stack } from "./build";

const fail = (what: string): never => {
  throw new Error(what);
};
const plan = addressPlanSnapshot(stack);
if (validateAddressPlan(plan).length) fail(validateAddressPlan(plan).join("; "));
const addresses = JSON.stringify(plan.translatorSets[0].services.map((s) => s.addresses.map((a) => a.privateIpv4)));
if (addresses !== '[["10.0.0.65","10.0.16.65"]]') fail(addresses);
assertServiceExposure(stack, "www", { ipv4: { ports: ["tcp/443"], zones: ["eu-north-1a", "eu-north-1b"] } });
let message = "";
try {
  assertServiceExposure(stack, "www", { ipv4: { ports: ["tcp/443"], zones: ["eu-north-1a"] } });
} catch (e) {
  message = (e as Error).message;
}
if (!message.includes("via zones [eu-north-1a, eu-north-1b], expected [eu-north-1a]")) fail("wrong expectation not caught: " + message);
console.log("kit ok");
`;

/** Runs the package's command in the scratch project, as a user would (npx, offline). */
function npx(dir: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync("npx", ["--offline", "--no-install", "siit-dc", ...args], { cwd: dir, encoding: "utf8" });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("packed tarball", () => {
  let dir: string;
  const tsc = (...files: string[]) =>
    execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "--strict", "--esModuleInterop", "--skipLibCheck", "--module", "commonjs", "--target", "es2022", ...files], {
      cwd: dir,
      stdio: "pipe",
    });
  let files: string[];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-pack-"));
    // dist/ is what `npm test` (and test:fast) built before jest; prepack's own build would
    // rewrite it while other files of the run use it, and costs 5 s.
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    files = info.files.map((f) => f.path);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", `./${info.filename}`, ...linked], { cwd: dir, stdio: "pipe" });
    fs.writeFileSync(path.join(dir, "main.ts"), scratchProgram);
    tsc("main.ts");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("holds compiled JS and declarations, no sources, tests or examples", () => {
    expect(files).toContain("dist/lib/index.js");
    expect(files).toContain("dist/lib/index.d.ts");
    expect(files.filter((f) => !/^dist\/lib\//.test(f) && !["package.json", "README.md"].includes(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files).toContain("dist/lib/plan/boot/scripts/ssm-agent-setup.sh");
  });

  test("type-checks and synthesizes a stack in a scratch project", () => {
    execFileSync(process.execPath, ["main.js"], { cwd: dir, stdio: "pipe" });
    const synth = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "scratch", "cdk.tf.json"), "utf8")) as { resource: Record<string, object> };
    // Four VPC subnets; the JoolImage's build network has its own.
    expect(Object.keys(synth.resource.aws_subnet).filter((n) => n.startsWith("Net_"))).toHaveLength(4);
    expect(Object.keys(synth.resource.aws_subnet).filter((n) => n.startsWith("JoolImage_BuildNetwork_"))).toHaveLength(1);
    expect(Object.keys(synth.resource.aws_egress_only_internet_gateway)).toHaveLength(1);
    // The scripts ship in the package: user data and the image component embed them.
    const templates = Object.values(synth.resource.aws_launch_template) as { user_data: string }[];
    const texts = templates.map((lt) => {
      const bytes = Buffer.from(lt.user_data, "base64");
      return (bytes[0] === 0x1f ? gunzipSync(bytes) : bytes).toString();
    });
    expect(texts.every((t) => t.includes("UseDualStackEndpoint"))).toBe(true);
    expect(texts.some((t) => t.includes("siit-dc-jool-agent"))).toBe(true);
    const [component] = Object.values(synth.resource.aws_imagebuilder_component) as { data: string }[];
    expect(component.data).toContain("JoolInstanceRoundTrip");
  });

  describe("npx siit-dc in the scratch project (the app synthesizes itself when loaded)", () => {
    test("synth: stacks, resource counts and the app's warnings; exit 0", () => {
      const r = npx(dir, "synth", "--app", "main.js", "--out", "out");
      expect(r.code).toBe(0);
      // The app sets its own outdir: the command says so, and reads it there.
      expect(r.stderr).toMatch(/the app writes to cdktf\.out, not to --out out/);
      expect(r.stdout).toMatch(/^stack scratch: \d+ resources -> cdktf\.out\/stacks\/scratch\/cdk\.tf\.json$/m);
      expect(r.stdout).toMatch(/^packet paths of stack scratch -> /m);
      expect(r.stderr).toMatch(/^siit-dc: loading the app main\.js \.\.\.$/m);
    });

    test("report --json: the address plan of the scratch app", () => {
      const r = npx(dir, "report", "--app", "main.js", "--json", "--stack", "scratch");
      expect(r.code).toBe(0);
      const plan = JSON.parse(r.stdout) as { translatorSets: { services: { name: string; ports: string[] }[] }[] };
      expect(plan.translatorSets[0].services.map((s) => [s.name, s.ports])).toEqual([["www", ["tcp/443"]]]);
    });

    test("diagram: an SVG (and a PNG where rsvg-convert is installed)", () => {
      const r = npx(dir, "diagram", "--app", "main.js", "--out", "pictures");
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(dir, "pictures", "scratch.topology.svg"), "utf8")).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    });

    test("cost: the estimate with its price source and date", () => {
      const r = npx(dir, "cost", "--app", "main.js", "--outbound-gb", "100");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Prices: us-east-1, on-demand list prices of \d{4}-\d{2}-\d{2}/m);
      expect(r.stdout).toContain("| NAT gateways, dual-stack servers |");
    });

    test("lab --print finds the installed package's constructs (brands, not instanceof), also from this checkout's command", () => {
      const r = npx(dir, "lab", "--app", "main.js", "--print");
      expect(r.stderr).not.toMatch(/has no Ipv6OnlyVpc/);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^SIIT-DC packet lab: stack scratch$/m);
      // Two copies of the package: the checkout's command on the app built with the installed one.
      const cross = spawnSync(process.execPath, [path.join(root, "dist", "lib", "toolkit", "cli.js"), "lab", "--app", "main.js", "--print"], { cwd: dir, encoding: "utf8" });
      expect(cross.stderr).not.toMatch(/has no Ipv6OnlyVpc/);
      expect(cross.status).toBe(0);
    });

    test("lab: real packets through the scratch app's data plane, where root and tayga are available", () => {
      const r = npx(dir, "lab", "--app", "main.js");
      if (r.code === 2 && /root|missing|not found/i.test(r.stderr)) {
        // The lab needs root, network namespaces, tayga and nftables: say so rather than pass.
        console.warn(`packet lab not run here: ${r.stderr.trim()}`);
        expect(process.getuid?.()).not.toBe(0);
        return;
      }
      expect(`${r.stdout}\n${r.stderr}`).toMatch(/PACKET LAB PASSED/);
      expect(r.code).toBe(0);
    });
  });

  test("the testing kit from its subpath export type-checks and runs in the scratch project", () => {
    fs.writeFileSync(
      path.join(dir, "build.ts"),
      scratchProgram.replace('const app = new App({ outdir: "cdktf.out" });', 'const app = new App({ outdir: "kit.out" });').replace("app.synth();", "export { stack };"),
    );
    fs.writeFileSync(path.join(dir, "kit.ts"), kitTest);
    tsc("build.ts", "kit.ts");
    expect(execFileSync(process.execPath, ["kit.js"], { cwd: dir, encoding: "utf8" })).toBe("kit ok\n");
  });
});
