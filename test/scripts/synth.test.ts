import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exampleApp } from "../../examples/main";
import { Annotations, App, TerraformStack } from "../../lib/cdktf";
import { Ipv6OnlyVpc, RouteTarget, SiitDcTranslators } from "../../lib";
import { runSynth } from "../../scripts/synth";

/** `npm run synth`: summary on success, construct errors and a non-zero exit on failure. */
describe("npm run synth", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-synth-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(buildApp: (outdir: string) => App): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const code = runSynth(buildApp, path.join(dir, "out"), (l) => out.push(l), (l) => err.push(l));
    return { code, out, err };
  }

  test("the bundled examples synthesize with a summary and no credentials", () => {
    const r = run(exampleApp);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^stack reference: \d+ resources -> /);
    // Four VPC subnets and the image build network's one.
    expect(r.out).toContainEqual(expect.stringMatching(/^\s+5\s+aws_subnet$/));
    // The reference topology has 7 EIPs: the quota warning is expected and printed.
    expect(r.out).toContainEqual(expect.stringMatching(/^  WARN \[reference\] this stack allocates 7 Elastic IP addresses/));
    expect(r.out.at(-1)).toMatch(/stack\(s\) synthesized, 1 warning\(s\)\.$/);
    expect(r.out).toContainEqual(expect.stringMatching(/^packet paths of stack reference -> .*siit-dc-paths\.md$/));
    expect(fs.existsSync(path.join(dir, "out", "stacks", "reference", "cdk.tf.json"))).toBe(true);
  });

  test("warnings are listed with their construct path", () => {
    const r = run((outdir) => {
      const app = exampleApp(outdir);
      Annotations.of(app.node.findChild("reference")).addWarning("example warning");
      return app;
    });
    expect(r.code).toBe(0);
    expect(r.out).toContainEqual("  WARN [reference] example warning");
    expect(r.out.at(-1)).toMatch(/2 warning\(s\)\.$/);
  });

  test("construct errors fail the run and are printed", () => {
    const r = run((outdir) => {
      const app = new App({ outdir });
      new Ipv6OnlyVpc(new TerraformStack(app, "broken"), "Net", { availabilityZones: ["eu-north-1a", "eu-north-1a"] });
      return app;
    });
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/Synthesis failed:\nbroken\/Net: availabilityZones\[1\] = "eu-north-1a": is listed twice/);
  });

  test("whole-app validation errors fail the run too", () => {
    const r = run((outdir) => {
      const app = exampleApp(outdir);
      const stack = app.node.findChild("reference");
      const edge = stack.node.findChild("Edge") as SiitDcTranslators;
      (stack.node.findChild("Net") as Ipv6OnlyVpc).edgeSubnet("eu-north-1a").addIpv6Route("Loop", "2001:db8:ffff::/48", RouteTarget.networkInterface(edge.translator("eu-north-1a").networkInterface.id));
      return app;
    });
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/the edge route table of translator a0 routes to the translator itself/);
  });
});
