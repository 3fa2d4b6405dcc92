import { Port } from "./ports";

/**
 * Security group rule budgets. AWS's default quota is 60 inbound rules per group, counted
 * separately for IPv4 and IPv6; a rule that references a customer-managed prefix list counts as
 * the list's max_entries (VPC User Guide, "Amazon VPC quotas" and "Security group rules").
 */
export const RULES_PER_GROUP = 60;

/**
 * Inbound rules of one security group per family, weighted as AWS counts them against the quota
 * (a prefix list counts as its `max_entries`).
 */
export interface SecurityGroupRuleCount {
  /** Construct path of the group, for messages. */
  readonly group: string;
  /** Weighted IPv4 inbound rules. */
  readonly ipv4: number;
  /** Weighted IPv6 inbound rules. */
  readonly ipv6: number;
}

export function ruleBudgetProblems(counts: readonly SecurityGroupRuleCount[], limit = RULES_PER_GROUP): string[] {
  return counts.flatMap((c) =>
    (["ipv4", "ipv6"] as const)
      .filter((family) => c[family] > limit)
      .map(
        (family) =>
          `${c.group}: ${c[family]} inbound ${family === "ipv4" ? "IPv4" : "IPv6"} rules exceed the default quota of ${limit} per security group. ` +
          "Fix: publish fewer distinct ports per fleet, or ask AWS for a higher quota (rules per group x groups per interface may not exceed 1,000)",
      ),
  );
}

/**
 * One inbound security group rule as data: the constructs create exactly these, and the packet
 * lab enforces exactly these, so the two cannot drift apart.
 */
export interface IngressRuleSpec {
  /** Construct id of the rule within its owner. */
  readonly id: string;
  readonly description: string;
  readonly family: "ipv4" | "ipv6";
  /** AWS `ip_protocol`. */
  readonly protocol: "-1" | "tcp" | "udp" | "icmp" | "icmpv6";
  /** tcp/udp: first port; icmp/icmpv6: the type. Absent for all protocols. */
  readonly fromPort?: number;
  /** tcp/udp: last port; icmp/icmpv6: the code, -1 for any. Absent for all protocols. */
  readonly toPort?: number;
  /** A CIDR (literal or Terraform value), or a managed prefix list. */
  readonly source: { readonly cidr: string } | { readonly prefixListId: string };
}

/** A published port as a rule of `family` (ICMP echo: type 8 for IPv4, 128 for IPv6). */
export function portIngress(id: string, port: Port, family: "ipv4" | "ipv6", source: IngressRuleSpec["source"], description: string): IngressRuleSpec {
  if (port.protocol === "icmp") {
    return { id, description, family, protocol: family === "ipv4" ? "icmp" : "icmpv6", fromPort: family === "ipv4" ? 8 : 128, toPort: -1, source };
  }
  return { id, description, family, protocol: port.protocol as "tcp" | "udp", fromPort: port.fromPort, toPort: port.toPort, source };
}

/**
 * Every fleet's group admits only what path MTU discovery needs, from anywhere: an unpublished
 * server answers nothing else (not even echo, which a service publishes with Port.icmpEcho()).
 */
export const FLEET_BASELINE_INGRESS: readonly IngressRuleSpec[] = [
  { id: "IcmpPacketTooBig", description: "ICMPv6 packet too big (path MTU discovery)", family: "ipv6", protocol: "icmpv6", fromPort: 2, toPort: -1, source: { cidr: "::/0" } },
];

/**
 * Where servers may start traffic: the IPv6 internet (global unicast, which holds the VPC's own
 * prefix) and the outbound NAT64. Not the translators' /96s: a server starting IPv4 traffic
 * through a translator would leave from a service's public address and bypass the NAT64
 * (docs/DESIGN.md invariant 17); a service opts in with `outboundIpv4`. Instance metadata, DNS and
 * time at fd00:ec2:: are not filtered by security groups.
 */
export const FLEET_EGRESS: readonly { readonly id: string; readonly cidr: string; readonly description: string }[] = [
  { id: "Ipv6InternetEgress", cidr: "2000::/3", description: "IPv6 internet and the VPC (global unicast)" },
  { id: "Nat64Egress", cidr: "64:ff9b::/96", description: "IPv4 destinations through the outbound NAT64" },
];

/** Translators send IPv4 only in reply to clients (connection tracking) and these PMTUD errors. */
export const TRANSLATOR_IPV4_EGRESS_BASELINE = {
  id: "IcmpFragmentationNeededEgress",
  description: "ICMPv4 fragmentation needed, translated from ICMPv6 packet too big (path MTU discovery)",
  protocol: "icmp",
  fromPort: 3,
  toPort: 4,
  cidr: "0.0.0.0/0",
} as const;

/** IPv6 from each server subnet: replies to the translators' /96s, requests to the NAT64. */
export function fromServerSubnets(subnets: readonly { readonly id: string; readonly ipv6: string }[]): IngressRuleSpec[] {
  return subnets.map((s) => ({ id: `FromServers-${s.id}`, description: `IPv6 from server subnet ${s.id}`, family: "ipv6" as const, protocol: "-1" as const, source: { cidr: s.ipv6 } }));
}

/**
 * The translators' group: IPv4 only on the published ports (one rule per distinct port, whatever
 * the number of services) plus ICMPv4 fragmentation-needed for PMTUD; IPv6 only from server subnets.
 */
export function translatorIngress(ports: readonly Port[], serverSubnets: readonly { readonly id: string; readonly ipv6: string }[]): IngressRuleSpec[] {
  return [
    { id: "IcmpFragmentationNeeded", description: "ICMPv4 fragmentation needed (path MTU discovery)", family: "ipv4", protocol: "icmp", fromPort: 3, toPort: 4, source: { cidr: "0.0.0.0/0" } },
    ...fromServerSubnets(serverSubnets),
    ...ports.map(publishedPortIngress),
  ];
}

/** A published port on the translators' group: from any IPv4 client. */
export function publishedPortIngress(port: Port): IngressRuleSpec {
  return portIngress(`Published-${port.toString().replace("/", "-")}`, port, "ipv4", { cidr: "0.0.0.0/0" }, `Published ${port} from IPv4 clients`);
}
