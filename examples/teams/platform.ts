import { Construct } from "constructs";
import { AlarmNotifications, Ipv6OnlyVpc, Ipv6ServerFleet, Nat64Provider, OutboundNat64, PlatformManifest, Port, SiitDcTeam, SiitDcTranslators, TeamPlatform, TranslatorTeam } from "../../lib";

/** A Route 53 hosted zone of the example (any zone id; nothing is deployed from here). */
export const TEAMS_ZONE_ID = "Z0EXAMPLE0TEAMS";

/**
 * The platform's teams: each gets 16 service numbers (one /28 of every edge subnet, delegated to
 * every translator interface) and a server tier of its own.
 */
export const PLATFORM_TEAMS: TranslatorTeam[] = [
  { name: "payments", firstNumber: 64, tiers: ["payments"] },
  { name: "search", firstNumber: 80, tiers: ["search"] },
];

/** Knobs the tests turn to compare versions of the example. */
export interface TeamsOptions {
  /** The payments team's services. @default ["pay", "hooks"] */
  readonly payments?: ("pay" | "hooks" | "refunds")[];
  /** The search team's services. @default ["search"] */
  readonly search?: ("search" | "suggest")[];
  /** The name of the payments team's `pay` service. @default "pay" */
  readonly payName?: string;
  /**
   * The payments team's declared public addresses (kept, reserved, when the service goes).
   * @default ["pay"], and "hooks" and "refunds" while the team publishes them
   */
  readonly paymentsAddresses?: ("pay" | "hooks" | "refunds")[];
  /**
   * Team services whose servers start IPv4 through their translators (`outboundIpv4`): the VM
   * tier's packet lab needs them for hairpinning and the packet-too-big probe. @default none
   */
  readonly outboundIpv4?: ("hooks" | "search")[];
  /** The platform's teams (the one-app composition passes them to `teamsPlatform`). @default PLATFORM_TEAMS */
  readonly teams?: TranslatorTeam[];
}

/** Knobs of the platform's stack. */
export interface PlatformOptions {
  /** The teams the translators serve; an empty list is a platform before any team is onboarded. @default PLATFORM_TEAMS */
  readonly teams?: TranslatorTeam[];
}

/**
 * The platform team's stack: the VPC with a server tier per team, NAT64, the translators with
 * their teams, one service of its own, and the manifest that teams in other apps read. The
 * platform's code never changes when a team publishes a service.
 */
export function teamsPlatform(scope: Construct, options: PlatformOptions = {}): { net: Ipv6OnlyVpc; edge: SiitDcTranslators } {
  const teams = options.teams ?? PLATFORM_TEAMS;
  const net = new Ipv6OnlyVpc(scope, "Net", { availabilityZones: ["eu-north-1a", "eu-north-1b"], serverTiers: ["servers", "payments", "search"] });
  new OutboundNat64(scope, "Outbound", { vpc: net, provider: Nat64Provider.natGateway() });
  const web = new Ipv6ServerFleet(scope, "Web", { vpc: net, servers: 1, instanceType: "c7g.large" });
  // c7gn.large: 9 addresses per interface, the primary, the platform's services and one per team.
  const edge = new SiitDcTranslators(scope, "Edge", { vpc: net, instanceType: "c7gn.large", ...(teams.length ? { teams } : {}) });
  edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(80), Port.tcp(443)], dns: { hostedZoneId: TEAMS_ZONE_ID, name: "www.example.com" } });
  new PlatformManifest(scope, "Manifest", { vpc: net, translatorSets: [edge] });
  new AlarmNotifications(scope, "Alarms");
  return { net, edge };
}

/** The payments team's stack (one app with the platform: `platform` is `edge.forTeam("payments")`). */
export function paymentsTeam(scope: Construct, platform: TeamPlatform, options: TeamsOptions = {}): SiitDcTeam {
  const services = options.payments ?? ["pay", "hooks"];
  // The team's public addresses, declared by stable ids: they outlive their services, and a team
  // that declares addresses declares one for every service it publishes.
  const addresses = { pay: { id: "pay", number: 64, preventDestroy: true }, hooks: { id: "hooks", number: 65, translators: ["eu-north-1a"] }, refunds: { id: "refunds", number: 66 } };
  const declared = options.paymentsAddresses ?? ["pay", ...services.filter((s) => s !== "pay")];
  const team = new SiitDcTeam(scope, "Payments", { platform, publicAddresses: declared.map((s) => addresses[s]) });
  const api = new Ipv6ServerFleet(scope, "PayApi", { vpc: team.vpc, tier: "payments", servers: 3, instanceType: "c7g.large" });
  if (services.includes("pay")) {
    team.publish(options.payName ?? "pay", api.server(0), { number: 64, ports: [Port.tcp(443)], dns: { hostedZoneId: TEAMS_ZONE_ID, name: "pay.example.com" }, preventDestroy: true });
  }
  if (services.includes("hooks")) team.publish("hooks", api.server(1), { number: 65, ports: [Port.tcp(8443)], translators: ["a0"], ...outbound(options, "hooks") });
  if (services.includes("refunds")) team.publish("refunds", api.server(2), { number: 66, ports: [Port.tcp(443)] });
  return team;
}

/** The search team's stack (its own app: `platform` comes from the platform's manifest). */
export function searchTeam(scope: Construct, platform: TeamPlatform, options: TeamsOptions = {}): SiitDcTeam {
  const services = options.search ?? ["search"];
  const team = new SiitDcTeam(scope, "Search", { platform });
  const nodes = new Ipv6ServerFleet(scope, "SearchNodes", { vpc: team.vpc, tier: "search", servers: 2, instanceType: "c7g.large" });
  if (services.includes("search")) team.publish("search", nodes.server(0), { number: 80, ports: [Port.tcp(443), Port.icmpEcho()], dns: { hostedZoneId: TEAMS_ZONE_ID, name: "search.example.com" }, ...outbound(options, "search") });
  if (services.includes("suggest")) team.publish("suggest", nodes.server(1), { number: 81, ports: [Port.tcp(443)] });
  return team;
}

/** `outboundIpv4: true` for the services TeamsOptions.outboundIpv4 names; nothing otherwise. */
function outbound(options: TeamsOptions, service: "hooks" | "search"): { outboundIpv4?: true } {
  return options.outboundIpv4?.includes(service) ? { outboundIpv4: true } : {};
}
