import * as fs from "fs";
import { spawnSync } from "child_process";
import { Ipv4Address, Ipv4Prefix } from "../../lib/plan/address/ip";
import { TerraformStack, Testing } from "../../lib/cdktf";
import { labInputFromStack, labInputFromStacks } from "../../lib/lab/extract";
import { teamsInOneApp } from "../../examples/teams/one-app";
import { MANIFEST_FILE, searchApp } from "../../examples/teams/search-app";
import { offlineProvider } from "../support/stacks";
import { labChecks } from "../../lib/lab/model/checks";
import { LabFault, LabInput } from "../../lib/lab/model/input";
import { buildLabTopology, CannotEmulateError, ConfigAgent } from "../../lib/lab/model/topology";
import { runConfigAgent } from "../support/config-agent";
import { labUnavailable, PacketLab } from "../../lib/lab/runner";
import { gate } from "../support/tiers";
import { teamsBothModelsInput, teamsOneAppInput } from "./support";

/**
 * The packet lab on the teams example, model (a) (issue 13): the platform's stack and the
 * payments team's stack of one app, read together. Each translator runs the merge of the
 * platform's plan and the team's (what the config agent makes of the platform's object and the
 * team's fragment), and its ingress is the union of the platform's group and the team's group.
 */

const input = teamsOneAppInput();
const tier = gate("packet lab", labUnavailable());
const topology = buildLabTopology(input);

/** The same input with each team's translator-group rules removed (the union reduced to the platform's group). */
function withoutTeamRules(i: LabInput): LabInput {
  return { ...i, translatorSets: i.translatorSets.map((s) => ({ ...s, teams: s.teams?.map((t) => ({ ...t, rules: [] })) })) };
}

describe("extraction and model: the team's side joins the platform's", () => {
  test("the platform's set carries team payments: its plan, its group on the translators and that group's rules from the team's stack", () => {
    expect(input.stack).toBe("platform + team-payments");
    expect(input.translatorSets).toHaveLength(1);
    const [set] = input.translatorSets;
    expect(set.path).toBe("platform/Edge");
    expect(set.plan.services.map((s) => s.name)).toEqual(["www"]);
    expect(set.teams?.map((t) => ({ name: t.name, path: t.path, securityGroup: t.securityGroup, services: t.plan.services.map((s) => s.name) }))).toEqual([
      { name: "payments", path: "team-payments/Payments", securityGroup: "platform/Edge/Team-payments/SecurityGroup", services: ["pay", "hooks"] },
    ]);
    expect(set.teams![0].rules.map((r) => `${r.family} ${r.protocol} ${r.fromPort}-${r.toPort} ${"cidr" in r.source ? r.source.cidr : r.source.prefixListId} ${r.description}`)).toEqual([
      "ipv4 tcp 443-443 0.0.0.0/0 Published tcp/443 from IPv4 clients",
      "ipv4 tcp 8443-8443 0.0.0.0/0 Published tcp/8443 from IPv4 clients",
    ]);
    expect(input.fleets.map((f) => f.path)).toEqual(["platform/Web", "team-payments/PayApi"]);
  });

  const translator = (id: string) => topology.translators.find((t) => t.id === id)!;

  test("each translator's Jool file is the merge: the platform's EAM entry and the team's, denylist4 without every merged address", () => {
    const a0 = JSON.parse(translator("a0").joolFile);
    expect(a0.eamt).toEqual([
      { "ipv6 prefix": "2001:db8:100:10::10/128", "ipv4 prefix": "10.0.0.65/32" },
      { "ipv6 prefix": "2001:db8:100:20::10/128", "ipv4 prefix": "10.0.0.128/32" },
      { "ipv6 prefix": "2001:db8:100:21::10/128", "ipv4 prefix": "10.0.0.129/32" },
    ]);
    const denied = (address: string) => a0.denylist4.some((p: string) => Ipv4Prefix.parse(p).contains(Ipv4Address.parse(address)));
    expect(["10.0.0.65", "10.0.0.128", "10.0.0.129"].filter(denied)).toEqual([]);
    // The rest of the VPC block stays denied, the team's unused addresses too.
    expect(["10.0.0.64", "10.0.0.130", "10.0.0.143", "10.0.16.128", "10.0.255.1"].every(denied)).toBe(true);
    expect(JSON.parse(translator("b0").joolFile).eamt.map((e: { "ipv4 prefix": string }) => e["ipv4 prefix"])).toEqual(["10.0.16.65/32", "10.0.16.128/32"]);
    expect(translator("a0").tayga.maps.map((m) => `${m.ipv4} ${m.ipv6}`)).toEqual(["10.0.0.65/32 2001:db8:100:10::10/128", "10.0.0.128/32 2001:db8:100:20::10/128", "10.0.0.129/32 2001:db8:100:21::10/128"]);
    expect(translator("a0").secondaryIpv4.map(String)).toEqual(["10.0.0.65", "10.0.0.128", "10.0.0.129"]);
  });

  test("each translator's per-address filter covers the team's addresses with the team's ports", () => {
    expect(translator("a0").filter).toContain("elements = { 10.0.0.65 . tcp . 80, 10.0.0.65 . tcp . 443, 10.0.0.128 . tcp . 443, 10.0.0.129 . tcp . 8443 }");
    expect(translator("b0").filter).toContain("elements = { 10.0.16.65 . tcp . 80, 10.0.16.65 . tcp . 443, 10.0.16.128 . tcp . 443 }");
  });

  test("the translators' ingress is the union of the platform's group and the team's; the team's servers have the team's rules", () => {
    const sg = translator("a0").securityGroup;
    expect(sg.name).toBe("platform/Edge/SecurityGroup + platform/Edge/Team-payments/SecurityGroup");
    expect(sg.rules.filter((r) => r.family === "ipv4" && r.protocol === "tcp").map((r) => `${r.ports!.from} ${r.sources}`)).toEqual(["80 0.0.0.0/0", "443 0.0.0.0/0", "443 0.0.0.0/0", "8443 0.0.0.0/0"]);
    expect(topology.servers.map((s) => [s.key, s.subnet, s.securityGroup.name, s.services])).toEqual([
      ["Web[0]", "servers-eu-north-1a", "platform/Web/SecurityGroup", ["www"]],
      ["PayApi[0]", "payments-eu-north-1a", "team-payments/PayApi/SecurityGroup", ["pay"]],
      ["PayApi[1]", "payments-eu-north-1b", "team-payments/PayApi/SecurityGroup", ["hooks"]],
    ]);
    const payApi1 = topology.servers.find((s) => s.key === "PayApi[1]")!;
    expect(payApi1.securityGroup.rules.filter((r) => r.protocol === "tcp").map((r) => `${r.ports!.from} ${r.sources}`)).toEqual(["8443 2001:db8:64::/96,2001:db8:64:1::/96", "8443 ::/0"]);
  });

  test("the checks: www, pay (both zones) and hooks (a0 only) on their ports, every other declared port and an undeclared one dropped, failover per translator", () => {
    const titles = (kind: string) => labChecks(topology).checks.filter((c) => c.kind === kind).map((c) => c.title);
    expect(titles("ipv4-via-eip")).toEqual([
      "www via EIP 203.0.113.1 (translator a0) tcp/80",
      "www via EIP 203.0.113.1 (translator a0) tcp/443",
      "www via EIP 203.0.113.2 (translator b0) tcp/80",
      "www via EIP 203.0.113.2 (translator b0) tcp/443",
      "pay via EIP 203.0.113.3 (translator a0) tcp/443",
      "pay via EIP 203.0.113.4 (translator b0) tcp/443",
      "hooks via EIP 203.0.113.5 (translator a0) tcp/8443",
    ]);
    expect(titles("ipv4-undeclared")).toEqual([
      "www via EIP 203.0.113.1 (translator a0) undeclared tcp/8080",
      "www via EIP 203.0.113.1 (translator a0) undeclared tcp/8443",
      "www via EIP 203.0.113.2 (translator b0) undeclared tcp/8080",
      "www via EIP 203.0.113.2 (translator b0) undeclared tcp/8443",
      "pay via EIP 203.0.113.3 (translator a0) undeclared tcp/8080",
      "pay via EIP 203.0.113.3 (translator a0) undeclared tcp/80",
      "pay via EIP 203.0.113.3 (translator a0) undeclared tcp/8443",
      "pay via EIP 203.0.113.4 (translator b0) undeclared tcp/8080",
      "pay via EIP 203.0.113.4 (translator b0) undeclared tcp/80",
      "pay via EIP 203.0.113.4 (translator b0) undeclared tcp/8443",
      "hooks via EIP 203.0.113.5 (translator a0) undeclared tcp/8080",
      "hooks via EIP 203.0.113.5 (translator a0) undeclared tcp/80",
      "hooks via EIP 203.0.113.5 (translator a0) undeclared tcp/443",
    ]);
    expect(titles("failover")).toEqual([
      "www via EIP 203.0.113.2 (translator b0) tcp/80 with translator a0 stopped",
      "pay via EIP 203.0.113.4 (translator b0) tcp/443 with translator a0 stopped",
      "hooks with translator a0 stopped",
      "www via EIP 203.0.113.1 (translator a0) tcp/80 with translator b0 stopped",
      "pay via EIP 203.0.113.3 (translator a0) tcp/443 with translator b0 stopped",
    ]);
  });

  test("the platform's stack alone (labInputFromStack) is what it was: the platform's plan and fleets, no team", () => {
    const app = Testing.app();
    const { platform } = teamsInOneApp(app, (stack) => offlineProvider(stack, "eu-north-1"));
    platform.runAllValidations();
    const alone = labInputFromStack(platform);
    expect(alone.stack).toBe("platform");
    expect(alone.translatorSets.map((s) => [s.path, s.teams, s.plan.services.map((x) => x.name)])).toEqual([["platform/Edge", undefined, ["www"]]]);
    expect(alone.fleets.map((f) => f.path)).toEqual(["platform/Web"]);
    expect(buildLabTopology(alone).translators[0].securityGroup.name).toBe("platform/Edge/SecurityGroup");
  });

  test("a team address without its EIP association in the team's stack cannot be emulated, naming the service and the translator", () => {
    const app = Testing.app();
    const { platform, payments } = teamsInOneApp(app, (stack) => offlineProvider(stack, "eu-north-1"));
    const scope = payments.node.findChild("Payments").node.findChild("Address-hooks").node.findChild("a0");
    expect(scope.node.tryRemoveChild("Association")).toBe(true);
    const broken = labInputFromStacks([platform, payments]);
    expect(broken.cannotEmulate).toEqual([
      { subject: "team-payments/Payments: service hooks on translator a0", reason: "the team's stack has no EIP association of 10.0.0.129 with the translator's interface, so the address has no public IPv4 address" },
    ]);
    expect(labInputFromStacks(Object.values(teamsInOneApp(Testing.app(), (stack) => offlineProvider(stack, "eu-north-1")))).cannotEmulate).toEqual([]);
  });

  test("a team service whose name the platform already uses cannot be emulated, and says so", () => {
    const [set] = input.translatorSets;
    // The team's plan with its pay service renamed www (its plan would refuse the name only if it were the platform's).
    const rename = (plan: (typeof set.plan)) => Object.assign(Object.create(Object.getPrototypeOf(plan)), plan, { services: plan.services.map((s) => (s.name === "pay" ? { ...s, name: "www" } : s)) }) as typeof plan;
    const renamed = { ...input, translatorSets: [{ ...set, teams: set.teams!.map((t) => ({ ...t, plan: rename(t.plan) })) }] };
    expect(() => buildLabTopology(renamed)).toThrow(CannotEmulateError);
    expect(() => buildLabTopology(renamed)).toThrow("cannot emulate: team-payments/Payments: service www: has the name of a service of platform/Edge");
  });
});

function namespacesWith(prefix: string): string[] {
  return spawnSync("ip", ["netns", "list"], { encoding: "utf8" })
    .stdout.split("\n")
    .map((l) => l.split(" ")[0])
    .filter((n) => n.startsWith(`${prefix}-`));
}

async function run(i: LabInput, faults: LabFault[] = [], phases?: number[]) {
  const l = new PacketLab(buildLabTopology(i, { faults }), { strict: process.env.CI === "true", phases });
  const result = await l.run();
  expect(namespacesWith(l.prefix)).toEqual([]);
  expect(fs.existsSync(result.runDir)).toBe(false);
  return result;
}

tier("packet lab: the teams example, platform and team-payments of one app (root, tayga, nft, ip)", () => {
  test("every check passes: www, pay and hooks on their ports through the merged translators, every other port dropped by the translator's filter", async () => {
    const result = await run(input);
    const bad = result.results.filter((r) => r.status === "fail" || r.status === "skip").map((r) => r.message);
    expect(bad).toEqual([]);
    expect(result.results).toHaveLength(labChecks(topology).checks.length);
    expect(result.results.filter((r) => r.status === "pass")).toHaveLength(54);
    expect(result.results.filter((r) => r.status === "n/a").map((r) => r.message)).toEqual(["hooks with translator a0 stopped: hooks has no other address: only translator a0 carries it"]);
    const passed = (kind: string) => result.results.filter((r) => r.check.kind === kind && r.status === "pass").map((r) => r.message);
    expect(passed("ipv4-via-eip")).toEqual([
      "www via EIP 203.0.113.1 (translator a0) tcp/80: answered; the far end saw 2001:db8:64::c633:6407 (the client inside translator a0's 2001:db8:64::/96)",
      "www via EIP 203.0.113.1 (translator a0) tcp/443: answered; the far end saw 2001:db8:64::c633:6407 (the client inside translator a0's 2001:db8:64::/96)",
      "www via EIP 203.0.113.2 (translator b0) tcp/80: answered; the far end saw 2001:db8:64:1::c633:6407 (the client inside translator b0's 2001:db8:64:1::/96)",
      "www via EIP 203.0.113.2 (translator b0) tcp/443: answered; the far end saw 2001:db8:64:1::c633:6407 (the client inside translator b0's 2001:db8:64:1::/96)",
      "pay via EIP 203.0.113.3 (translator a0) tcp/443: answered; the far end saw 2001:db8:64::c633:6407 (the client inside translator a0's 2001:db8:64::/96)",
      "pay via EIP 203.0.113.4 (translator b0) tcp/443: answered; the far end saw 2001:db8:64:1::c633:6407 (the client inside translator b0's 2001:db8:64:1::/96)",
      "hooks via EIP 203.0.113.5 (translator a0) tcp/8443: answered; the far end saw 2001:db8:64::c633:6407 (the client inside translator a0's 2001:db8:64::/96)",
    ]);
    expect(passed("ipv4-undeclared")).toHaveLength(13);
    expect(passed("ipv4-undeclared")).toContain("pay via EIP 203.0.113.3 (translator a0) undeclared tcp/8443: no answer within 600 ms, as expected (pay does not declare tcp/8443)");
    expect(passed("ipv4-undeclared")).toContain("www via EIP 203.0.113.2 (translator b0) undeclared tcp/8443: no answer within 600 ms, as expected (www does not declare tcp/8443)");
    expect(passed("symmetric-return")).toHaveLength(5);
    expect(passed("nat64")).toHaveLength(3);
  });

  test("without the team's group on the translators (the platform's group alone), hooks' tcp/8443 gets no answer, naming the translator security group", async () => {
    const result = await run(withoutTeamRules(input), [], [0]);
    expect(result.ok).toBe(false);
    const failed = result.results.filter((r) => r.status === "fail").map((r) => r.message);
    expect(failed).toEqual([
      expect.stringMatching(/^hooks via EIP 203\.0\.113\.5 \(translator a0\) tcp\/8443: no answer within \d+ ms; hop: translator security group platform\/Edge\/SecurityGroup \+ platform\/Edge\/Team-payments\/SecurityGroup admits no tcp\/8443 from 198\.51\.100\.7/),
      expect.stringMatching(/^hooks via EIP 203\.0\.113\.5 \(translator a0\) tcp\/8443: reply leaves through a0: no reply left through the translator it entered/),
    ]);
  });

  test("without the team's EAM entry on b0 (a fragment the merge left out), pay via b0 fails naming the EAM entry; pay via a0 still answers", async () => {
    const result = await run(input, [{ kind: "drop-eam", translator: "b0", service: "pay" }], [0]);
    const failed = result.results.filter((r) => r.status === "fail").map((r) => r.message);
    expect(failed).toEqual([
      expect.stringMatching(/^pay via EIP 203\.0\.113\.4 \(translator b0\) tcp\/443: no answer within \d+ ms; hop: translator b0 EAM 10\.0\.16\.128 -> 2001:db8:100:20::10 missing/),
      expect.stringMatching(/^pay via EIP 203\.0\.113\.4 \(translator b0\) tcp\/443: reply leaves through b0: no reply left/),
    ]);
    expect(result.results.find((r) => r.check.title === "pay via EIP 203.0.113.3 (translator a0) tcp/443")?.status).toBe("pass");
  });
});

describe("model (b): the platform's app and the search team's own app, assembled with the manifest", () => {
  const both = teamsBothModelsInput();
  const bothTopology = buildLabTopology(both);

  test("the manifest pairs the search app's literal ids with the platform's resources and binds the VPC's /56 to the manifest's", () => {
    expect(both.bindings).toEqual([{ reference: "platform/Net/ipv6", prefix: "2a05:d016:abc:de00::/56", source: "vpc.ipv6Cidr of platform platform/Manifest's manifest" }]);
    expect(bothTopology.substitution.lines().find((l) => l.startsWith("IPv6 prefix platform/Net/ipv6"))).toMatch(/2a05:d016:abc:de00::\/56 +as applied: vpc\.ipv6Cidr of platform platform\/Manifest's manifest$/);
    const [set] = both.translatorSets;
    expect(set.teams?.map((t) => [t.name, t.path, t.securityGroup, t.rules.map((r) => r.description)])).toEqual([
      ["payments", "team-payments/Payments", "platform/Edge/Team-payments/SecurityGroup", ["Published tcp/443 from IPv4 clients", "Published tcp/8443 from IPv4 clients"]],
      ["search", "team-search/Search", "platform/Edge/Team-search/SecurityGroup", ["Published tcp/443 from IPv4 clients", "Published icmp/echo from IPv4 clients"]],
    ]);
    // The search servers' rules name the manifest's literal prefix list id: it is the platform's set's list.
    const search = both.fleets.find((f) => f.path === "team-search/SearchNodes")!;
    expect(search.servers[0].rules?.map((r) => [r.port.toString(), r.source.kind === "prefix-list" ? r.source.set : r.source.kind === "cidr" ? r.source.cidr : r.source.text])).toEqual([
      ["tcp/443", "platform/Edge"],
      ["tcp/443", "::/0"],
      ["icmp/echo", "platform/Edge"],
      ["icmp/echo", "::/0"],
    ]);
    // Platform and team addresses agree: the search server, literal in the team's app, lies in the platform's search subnet.
    expect(bothTopology.servers.map((s) => [s.key, s.subnet, String(s.address)])).toContainEqual(["SearchNodes[0]", "search-eu-north-1a", "2a05:d016:abc:de30::10"]);
    expect(JSON.parse(bothTopology.translators.find((t) => t.id === "b0")!.joolFile).eamt).toEqual([
      { "ipv6 prefix": "2a05:d016:abc:de10::10/128", "ipv4 prefix": "10.0.16.65/32" },
      { "ipv6 prefix": "2a05:d016:abc:de20::10/128", "ipv4 prefix": "10.0.16.128/32" },
      { "ipv6 prefix": "2a05:d016:abc:de30::10/128", "ipv4 prefix": "10.0.16.144/32" },
    ]);
  });

  test("without the manifest the search team's stack cannot be placed, and the lab says so", () => {
    const setup = (stack: TerraformStack) => offlineProvider(stack, "eu-north-1");
    const { platform, payments } = teamsInOneApp(Testing.app(), setup);
    const search = searchApp(JSON.parse(fs.readFileSync(MANIFEST_FILE, "utf8")), setup).node.findChild("team-search") as TerraformStack;
    const input = labInputFromStacks([platform, payments, search]);
    expect(input.cannotEmulate).toEqual([{ subject: "team-search/Search", reason: "team search is a team of no translator set of these stacks" }]);
    expect(() => buildLabTopology(input)).toThrow(CannotEmulateError);
  });

  test("the checks: search on tcp/443 and echo in both zones; every service refuses the ports the other teams and the platform declare", () => {
    const titles = (kind: string, service: string) => labChecks(bothTopology).checks.filter((c) => c.kind === kind && c.title.startsWith(`${service} `)).map((c) => c.title);
    expect(titles("ipv4-via-eip", "search")).toEqual([
      "search via EIP 203.0.113.6 (translator a0) tcp/443",
      "search via EIP 203.0.113.6 (translator a0) icmp/echo",
      "search via EIP 203.0.113.7 (translator b0) tcp/443",
      "search via EIP 203.0.113.7 (translator b0) icmp/echo",
    ]);
    expect(titles("ipv4-undeclared", "search")).toEqual([
      "search via EIP 203.0.113.6 (translator a0) undeclared tcp/8080",
      "search via EIP 203.0.113.6 (translator a0) undeclared tcp/80",
      "search via EIP 203.0.113.6 (translator a0) undeclared tcp/8443",
      "search via EIP 203.0.113.7 (translator b0) undeclared tcp/8080",
      "search via EIP 203.0.113.7 (translator b0) undeclared tcp/80",
      "search via EIP 203.0.113.7 (translator b0) undeclared tcp/8443",
    ]);
    // hooks (payments) refuses search's echo and the platform's tcp/80; www refuses payments' tcp/8443 and search's echo.
    expect(titles("ipv4-undeclared", "hooks")).toEqual([
      "hooks via EIP 203.0.113.5 (translator a0) undeclared tcp/8080",
      "hooks via EIP 203.0.113.5 (translator a0) undeclared tcp/80",
      "hooks via EIP 203.0.113.5 (translator a0) undeclared tcp/443",
      "hooks via EIP 203.0.113.5 (translator a0) undeclared icmp/echo",
    ]);
    expect(titles("ipv4-undeclared", "www")).toEqual([
      "www via EIP 203.0.113.1 (translator a0) undeclared tcp/8080",
      "www via EIP 203.0.113.1 (translator a0) undeclared tcp/8443",
      "www via EIP 203.0.113.1 (translator a0) undeclared icmp/echo",
      "www via EIP 203.0.113.2 (translator b0) undeclared tcp/8080",
      "www via EIP 203.0.113.2 (translator b0) undeclared tcp/8443",
      "www via EIP 203.0.113.2 (translator b0) undeclared icmp/echo",
    ]);
  });

  tier("packet lab: platform, team-payments and the search team's own app (root, tayga, nft, ip)", () => {
    test("every check passes: www, pay, hooks and search through the translators running the merge of all three", async () => {
      const result = await run(both);
      expect(result.results.filter((r) => r.status === "fail" || r.status === "skip").map((r) => r.message)).toEqual([]);
      expect(result.results).toHaveLength(labChecks(bothTopology).checks.length);
      expect(result.results.filter((r) => r.status === "pass")).toHaveLength(86);
      expect(result.results.filter((r) => r.status === "n/a").map((r) => r.message)).toEqual(["hooks with translator a0 stopped: hooks has no other address: only translator a0 carries it"]);
      const passed = result.results.filter((r) => r.status === "pass").map((r) => r.message);
      expect(passed).toEqual(
        expect.arrayContaining([
          "search via EIP 203.0.113.6 (translator a0) tcp/443: answered; the far end saw 2001:db8:64::c633:6407 (the client inside translator a0's 2001:db8:64::/96)",
          "search via EIP 203.0.113.7 (translator b0) icmp/echo: answered: 26 bytes from 203.0.113.7: icmp echo reply",
          "hooks via EIP 203.0.113.5 (translator a0) undeclared icmp/echo: no answer within 600 ms, as expected (hooks does not declare icmp/echo)",
          "search via EIP 203.0.113.7 (translator b0) undeclared tcp/8443: no answer within 600 ms, as expected (search does not declare tcp/8443)",
          "server SearchNodes[0] -> IPv4-only host 100.64.0.20 as 64:ff9b::6440:14 tcp/80 via the NAT64 in eu-north-1a: answered; the far end saw 192.0.2.1 (the EIP of the NAT64 in eu-north-1a)",
        ]),
      );
    });
  });
});

/**
 * The config agent joined to the lab (the VM tier runs the packets): what the real agent makes of
 * each translator's objects as the stacks write them is the lab's own merge of the plans.
 */
tier("the config agent's merge of the teams example's objects (both models; real agent, stand-ins for AWS, Jool and nft)", () => {
  const input = teamsBothModelsInput({ outboundIpv4: ["hooks", "search"] });
  const viaAgent = buildLabTopology(input, { engine: "jool", configAgent: runConfigAgent });
  const fromPlans = buildLabTopology(input, { engine: "jool" });

  test("each translator's Jool file is byte for byte the lab's merge; its filter adds the teams' addresses to the platform's sets", () => {
    expect(viaAgent.translators.map((t) => t.key)).toEqual(["a0", "b0"]);
    for (const t of viaAgent.translators) {
      const planned = fromPlans.translators.find((x) => x.key === t.key)!;
      expect(t.joolFile).toBe(planned.joolFile);
      const added = t.filter.split("\n").filter((l) => l.startsWith("add element inet siit_dc_services "));
      expect(added.map((l) => l.split(" ")[4])).toEqual(["published4", "published6", "declared4", "declared6", "echo4", "echo6", "outbound4", "outbound6"]);
    }
  });

  test("a fragment the agent refuses stops the lab's build, naming the fragment", () => {
    const bad: ConfigAgent = (objects) => runConfigAgent({ ...objects, fragments: { ...objects.fragments, search: objects.fragments.payments } });
    expect(() => buildLabTopology(input, { engine: "jool", configAgent: bad })).toThrow(/fragment search\.json: names team "payments", but its file is search\.json/);
  });
});
