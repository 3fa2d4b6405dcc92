import Ajv from "ajv";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import schema from "../../lib/plan/report/address-report.schema.json";
import { main } from "../../lib/toolkit/cli";

/**
 * `siit-dc` on the bundled examples and on fixture app modules (test/fixtures/apps), through the
 * command's own entry point: how it finds the app, what each command prints, exit statuses.
 */
const root = path.resolve(__dirname, "../..");
const examples = path.join(root, "examples/main.ts");
const fixture = (name: string) => path.join(__dirname, "../fixtures/apps", `${name}.ts`);

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-cli-"))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[]; progress: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), progress: (l) => progress.push(l) });
  return { code, out, err, progress };
}

describe("synth", () => {
  test("the teams example in one app: both stacks, the deploy order, and what the platform must apply first", async () => {
    const r = await run("synth", "--app", path.join(root, "examples/teams/app.ts"), "--out", path.join(dir, "out"));
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => l.startsWith("stack "))).toEqual([expect.stringMatching(/^stack platform: /), expect.stringMatching(/^stack team-payments: /)]);
    expect(r.out).toContainEqual("deploy order (a stack reads the state of those before it): platform, team-payments (after platform)");
    expect(r.out).toContainEqual(expect.stringMatching(/^ {2}INFO \[team-payments\/Payments\] deploy order: apply the platform stack platform first; it must have applied team payments \(its \/28 prefixes 10\.0\.0\.128\/28 on a0; 10\.0\.16\.128\/28 on b0/));
    const team = JSON.parse(fs.readFileSync(path.join(dir, "out", "stacks", "team-payments", "cdk.tf.json"), "utf8")) as { data: { terraform_remote_state: Record<string, { backend: string; config: Record<string, unknown> }> }; terraform: { backend: { s3: Record<string, unknown> } } };
    // S3 state with locking; the team reads the platform's state from its S3 key.
    expect(team.terraform.backend.s3).toMatchObject({ key: "team-payments.tfstate", use_lockfile: true });
    expect(Object.values(team.data.terraform_remote_state)).toEqual([expect.objectContaining({ backend: "s3", config: expect.objectContaining({ key: "platform.tfstate" }) })]);
    // The policy pass finds nothing in either stack (team groups, deploy policies, fragment reads included).
    const policy = await run("policy", "--app", path.join(root, "examples/teams/app.ts"));
    expect(policy.out).toEqual(["stack platform: 0 finding(s)", "stack team-payments: 0 finding(s)"]);
    expect(policy.code).toBe(0);
  });

  test("the bundled examples: stacks, resource counts, the EIP quota warning with its path, packet paths; progress on the side", async () => {
    const r = await run("synth", "--app", examples, "--out", path.join(dir, "out"));
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^stack reference: \d+ resources -> /);
    expect(r.out).toContainEqual(expect.stringMatching(/^\s+5\s+aws_subnet$/));
    expect(r.out).toContainEqual(expect.stringMatching(/^ {2}WARN \[reference\] this stack allocates 7 Elastic IP addresses/));
    expect(r.out).toContainEqual(expect.stringMatching(/^packet paths of stack reference -> .*siit-dc-paths\.md$/));
    expect(r.out.at(-1)).toBe("1 stack(s) synthesized, 1 warning(s).");
    expect(r.progress[0]).toMatch(/^loading the app .*examples\/main\.ts/);
    expect(fs.existsSync(path.join(dir, "out", "stacks", "reference", "cdk.tf.json"))).toBe(true);
  });

  test("against the previous synth in the same directory: a replaced translator interface and a moved address are warnings naming their paths", async () => {
    const out = path.join(dir, "out");
    expect((await run("synth", "--app", examples, "--out", out)).code).toBe(0);
    expect(fs.existsSync(path.join(out, "stacks", "reference", "siit-dc-addresses.json"))).toBe(true);
    // The same app again: nothing moved, nothing to say.
    const again = await run("synth", "--app", examples, "--out", out);
    expect(again.out.filter((l) => l.includes("against the previous synth"))).toEqual([]);
    const moved = await run("synth", "--app", fixture("changed"), "--export", "firstHostIndex", "--out", out);
    expect(moved.code).toBe(0);
    expect(moved.out.filter((l) => l.includes("against the previous synth"))).toEqual([
      `  WARN [reference/Edge/Translator-a0] against the previous synth (${out}): reference/Edge translator a0: primary IPv4 10.0.0.10 -> 10.0.0.20, so its interface is replaced and every EIP association on it is re-created (the EIPs stay); the plan stops on its prevent_destroy unless the set sets allowInterfaceReplacement`,
      `  WARN [reference/Edge/Translator-b0] against the previous synth (${out}): reference/Edge translator b0: primary IPv4 10.0.16.10 -> 10.0.16.20, so its interface is replaced and every EIP association on it is re-created (the EIPs stay); the plan stops on its prevent_destroy unless the set sets allowInterfaceReplacement`,
    ]);
    expect(moved.out.at(-1)).toBe("1 stack(s) synthesized, 3 warning(s).");
  });

  test("against --previous (a kept output or report directory): a renumbered service's moved addresses are warnings", async () => {
    const kept = path.join(dir, "released");
    expect((await run("report", "--app", examples, "--json", "--out", kept)).code).toBe(0);
    const r = await run("synth", "--app", fixture("changed"), "--export", "renumbered", "--out", path.join(dir, "out"), "--previous", kept);
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => l.includes("against the previous synth"))).toEqual([
      `  WARN [reference/Edge] against the previous synth (${kept}): reference/Edge service www in eu-north-1a: privateIpv4 10.0.0.65 -> 10.0.0.73`,
      `  WARN [reference/Edge] against the previous synth (${kept}): reference/Edge service www in eu-north-1b: privateIpv4 10.0.16.65 -> 10.0.16.73`,
    ]);
    expect((await run("synth", "--app", examples, "--previous", path.join(dir, "nowhere"))).err).toContainEqual(expect.stringMatching(/--previous .*nowhere: no such directory/));
    // A file that is not an address plan is said so, not compared and not a crash.
    fs.writeFileSync(path.join(kept, "reference.address-plan.json"), JSON.stringify({ version: 1, stack: "reference" }));
    const bad = await run("synth", "--app", examples, "--out", path.join(dir, "out"), "--previous", kept);
    expect(bad.code).toBe(0);
    expect(bad.out).toContainEqual(expect.stringMatching(/^ {2}WARN previous address plan not compared, it is not one: .*reference\.address-plan\.json: .*must have required property/));
    expect(bad.out.filter((l) => l.includes("against the previous synth"))).toEqual([]);
  });

  test("a warning added by the app is listed with its construct path (async factory named by --export)", async () => {
    const r = await run("synth", "--app", fixture("broken"), "--export", "withWarning", "--out", path.join(dir, "out"));
    expect(r.code).toBe(0);
    expect(r.out).toContainEqual("  WARN [reference] example warning");
    expect(r.out.at(-1)).toMatch(/2 warning\(s\)\.$/);
  });

  test("an error annotation is printed with its path on stderr and fails the run, also when cdktf is told to continue", async () => {
    const r = await run("synth", "--app", fixture("broken"), "--export", "withError", "--out", path.join(dir, "out"));
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/^Synthesis failed:\nEncountered Annotations with level "ERROR":\n\[reference\/Edge\] example error/);
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    try {
      const c = await run("synth", "--app", fixture("broken"), "--export", "withError", "--out", path.join(dir, "again"));
      expect(c.code).toBe(1);
      expect(c.err).toEqual(["  ERROR [reference/Edge] example error", "1 error(s): synthesis output is not usable."]);
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
  });

  test("a construct error fails the run (exit 1) with path, property, value and fix", async () => {
    const r = await run("synth", "--app", fixture("broken"), "--export", "duplicateZone", "--out", path.join(dir, "out"));
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/broken\/Net: availabilityZones\[1\] = "eu-north-1a": is listed twice/);
  });

  test("a whole-app validation error fails the run too", async () => {
    const r = await run("synth", "--app", fixture("broken"), "--export", "routeLoop", "--out", path.join(dir, "out"));
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/Synthesis failed:\n[\s\S]*the edge route table of translator a0 routes to the translator itself/);
  });

  test("a module that synthesizes its App when loaded is captured; its output lands in --out", async () => {
    const r = await run("synth", "--app", fixture("synth-on-load"), "--out", path.join(dir, "out"));
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^stack loaded: \d+ resources/);
    expect(fs.existsSync(path.join(dir, "out", "stacks", "loaded", "cdk.tf.json"))).toBe(true);
  });

  test("an App instance as the default export", async () => {
    const r = await run("synth", "--app", fixture("default-instance"), "--out", path.join(dir, "out"));
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^stack vpconly: \d+ resources/);
  });

  test("how the app is found: a module without an App is a usage error naming its functions; no cdktf.json, no --app", async () => {
    const none = await run("synth", "--app", fixture("broken"), "--out", path.join(dir, "out"));
    expect(none.code).toBe(2);
    expect(none.err.join("\n")).toMatch(/neither exports an App .* it exports functions duplicateZone, routeLoop, withWarning, withError: name one with --export <name>/);
    const missing = await run("synth", "--app", path.join(dir, "nowhere.js"), "--out", path.join(dir, "out"));
    expect(missing.err.join("\n")).toMatch(/app module .*nowhere\.js does not exist/);
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const r = await run("synth");
      expect(r.code).toBe(2);
      expect(r.err[0]).toMatch(/no --app <module\.js> given, and cdktf\.json has no `app` command/);
    } finally {
      process.chdir(cwd);
    }
  });

  test("an existing directory that is not a cdktf output is never deleted", async () => {
    fs.writeFileSync(path.join(dir, "precious.txt"), "keep me");
    const r = await run("synth", "--app", examples, "--out", dir);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/is not a cdktf output directory \(no manifest\.json\): choose another --out/);
    expect(fs.readFileSync(path.join(dir, "precious.txt"), "utf8")).toBe("keep me");
  });
});

describe("report", () => {
  test("--json: the address plan, valid against its schema, with every service address", async () => {
    const r = await run("report", "--app", examples, "--stack", "reference", "--json");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out.join("\n"));
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    expect(validate.errors ?? validate(plan) ? [] : validate.errors).toEqual([]);
    const edge = plan.translatorSets[0];
    expect(edge.services.map((s: { name: string; addresses: unknown[] }) => [s.name, s.addresses.length])).toEqual([
      ["www", 2],
      ["api", 2],
      ["ntp", 1],
    ]);
    expect(edge.translators[1].eam.map((e: { ipv4: string }) => e.ipv4)).toEqual(["10.0.16.65/32", "10.0.16.66/32", "10.0.16.67/32"]);
    // The VPC prefix is Amazon-provided: documentation stand-ins, marked, with the real expression.
    expect(plan.documentation).toEqual([{ reference: "reference/Net/ipv6", prefix: "2001:db8:100::/56" }]);
    expect(edge.services[0].target).toEqual({ value: "2001:db8:100:10::10", documentation: true, expression: "cidrhost(cidrsubnet(reference/Net/ipv6, 8, 16), 16)" });
  });

  test("Markdown: the address plan, then the packet paths; --out writes both forms", async () => {
    const r = await run("report", "--app", examples);
    expect(r.code).toBe(0);
    const text = r.out.join("\n");
    expect(text).toMatch(/^# Address plan: stack reference\n/);
    expect(text).toContain("| www | 1 | www/a0 (prevent_destroy) | a0 | eu-north-1a | 10.0.0.65 | 2001:db8:100:10::10 (doc.) | 64:ff9b:1::/96 | tcp/80, tcp/443, icmp/echo | www.example.com |");
    expect(text).toContain("# SIIT-DC packet paths: reference/Edge");
    const files = await run("report", "--app", examples, "--out", path.join(dir, "plan"));
    expect(files.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, "plan")).sort()).toEqual(["reference.address-plan.json", "reference.address-plan.md"]);
  });
});

describe("cost", () => {
  test("the reference example against a hand-computed figure (us-east-1 table, 730 hours)", async () => {
    const r = await run("cost", "--app", examples, "--stack", "reference", "--json", "--outbound-gb", "1000", "--inbound-gb", "2000");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out.join("\n"));
    // As synthesized: 4 c7g.large web servers 4*0.0725*730 = 211.70; 2 c7gn.medium translators
    // 2*0.0624*730 = 91.104; 2 t4g.small NAT64 instances + 2 t4g.small workers 4*0.0168*730 = 49.056;
    // 10 root volumes of 8 GiB 80*0.08 = 6.40; 7 EIPs (5 service addresses, 2 NAT64) 7*0.005*730 = 25.55.
    // The Jool NAT64 charges nothing per GB.
    expect(report.estimates[0].monthly).toBe(383.81);
    // NAT gateways: translators and NAT64 instances go; 211.70 + 2 workers 24.528 + 6 volumes 3.84
    // + (3 service servers + 2 NAT gateways) addresses 18.25 + 2 gateways 65.70 + 1000 GB 45.00.
    expect(report.estimates[1].monthly).toBe(369.02);
    // Load balancers: translators go; 211.70 + 49.056 + 8 volumes 5.12 + (2 NAT64 + 5 balancer-zone)
    // addresses 25.55 + 3 NLBs 49.275 + 2000 NLCU-hours 12.00.
    expect(report.estimates[2].monthly).toBe(352.7);
    expect(report.priceRegion).toBe("us-east-1");
    expect(report.region).toBe("eu-north-1");
    expect(report.assumptions[0]).toBe("prices are the table's us-east-1 prices: it has none for the stack's region eu-north-1");
    expect(report.sources).toContainEqual(expect.stringMatching(/^https:\/\/aws\.amazon\.com\/vpc\/pricing\//));
  });

  test("an instance type missing from the table is an error naming the fix; --price supplies it", async () => {
    const r = await run("cost", "--app", examples, "--price", "bogus");
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/--price "bogus": give <instance type>=<USD per hour>/);
    const text = await run("cost", "--app", examples, "--price", "c7g.large=1");
    expect(text.code).toBe(0);
    expect(text.out.join("\n")).toContain("| c7g.large instances | 4 | instance-month | $730 | $2920.00 |");
  });
});

describe("lab", () => {
  test("--print shows the substitution, topology and generated files, and runs nothing", async () => {
    const r = await run("lab", "--app", examples, "--print");
    expect(r.code).toBe(0);
    const text = r.out.join("\n");
    expect(text).toMatch(/^SIIT-DC packet lab: stack reference\n\nAddress substitution \(deployed -> lab\):\n {2}substituted/);
    expect(text).toContain("route table servers-eu-north-1a: ::/0 -> internet-gateway, 2001:db8:64::/96 -> a0, 2001:db8:64:1::/96 -> b0, 64:ff9b::/96 -> nat64 eu-north-1a");
    expect(text).toContain("map 10.0.16.67 2001:db8:100:10::11");
  });

  test("an app whose stacks share one VPC (the teams example: platform and team-payments) runs as one topology", async () => {
    const r = await run("lab", "--app", path.join(root, "examples/teams/app.ts"), "--print");
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const text = r.out.join("\n");
    expect(text).toMatch(/^SIIT-DC packet lab: stacks platform, team-payments\n/);
    // Translator a0 carries the platform's www and the team's pay and hooks.
    expect(text).toContain("map 10.0.0.128 2001:db8:100:20::10");
    expect(text).toContain("map 10.0.0.129 2001:db8:100:21::10");
    // One stack of it is still one stack (the team's services are then not in the lab).
    const alone = await run("lab", "--app", path.join(root, "examples/teams/app.ts"), "--print", "--stack", "platform");
    expect(alone.code).toBe(0);
    expect(alone.out.join("\n")).not.toContain("map 10.0.0.128 ");
  });

  test("an unknown argument is a usage error (exit 2); a stack the app lacks names the stacks it has", async () => {
    const bad = await run("lab", "--app", examples, "--bogus");
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toBe("siit-dc: unknown argument --bogus");
    const stack = await run("lab", "--app", examples, "--print", "--stack", "prod");
    expect(stack.code).toBe(2);
    expect(stack.err).toEqual(["no stack prod; the app has reference"]);
  });
});

test("policy: synthesizes the app into a scratch directory and checks it", async () => {
  const r = await run("policy", "--app", examples);
  expect(r.out[0]).toMatch(/^stack reference: \d+ finding\(s\)$/);
  expect(r.code).toBe(r.out.length > 1 ? 1 : 0);
});

test("an option the command does not take is refused, not ignored", async () => {
  const r = await run("lab", "--app", examples, "--print", "--out", dir);
  expect(r.code).toBe(2);
  expect(r.err[0]).toBe("siit-dc: --out does not apply to this command");
  expect((await run("diagram", "--app", examples, "--json")).err[0]).toBe("siit-dc: --json does not apply to this command");
});

test("an unknown command prints the usage (exit 2)", async () => {
  const r = await run("deploy");
  expect(r.code).toBe(2);
  expect(r.err[0]).toBe("siit-dc: unknown command deploy");
  expect(r.err[1]).toMatch(/^usage: siit-dc <command>/);
});
