import { VpcAddressPlan } from "../../lib/plan/address/vpc-plan";
import { PlanError } from "../../lib/plan/errors";
import { EamHairpinMode } from "../../lib/plan/jool/config";
import { Port } from "../../lib/plan/ports";
import { findTeam, parsePlatformManifest, PLATFORM_MANIFEST_FORMAT } from "../../lib/plan/siit/platform-manifest";
import { planTeams, TeamInput } from "../../lib/plan/siit/teams";
import { TranslationPlan, TranslationPlanInput } from "../../lib/plan/siit/translation-plan";
import * as fs from "fs";
import * as path from "path";

const ZONES = ["eu-north-1a", "eu-north-1b"];
const where = { path: "app/Edge", property: "teams" };
/** A /20 VPC: /24 edge subnets, the smallest the plan accepts. */
const vpc = (ipv4Cidr = "10.0.0.0/20") =>
  new VpcAddressPlan({ path: "app/Net", availabilityZones: ZONES, ipv4Cidr, ipv6Cidr: { literal: "2001:db8:1200::/56" }, serverTiers: ["servers", "payments", "search"] });
const TEAMS: TeamInput[] = [
  { name: "payments", firstNumber: 64, tiers: ["payments"] },
  { name: "search", firstNumber: 80, numberCount: 32, tiers: ["search"] },
];
function plan(overrides: Partial<TranslationPlanInput> = {}, net = vpc()): TranslationPlan {
  return new TranslationPlan({
    path: "app/Edge",
    vpc: net,
    zones: ZONES,
    translatorsPerZone: 1,
    translationPrefix: "64:ff9b:1::/48",
    instanceType: "c7gn.large",
    lowestIpv6Mtu: 1500,
    eamHairpinMode: EamHairpinMode.INTRINSIC,
    firstHostIndex: 10,
    teams: TEAMS,
    ...overrides,
  });
}
const server = (net: VpcAddressPlan, tier: string, zone: string, host: number) => net.subnet(tier, zone, { path: "t", property: "t" }).ipv6.host(host);
const expectPlanError = (fn: () => unknown, message: RegExp) => {
  expect(fn).toThrow(PlanError);
  expect(fn).toThrow(message);
};

describe("team ranges", () => {
  test("a team's numbers are whole /28s of every edge subnet, delegated on every translator with their pool6 forms", () => {
    const p = plan();
    expect(p.teams.map((t) => [t.name, t.firstNumber, t.lastNumber, t.blocks])).toEqual([
      ["payments", 64, 79, [8]],
      ["search", 80, 111, [9, 10]],
    ]);
    const [a0, b0] = p.translators;
    expect(p.teamPrefixesOn(a0)).toEqual(["10.0.0.128/28", "10.0.0.144/28", "10.0.0.160/28"]);
    expect(p.teamPrefixesOn(b0)).toEqual(["10.0.1.128/28", "10.0.1.144/28", "10.0.1.160/28"]);
    expect(p.teamRangesOn(b0)).toEqual([
      { team: "payments", ipv4: ["10.0.1.128/28"], pool6: ["64:ff9b:1:1::a00:180/124"] },
      { team: "search", ipv4: ["10.0.1.144/28", "10.0.1.160/28"], pool6: ["64:ff9b:1:1::a00:190/124", "64:ff9b:1:1::a00:1a0/124"] },
    ]);
    // Service n is edge host 64 + n: the team's first and last numbers are its prefix's ends.
    const team = plan({ teams: undefined, team: p.teams[0] });
    const s = team.addService({ origin: { path: "team/Payments", property: "publish(pay)" }, name: "pay", number: 79, target: server(vpc(), "payments", "eu-north-1a", 16), ports: [Port.tcp(443)], carriers: team.translators });
    expect(s.addresses.map((a) => a.privateIpv4.toString())).toEqual(["10.0.0.143", "10.0.1.143"]);
  });

  test.each<[string, TeamInput[], RegExp]>([
    ["an unaligned first number", [{ name: "x", firstNumber: 70 }], /teams\[0\]\.firstNumber = 70: must start a \/28 of the edge subnets: service n is edge host 64 \+ n.*Fix: use a number with 64 \+ number a multiple of 16, e.g\. 64 or 80/],
    ["a count that is not whole /28s", [{ name: "x", firstNumber: 64, numberCount: 20 }], /teams\[0\]\.numberCount = 20: must be a multiple of 16/],
    ["a range reaching the broadcast /28", [{ name: "x", firstNumber: 176 }], /teams\[0\]\.firstNumber = 176: numbers 176-191 reach past the last \/28 an edge subnet of 256 addresses can delegate.*Fix: keep the range at or below number 175/],
    ["overlapping teams", [{ name: "x", firstNumber: 64, numberCount: 32 }, { name: "y", firstNumber: 80 }], /teams\[1\]\.firstNumber = 80: numbers 80-95 overlap those of team x \(64-95\)/],
    ["a name twice", [{ name: "x", firstNumber: 64 }, { name: "x", firstNumber: 80 }], /teams\[1\]\.name = "x": is a second team of that name/],
    ["a name that is not a DNS label", [{ name: "Pay_ments", firstNumber: 64 }], /teams\[0\]\.name = "Pay_ments": is not a team name/],
    ["an unknown tier", [{ name: "x", firstNumber: 64, tiers: ["billing"] }], /teams\[0\]\.tiers\[0\] = "billing": is not a server tier of the VPC.*Fix: add it to the VPC's serverTiers \(at the end\), or use one of servers, payments, search/],
    ["a shared tier", [{ name: "x", firstNumber: 64, tiers: ["payments"] }, { name: "y", firstNumber: 80, tiers: ["payments"] }], /teams\[1\]\.tiers\[0\] = "payments": is already a tier of team x/],
  ])("%s is refused", (_name, teams, message) => {
    expectPlanError(() => planTeams(teams, vpc(), ZONES, where), new RegExp(`^app/Edge: ${message.source}`));
  });

  test("the platform's own services stay out of every team's range, and teams take interface addresses", () => {
    const net = vpc();
    const p = plan({}, net);
    expectPlanError(
      () => p.addService({ origin: { path: "app/Edge", property: "publish(x)" }, name: "x", number: 70, target: server(net, "servers", "eu-north-1a", 16), ports: [Port.tcp(1)], carriers: p.translators }),
      /publish\(x\)\.number = 70: belongs to team payments \(numbers 64-79\), whose own stack publishes them/,
    );
    // t4g.small: 4 addresses per interface, so one service beside two teams' prefixes, and no second.
    const smallNet = vpc();
    const small = plan({ instanceType: "t4g.small" }, smallNet);
    small.addService({ origin: { path: "app/Edge", property: "publish(one)" }, name: "one", number: 1, target: server(smallNet, "servers", "eu-north-1a", 16), ports: [Port.tcp(1)], carriers: small.translators });
    expectPlanError(
      () => small.addService({ origin: { path: "app/Edge", property: "publish(two)" }, name: "two", number: 2, target: server(smallNet, "servers", "eu-north-1a", 17), ports: [Port.tcp(1)], carriers: small.translators }),
      /would carry 2 service addresses and 2 teams' delegated prefixes, but its interface holds 3 secondary IPv4 addresses or prefixes/,
    );
    expectPlanError(() => plan({ instanceType: "t4g.micro" }), /teams = \["payments","search"\]: need 2 delegated prefixes on every translator interface, which holds 1 besides its primary address/);
  });

  test("a team's side takes only its own numbers, and its addresses use no interface address", () => {
    const p = plan();
    const teamNet = vpc();
    const team = plan({ teams: undefined, team: p.teams[0], instanceType: "t4g.micro" }, teamNet);
    expectPlanError(
      () => team.addService({ origin: { path: "team/Payments", property: "publish(x)" }, name: "x", number: 80, target: server(teamNet, "payments", "eu-north-1a", 16), ports: [Port.tcp(1)], carriers: team.translators }),
      /^team\/Payments: publish\(x\)\.number = 80: is outside the service numbers of team payments \(64-79\)\. Fix: pick a number from 64-79, or ask the platform for a larger range/,
    );
    for (let n = 64; n < 68; n++) {
      team.addService({ origin: { path: "team/Payments", property: `publish(s${n})` }, name: `s${n}`, number: n, target: server(teamNet, "payments", "eu-north-1a", n), ports: [Port.tcp(1)], carriers: team.translators });
    }
    expect(team.addressesOn(team.translators[0])).toHaveLength(4);
    // Its own prefixes, and what its fragment on b0 carries: the address, its pool6 form, the target.
    expect(team.teamPrefixesOn(team.translators[1])).toEqual(["10.0.1.128/28"]);
    expect(team.fragmentAddresses(team.translators[1], String)[0]).toEqual({ ipv4: "10.0.1.128", pool6: "64:ff9b:1:1::a00:180", target: "2001:db8:1200:20::40", ports: [Port.tcp(1)], outbound: false });
  });

  test("publish asks the plan once: the new rules only, each group and port once", () => {
    const net = vpc();
    const p = plan({ teams: undefined }, net);
    const input = (name: string, number: number, host: number, ports: Port[], outboundIpv4 = false) => ({
      origin: { path: "app/Edge", property: `publish(${name})` },
      name,
      number,
      target: server(net, "servers", "eu-north-1a", host),
      ports,
      carriers: p.translators,
      serverSecurityGroup: `app/Web/Server${host}/PublishedSecurityGroup`,
      outboundIpv4,
    });
    const www = p.publish(input("www", 1, 16, [Port.tcp(80), Port.tcp(443)]));
    expect(www.rules.translatorPorts.map(String)).toEqual(["tcp/80", "tcp/443"]);
    expect(www.rules.serverPorts.map((r) => `${r.from} ${r.port}`)).toEqual(["translators tcp/80", "internet tcp/80", "translators tcp/443", "internet tcp/443"]);
    expect(www.publicAddresses.map((s) => `${s.id}/${s.translator.id}`)).toEqual(["1/a0", "1/b0"]);
    const api = p.publish({ ...input("api", 2, 17, [Port.tcp(443)], true), ipv6Internet: false });
    expect(api.rules).toEqual({ translatorPorts: [], serverPorts: [{ port: Port.tcp(443), from: "translators" }], translatorIpv4Egress: true, serverIpv4Egress: true });
    const mail = p.publish(input("mail", 3, 18, [Port.tcp(25)], true));
    expect(mail.rules.translatorIpv4Egress).toBe(false);
    expect(mail.rules.serverIpv4Egress).toBe(true);
  });
});

describe("platform manifest", () => {
  const manifest = () => JSON.parse(fs.readFileSync(path.join(__dirname, "../../examples/teams/platform.json"), "utf8")) as Record<string, unknown>;
  const origin = { path: "team-search/Search", property: "platform" };

  test("the example's manifest parses and names the search team's set", () => {
    const m = parsePlatformManifest(manifest(), origin);
    expect(m.format).toBe(PLATFORM_MANIFEST_FORMAT);
    const { set, team } = findTeam(m, "search", undefined, origin);
    expect(set.path).toBe("platform/Edge");
    expect([team.firstNumber, team.numberCount, team.tiers]).toEqual([80, 16, ["search"]]);
  });

  test.each<[string, (m: Record<string, unknown>) => unknown, RegExp]>([
    ["not an object", () => "platform.json", /^team-search\/Search: platform = "platform.json": is not a platform manifest \(a JSON object\)\. Fix: re-export it after the platform's apply: terraform output -json siit_dc_platform > platform\.json$/],
    ["a newer layout", (m) => ({ ...m, format: "siit-dc-platform/2" }), /platform\.format = "siit-dc-platform\/2": is a manifest layout this release does not read \(it reads siit-dc-platform\/1\)/],
    ["a missing VPC id", (m) => ({ ...m, vpc: { ...(m.vpc as object), vpcId: undefined } }), /platform\.vpc\.vpcId = undefined/],
    ["a misspelt key", (m) => ({ ...m, translatorSet: m.translatorSets }), /platform\.translatorSet = .*is not a property of PlatformManifest.*did you mean translatorSets/],
  ])("%s is refused, naming the team construct", (_name, edit, message) => {
    expectPlanError(() => parsePlatformManifest(edit(manifest()), origin), message);
  });

  test("a team the platform has not applied yet says what to do first", () => {
    const m = parsePlatformManifest(manifest(), origin);
    expectPlanError(
      () => findTeam(m, "billing", undefined, origin),
      /platform = "billing": is not a team of platform platform \(teams: payments \(platform\/Edge\), search \(platform\/Edge\)\)\. Fix: add \{ name: "billing", firstNumber: \.\.\. \} to the platform's SiitDcTranslators teams, apply the platform stack platform first, then re-export it/,
    );
  });
});
