import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gunzipSync } from "zlib";

/**
 * `npm pack` yields a usable package: compiled JS and .d.ts only, installable from the tarball
 * into a scratch project next to the peer dependencies, which then type-checks and synthesizes.
 */
const root = path.resolve(__dirname, "../..");
const peers = ["cdktf", "constructs", "@cdktf/provider-aws"].map((name) => {
  const version = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies[name];
  return `${name}@${version}`;
});

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

describe("packed tarball", () => {
  let dir: string;
  let files: string[];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-pack-"));
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    files = info.files.map((f) => f.path);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true }));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", `./${info.filename}`, ...peers], { cwd: dir, stdio: "pipe" });
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
    fs.writeFileSync(path.join(dir, "main.ts"), scratchProgram);
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "--strict", "--esModuleInterop", "--skipLibCheck", "--module", "commonjs", "--target", "es2022", "main.ts"], { cwd: dir, stdio: "pipe" });
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
});
