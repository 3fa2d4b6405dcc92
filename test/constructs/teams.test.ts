import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { teamsInOneApp } from "../../examples/teams/one-app";
import { PLATFORM_TEAMS, TeamsOptions, teamsPlatform } from "../../examples/teams/platform";
import { searchApp } from "../../examples/teams/search-app";
import { standInManifest } from "../../examples/teams/stand-in-manifest";
import { Ipv6ServerFleet, Port, SiitDcTeam, TeamPlatform, TranslatorTeam } from "../../lib";
import { addressChanges, addressPlanSnapshot, assertServiceExposure, serviceExposure } from "../../lib/testing";
import { App, TerraformStack } from "../../lib/cdktf";
import { joinedWithPlatform } from "../../lib/testing/cross-stack";
import { PlanError } from "../../lib/plan/errors";
import { exampleManifestText, EXAMPLE_MANIFEST } from "../../scripts/generate";
import { offlineProvider, SynthesizedStack } from "../support/stacks";

type Stacks = Record<string, SynthesizedStack & { output?: Record<string, { value: unknown }>; data?: Record<string, unknown>; locals?: unknown }>;

/** Synthesizes a whole app (cross-stack references need the app's synth) and reads every stack. */
function synthApp(build: (app: App) => void): { stacks: Stacks; annotations: Record<string, { constructPath: string; level: string; message: string }[]> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-teams-"));
  try {
    const app = new App({ outdir });
    build(app);
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string; annotations: { constructPath: string; level: string; message: string }[] }> };
    const stacks: Stacks = {};
    const annotations: Record<string, { constructPath: string; level: string; message: string }[]> = {};
    for (const [name, s] of Object.entries(manifest.stacks)) {
      stacks[name] = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")) as Stacks[string];
      annotations[name] = s.annotations;
    }
    return { stacks, annotations };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
const oneApp = (options: TeamsOptions = {}) => synthApp((app) => teamsInOneApp(app, (s) => offlineProvider(s, "eu-north-1"), options));
const manifest = () => JSON.parse(fs.readFileSync(path.join(__dirname, "../..", EXAMPLE_MANIFEST), "utf8")) as unknown;
const searchOnly = (options: TeamsOptions = {}, m: unknown = manifest()) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-search-"));
  try {
    searchApp(m, (s) => offlineProvider(s, "eu-north-1"), outdir, options).synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks/team-search/cdk.tf.json"), "utf8")) as Stacks[string];
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
};
const byPath = (stack: Stacks[string], type: string, pathPart: string) => Object.entries(stack.resource[type] ?? {}).filter(([name]) => name.includes(pathPart)).map(([, r]) => r);

describe("the platform's side", () => {
  const { stacks } = oneApp();
  const platform = stacks.platform;

  test("every translator interface holds each team's /28 and each team's security group, beside the platform's own addresses", () => {
    const enis = byPath(platform, "aws_network_interface", "Edge_Translator");
    expect(enis.map((e) => [e.private_ips, e.ipv4_prefixes])).toEqual([
      [["10.0.0.10", "10.0.0.65"], ["10.0.0.128/28", "10.0.0.144/28"]],
      [["10.0.16.10", "10.0.16.65"], ["10.0.16.128/28", "10.0.16.144/28"]],
    ]);
    for (const e of enis) {
      expect(e.security_groups).toEqual([expect.stringMatching(/Edge_SecurityGroup_/), expect.stringMatching(/Edge_Team-payments_SecurityGroup_/), expect.stringMatching(/Edge_Team-search_SecurityGroup_/)]);
    }
    // The teams' groups hold no rule of the platform's: the teams' stacks own them.
    const rules = [...Object.values(platform.resource.aws_vpc_security_group_ingress_rule ?? {}), ...Object.values(platform.resource.aws_vpc_security_group_egress_rule ?? {})];
    expect(rules.filter((r) => String(r.security_group_id).includes("Team-"))).toEqual([]);
  });

  test("each translator's object names the teams whose fragments it merges, and its role reads only its own fragments", () => {
    const a0 = byPath(platform, "aws_s3_object", "Config-net-edge-a0")[0];
    const bundle = JSON.parse(String(a0.content)) as { fragments: unknown };
    expect(bundle.fragments).toEqual({
      translator: "a0",
      vpcIpv4: "10.0.0.0/16",
      teams: [
        { team: "payments", ipv4: ["10.0.0.128/28"], pool6: ["64:ff9b:1::a00:80/124"] },
        { team: "search", ipv4: ["10.0.0.144/28"], pool6: ["64:ff9b:1::a00:90/124"] },
      ],
    });
    const policy = byPath(platform, "aws_iam_role_policy", "Translator-a0_InstanceRole_ReadConfig")[0];
    const statements = (JSON.parse(String(policy.policy)) as { Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }[] }).Statement;
    expect(statements.map((s) => [s.Sid, s.Action, s.Resource.map((r) => r.replace(/\$\{[^}]+\}/, "<bucket>")), s.Condition ?? null])).toEqual([
      ["ReadOwnJoolConfiguration", ["s3:GetObject"], ["<bucket>/siit/platform/Edge/a0.json"], null],
      ["ReadOwnTeamFragments", ["s3:GetObject"], ["<bucket>/siit/platform/Edge/a0.d/*"], null],
      ["ListOwnTeamFragments", ["s3:ListBucket"], ["<bucket>"], { StringLike: { "s3:prefix": ["siit/platform/Edge/a0.d/*"] } }],
    ]);
  });

  test("a team's deploy policy writes only its own fragments and rules of its own group", () => {
    const policy = byPath(platform, "aws_iam_policy", "Team-payments_DeployPolicy")[0];
    const statements = (JSON.parse(String(policy.policy)) as { Statement: { Sid: string; Resource: string | string[] }[] }).Statement;
    const resources = Object.fromEntries(statements.map((s) => [s.Sid, ([] as string[]).concat(s.Resource).map((r) => r.replace(/\$\{aws_s3_bucket[^}]+\}/, "<bucket>"))]));
    expect(resources.OwnJoolFragments).toEqual(["<bucket>/siit/platform/Edge/a0.d/payments.json", "<bucket>/siit/platform/Edge/b0.d/payments.json"]);
    expect(resources.OwnTranslatorRules).toEqual([expect.stringMatching(/security-group\/\$\{aws_security_group\.Edge_Team-payments_SecurityGroup_/)]);
  });

  test("a team's change (add, remove, rename a service) leaves the platform's stack byte-identical", () => {
    const text = (o: TeamsOptions) => JSON.stringify(oneApp(o).stacks.platform);
    const base = JSON.stringify(platform);
    expect(text({ payments: ["pay", "hooks", "refunds"] })).toBe(base);
    expect(text({ payments: ["pay"] })).toBe(base);
    // Only translator a0 carries hooks: the platform still outputs b0 (the team pins every shared id).
    expect(text({ payments: ["hooks"] })).toBe(base);
    expect(text({ payName: "pay-v2" })).toBe(base);
  });

  test("the committed example manifest is what npm run generate makes of the platform", () => {
    expect(fs.readFileSync(path.join(__dirname, "../..", EXAMPLE_MANIFEST), "utf8")).toBe(exampleManifestText());
    expect(standInManifest(platform)).toEqual(manifest());
  });
});

describe("a team's stack in the platform's app (model a)", () => {
  const { stacks, annotations } = oneApp();
  const team = stacks["team-payments"];

  test("owns its EIPs, their associations into its prefix, its DNS, rules and fragments; reads the platform through its remote state", () => {
    const assoc = Object.values(team.resource.aws_eip_association);
    expect(assoc.map((a) => a.private_ip_address).sort()).toEqual(["10.0.0.128", "10.0.0.129", "10.0.16.128"]);
    for (const a of assoc) expect(a.network_interface_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\.cross-stack-output-aws_network_interfaceEdge_Translator-[ab]0_NetworkInterface_/);
    expect(Object.keys(team.resource.aws_eip).sort()).toEqual([expect.stringMatching(/^Payments_Address-hooks_a0_Eip_/), expect.stringMatching(/^Payments_Address-pay_a0_Eip_/), expect.stringMatching(/^Payments_Address-pay_b0_Eip_/)]);
    expect(Object.values(team.resource.aws_route53_record).map((r) => `${r.type} ${r.name}`).sort()).toEqual(["A pay.example.com", "A pay.example.com", "AAAA pay.example.com"]);
    // The translator-side rules go into the team's group on the translators, the platform's id through remote state.
    const translatorRules = Object.values(team.resource.aws_vpc_security_group_ingress_rule).filter((r) => String(r.security_group_id).includes("Team-payments"));
    expect(translatorRules.map((r) => `${r.ip_protocol}/${r.from_port} ${r.cidr_ipv4}`).sort()).toEqual(["tcp/443 0.0.0.0/0", "tcp/8443 0.0.0.0/0"]);
    expect(team.data).toEqual({ terraform_remote_state: { "cross-stack-reference-input-platform": expect.objectContaining({ backend: "local" }) } });
    const fragments = Object.values(team.resource.aws_s3_object).map((o) => o.key);
    expect(fragments.sort()).toEqual(["siit/platform/Edge/a0.d/payments.json", "siit/platform/Edge/b0.d/payments.json"]);
  });

  test("EIPs that exceed the default quota only together (platform 4, payments 3) are a warning in each stack of the app", () => {
    const warning = "the app's stacks in eu-north-1 allocate 7 Elastic IP addresses together (platform 4, team-payments 3); the default quota is 5 per region and account.";
    for (const stack of ["platform", "team-payments"]) {
      expect(annotations[stack].filter((a) => a.level === "@cdktf/warn").map((a) => a.message)).toEqual([expect.stringContaining(warning)]);
    }
  });

  test("synth says what the platform must apply first", () => {
    expect(annotations["team-payments"].filter((a) => a.level === "@cdktf/info").map((a) => a.message)).toEqual([
      "deploy order: apply the platform stack platform first; it must have applied team payments (its /28 prefixes 10.0.0.128/28 on a0; 10.0.16.128/28 on b0, its security group and deploy policy). After that, services of numbers 64-79 need no platform apply.",
    ]);
  });

  test("refuses numbers outside the team's range and fleets outside its tiers, naming the construct", () => {
    const attempt = (publish: (team: SiitDcTeam, stack: TerraformStack) => void) =>
      synthApp((app) => {
        const { payments } = teamsInOneApp(app, (s) => offlineProvider(s, "eu-north-1"), { payments: [] });
        publish(payments.node.findChild("Payments") as SiitDcTeam, payments);
      });
    const expectPlanError = (fn: () => unknown, message: RegExp) => {
      expect(fn).toThrow(PlanError);
      expect(fn).toThrow(message);
    };
    expectPlanError(
      () => attempt((team, stack) => team.publish("x", (stack.node.findChild("PayApi") as Ipv6ServerFleet).server(2), { number: 80, ports: [Port.tcp(443)] })),
      /^team-payments\/Payments: publish\(x\)\.number = 80: is outside the service numbers of team payments \(64-79\)\. Fix: pick a number from 64-79/,
    );
    expectPlanError(
      () =>
        attempt((team, stack) => {
          const other = new Ipv6ServerFleet(stack, "Elsewhere", { vpc: team.vpc, tier: "search", servers: 1, instanceType: "c7g.large" });
          team.publish("x", other.server(0), { number: 66, ports: [Port.tcp(443)] });
        }),
      /publish\(x\)\.target = "team-payments\/Elsewhere": is a fleet of tier search, which is not a tier of team payments \(its tiers: payments\)/,
    );
  });
});

describe("a team in its own app (model b)", () => {
  const team = searchOnly();

  test("reads the manifest: literal ids and addresses, no data source, so offline plans work", () => {
    expect(team.data).toBeUndefined();
    const m = manifest() as { vpc: { serverSubnetIds: Record<string, string> }; translatorSets: { translators: { interfaceId: string }[]; teams: { name: string; securityGroupId: string }[] }[] };
    const set = m.translatorSets[0];
    expect(Object.values(team.resource.aws_eip_association).map((a) => [a.network_interface_id, a.private_ip_address])).toEqual([
      [set.translators[0].interfaceId, "10.0.0.144"],
      [set.translators[1].interfaceId, "10.0.16.144"],
    ]);
    expect(Object.values(team.resource.aws_network_interface).map((e) => [e.subnet_id, e.ipv6_addresses])).toEqual([
      [m.vpc.serverSubnetIds["search/eu-north-1a"], ["2a05:d016:abc:de30::10"]],
      [m.vpc.serverSubnetIds["search/eu-north-1b"], ["2a05:d016:abc:de31::10"]],
    ]);
    const group = set.teams.find((t) => t.name === "search")!.securityGroupId;
    expect(Object.values(team.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.security_group_id === group).map((r) => r.ip_protocol).sort()).toEqual(["icmp", "tcp"]);
    const fragment = JSON.parse(String(Object.values(team.resource.aws_s3_object)[0].content)) as { eamt: unknown };
    expect(fragment.eamt).toEqual([{ "ipv6 prefix": "2a05:d016:abc:de30::10/128", "ipv4 prefix": "10.0.0.144/32" }]);
  });

  test("sees only the subnets of its own tiers", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "siit-search-")) });
    const stack = new TerraformStack(app, "team-search");
    offlineProvider(stack, "eu-north-1");
    const team = new SiitDcTeam(stack, "Search", { platform: TeamPlatform.fromManifest(manifest(), { team: "search" }) });
    expect(() => team.vpc.serverSubnetId("eu-north-1a", "payments")).toThrow(/serverSubnetId = "payments\/eu-north-1a": is a subnet the platform did not share with this app\. Fix: use a tier of search/);
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  test("a manifest without the team says to apply the platform first", () => {
    const m = manifest() as { translatorSets: { teams: { name: string }[] }[] };
    m.translatorSets[0].teams = m.translatorSets[0].teams.filter((t) => t.name !== "search");
    expect(() => searchOnly({}, m)).toThrow(/^team-search\/Search: platform = "search": is not a team of platform platform \(teams: payments \(platform\/Edge\)\)\. Fix: add \{ name: "search", firstNumber: \.\.\. \} to the platform's SiitDcTranslators teams, apply the platform stack platform first/);
  });
});

describe("declared equals exposed, for teams' services (the testing kit reads across the stacks)", () => {
  const BOTH = ["eu-north-1a", "eu-north-1b"];
  const oneAppStacks = () => teamsInOneApp(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "siit-teams-exposure-")) }), (s) => offlineProvider(s, "eu-north-1"));
  const team = (stack: TerraformStack, id: string) => stack.node.findChild(id) as SiitDcTeam;

  test("model a: each team service is reached on its declared ports through its declared translators, read through the platform's remote state into its stack", () => {
    const { payments } = oneAppStacks();
    assertServiceExposure(payments, "pay", { ipv4: { ports: ["tcp/443"], zones: BOTH }, ipv6: ["tcp/443"] });
    assertServiceExposure(payments, "hooks", { ipv4: { ports: ["tcp/8443"], zones: ["eu-north-1a"] }, ipv6: ["tcp/8443"] });
    // Everything was read: the platform's interfaces, groups, Jool settings and routes are in the app.
    expect(serviceExposure(payments).map((e) => e.unchecked)).toEqual([undefined, undefined]);
  });

  test("model a: a port opened on the team's groups reaches IPv6 clients, but not IPv4 ones: the team's fragment passes only the declared ports", () => {
    const { payments } = oneAppStacks();
    (payments.node.findChild("PayApi") as Ipv6ServerFleet).allowInbound("Ssh", { port: Port.tcp(22), ipv6Cidr: "::/0", description: "ssh from anywhere" });
    new VpcSecurityGroupIngressRule(payments, "SshV4", { securityGroupId: team(payments, "Payments").translatorGroupId, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
    expect(() => assertServiceExposure(payments, "pay", { ipv4: { ports: ["tcp/443"], zones: BOTH }, ipv6: ["tcp/443"] })).toThrow(
      /^service pay of stack team-payments:\n- IPv6 reaches ports \[tcp\/22, tcp\/443\], expected \[tcp\/443\]$/,
    );
    expect(serviceExposure(payments).find((e) => e.service === "pay")!.ipv4.map((a) => a.ports)).toEqual([["tcp/443"], ["tcp/443"]]);
  });

  test("model a: a fragment without the service's EAM entry breaks that address, naming the fragment", () => {
    const { payments } = oneAppStacks();
    const fragment = team(payments, "Payments").fragments.get("b0")!;
    fragment.addOverride("content", JSON.stringify({ format: "siit-dc-jool-fragment/1", team: "payments", translator: "b0", eamt: [], filter: [] }));
    expect(() => assertServiceExposure(payments, "pay", { ipv4: { ports: ["tcp/443"], zones: BOTH }, ipv6: ["tcp/443"] })).toThrow(
      /IPv4 reaches it via zones \[eu-north-1a\], expected \[eu-north-1a, eu-north-1b\]\n- address in eu-north-1b \(translator b0\) is broken: the team fragment aws_s3_object\.Payments_Fragment-b0_\w+ has no EAM entry for 10\.0\.16\.128/,
    );
  });

  test("reading two stacks as one refuses an address both hold, rather than hide one", () => {
    const json = { resource: { aws_eip: { Same: { domain: "vpc" } } } };
    expect(() => joinedWithPlatform(json, json, "platform")).toThrow("the team's stack and the platform's stack platform both hold aws_eip.Same: give one of the constructs another id to read them together");
  });

  test("model b: a team in its own app reads its side (associations on the manifest's interfaces, its group's rules, its fragments) and lists the platform's parts it could not read", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-search-exposure-"));
    const stack = searchApp(manifest(), (s) => offlineProvider(s, "eu-north-1"), outdir).node.findChild("team-search") as TerraformStack;
    assertServiceExposure(stack, "search", { ipv4: { ports: ["tcp/443", "icmp/echo"], zones: BOTH }, ipv6: ["tcp/443", "icmp/echo"] });
    const m = manifest() as { translatorSets: { translators: { interfaceId: string }[] }[] };
    const [a0, b0] = m.translatorSets[0].translators.map((t) => t.interfaceId);
    expect(serviceExposure(stack)[0].unchecked).toEqual([
      `translator a0's interface ${a0}, its other security groups and its Jool settings (the platform's stack)`,
      "the routes of aws_network_interface.SearchNodes_Server0_NetworkInterface_C5A4A6A4's subnet (the platform's stack)",
      `translator b0's interface ${b0}, its other security groups and its Jool settings (the platform's stack)`,
    ]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

describe("removing a team, or moving its numbers, is an address change", () => {
  // The platform's stack alone, as its own app would build it after the team's stack went.
  const platformPlan = (teams?: TranslatorTeam[]) => {
    const stack = new TerraformStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "siit-teams-plan-")) }), "platform");
    offlineProvider(stack, "eu-north-1");
    teamsPlatform(stack, { teams });
    return addressPlanSnapshot(stack);
  };

  test("the platform's address plan holds each team's numbers and its prefix on every translator", () => {
    expect(platformPlan().translatorSets[0].teams).toEqual([
      { name: "payments", numbers: "64-79", prefixes: [{ translator: "a0", prefixes: ["10.0.0.128/28"] }, { translator: "b0", prefixes: ["10.0.16.128/28"] }] },
      { name: "search", numbers: "80-95", prefixes: [{ translator: "a0", prefixes: ["10.0.0.144/28"] }, { translator: "b0", prefixes: ["10.0.16.144/28"] }] },
    ]);
  });

  test("a team dropped from the set, or given other numbers, is reported with what it disassociates and the order that avoids it (siit-dc synth warns, the testing kit's addressChanges lists it)", () => {
    const before = platformPlan();
    const [payments, search] = PLATFORM_TEAMS;
    expect(addressChanges(before, platformPlan([search]))).toEqual([
      "platform/Edge team payments (numbers 64-79) is no longer a team of the set: its prefixes are unassigned from every translator interface, and every EIP its stack associates there is disassociated; destroy team payments's stack first (or move its services to the new numbers), so that it releases or disassociates its addresses itself",
    ]);
    expect(addressChanges(before, platformPlan([{ ...payments, firstNumber: 96 }, search]))).toEqual([
      expect.stringMatching(/^platform\/Edge team payments on translator a0: prefixes 10\.0\.0\.128\/28 -> 10\.0\.0\.160\/28, so the old ones are unassigned/),
      expect.stringMatching(/^platform\/Edge team payments on translator b0: prefixes 10\.0\.16\.128\/28 -> 10\.0\.16\.160\/28, /),
    ]);
    // The last teams gone: the real provider keeps the prefixes (the apply tier's step R).
    expect(addressChanges(before, platformPlan([]))).toEqual([
      expect.stringMatching(/^platform\/Edge team payments \(numbers 64-79\) is no longer a team of the set, and no team is left: the AWS provider keeps the prefixes .* so the EIPs its stack associates there stay associated, but its security group leaves the interfaces and the translators stop carrying its services; destroy team payments's stack first/),
      expect.stringMatching(/^platform\/Edge team search \(numbers 80-95\) is no longer a team of the set, and no team is left/),
    ]);
    expect(addressChanges(before, platformPlan())).toEqual([]);
  });
});
