import { Ipv4Address } from "../../lib/plan/address/ip";
import { SymbolicIpv6Address } from "../../lib/plan/address/symbolic";
import { VpcAddressPlan } from "../../lib/plan/address/vpc-plan";
import { NodeConfigFragments, nodeConfigBundleText } from "../../lib/plan/jool/bundle";
import { EamHairpinMode, SiitConfig } from "../../lib/plan/jool/config";
import { FragmentAddress, teamFragmentText } from "../../lib/plan/jool/fragments";
import { Port } from "../../lib/plan/ports";
import { TranslationPlan, TranslatorPlan } from "../../lib/plan/siit/translation-plan";
import { renderTranslatorFilter } from "../../lib/plan/siit/translator-filter";

/**
 * A translator shared by the platform and two teams, for the config agent's fragment merge
 * (test/artefacts/jool-agent.test.ts and the VM tier): translator a0 of a 3-zone VPC carries two
 * platform services (numbers 1 and 2), team alpha's three (16-18, inside 10.0.0.80/28) and team
 * beta's two (32-33, inside 10.0.0.96/28); a platform service on b0 only (number 3) must not
 * appear on a0. The single-stack rendering is the same services on one TranslationPlan (its
 * joolConfig and renderTranslatorFilter); the platform's object and the teams' fragments are
 * made from plans of the same services split by owner.
 */
export const VPC4 = "10.0.0.0/16";
const ZONES = ["eu-north-1a", "eu-north-1b", "eu-north-1c"];
export const render = (a: SymbolicIpv6Address): string => a.toString();

export type Team = "alpha" | "beta";
export type Owner = "platform" | Team;
export interface TeamService {
  readonly who: Owner;
  readonly name: string;
  readonly number: number;
  readonly ports: Port[];
  readonly outbound?: boolean;
  readonly zone?: string;
}

export const SERVICES: readonly TeamService[] = [
  { who: "platform", name: "www", number: 1, ports: [Port.tcp(80), Port.tcp(443), Port.icmpEcho()] },
  { who: "platform", name: "mail", number: 2, ports: [Port.tcp(25)], outbound: true },
  { who: "platform", name: "dns", number: 3, ports: [Port.udp(53)], zone: "eu-north-1b" },
  { who: "alpha", name: "shop", number: 16, ports: [Port.tcp(443), Port.icmpEcho()] },
  { who: "alpha", name: "game", number: 17, ports: [Port.udpRange(27015, 27020), Port.tcp(27015)] },
  { who: "alpha", name: "relay", number: 18, ports: [Port.tcp(587)], outbound: true },
  { who: "beta", name: "api", number: 32, ports: [Port.tcp(8443)] },
  { who: "beta", name: "ntp", number: 33, ports: [Port.udp(123), Port.icmpEcho()] },
];

/** The teams' IPv4 ranges on a0. */
export const RANGES: Readonly<Record<Team, string[]>> = { alpha: ["10.0.0.80/28"], beta: ["10.0.0.96/28"] };

/** A plan of the services `which` selects; a0 is its translator in the first zone. */
export function planOf(which: (s: TeamService) => boolean): { p: TranslationPlan; a0: TranslatorPlan } {
  const net = new VpcAddressPlan({ path: "app/Net", availabilityZones: ZONES, ipv4Cidr: VPC4, ipv6Cidr: { literal: "2001:db8:1200::/56" }, serverTiers: ["servers"] });
  const p = new TranslationPlan({
    path: "app/Edge",
    vpc: net,
    zones: ZONES,
    translatorsPerZone: 1,
    translationPrefix: "64:ff9b:1::/48",
    instanceType: "c7gn.xlarge",
    lowestIpv6Mtu: 1500,
    eamHairpinMode: EamHairpinMode.INTRINSIC,
    firstHostIndex: 10,
  });
  for (const s of SERVICES.filter(which)) {
    const zone = s.zone ?? "eu-north-1a";
    p.addService({
      origin: { path: "app/Edge", property: `publish(${s.name})` },
      name: s.name,
      number: s.number,
      target: net.subnet("servers", zone, { path: "t", property: "t" }).ipv6.host(100 + s.number),
      ports: s.ports,
      outboundIpv4: s.outbound,
      serverSecurityGroup: s.outbound ? "sg-0123" : undefined,
      carriers: [p.translators.find((t) => t.zone.name === zone)!],
    });
  }
  return { p, a0: p.translators.find((t) => t.id === "a0")! };
}

const pool6Range = (a0: TranslatorPlan, v4: string) => `${a0.prefix.embedIpv4(Ipv4Address.parse(v4.split("/")[0]))}/124`;

/** The platform's object: its own services' Jool file and filter, plus the teams' ranges on a0. */
export function platformObject(ranges: Readonly<Record<string, readonly string[]>> = RANGES): string {
  const { p, a0 } = planOf((s) => s.who === "platform");
  const fragments: NodeConfigFragments = {
    translator: "a0",
    vpcIpv4: VPC4,
    teams: Object.entries(ranges).map(([team, ipv4]) => ({ team, ipv4, pool6: ipv4.map((r) => pool6Range(a0, r)) })),
  };
  return nodeConfigBundleText(p.joolConfig(a0, render), renderTranslatorFilter(p, a0), fragments);
}

/** A team's fragment for a0, from the all-services plan (as the team construct would write it). */
export function fragmentOf(team: Team, translator = "a0"): string {
  const { p, a0 } = planOf(() => true);
  const names = SERVICES.filter((s) => s.who === team).map((s) => s.name);
  const addresses: FragmentAddress[] = p
    .addressesOn(a0)
    .filter(({ service }) => names.includes(service.name))
    .map(({ service, address }) => ({
      ipv4: address.privateIpv4.toString(),
      pool6: a0.prefix.embedIpv4(address.privateIpv4).toString(),
      target: render(service.target),
      ports: service.ports,
      outbound: service.outboundIpv4,
    }));
  return teamFragmentText(team, translator, addresses);
}

/** The single-stack rendering of the services `which` selects on a0. */
export function singleStack(which: (s: TeamService) => boolean): { jool: SiitConfig; filter: string } {
  const { p, a0 } = planOf(which);
  return { jool: p.joolConfig(a0, render), filter: renderTranslatorFilter(p, a0) };
}
