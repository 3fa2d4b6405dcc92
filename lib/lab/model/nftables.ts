import { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix } from "../../plan/address/ip";
import { Port } from "../../plan/ports";
import { IngressRuleSpec, portIngress } from "../../plan/security-groups";
import { embeddedRange, Nat64Pool4 } from "./tayga";

/**
 * Security groups as data, and the nftables rulesets the lab loads for them and for the other
 * devices it stands in for (the internet gateway's 1:1 NAT, Jool's denylist4, the NAT64's pool4).
 *
 * A security group is stateful and filters what enters an interface: the lab's ruleset admits
 * established and related traffic, then the group's rules, and drops the rest, on the input and
 * forward hooks of the namespace's VPC-facing interface. A group with egress rules filters what
 * leaves that interface the same way (output and forward hooks); one without is open, as AWS's
 * default egress rule is. Neighbour discovery is admitted as lab plumbing
 * (a VPC has no link layer to filter), marked as such in the ruleset.
 */

export interface LabSgRule {
  /** The rule's description as planned. */
  readonly description: string;
  readonly family: "ipv4" | "ipv6";
  readonly protocol: "all" | "tcp" | "udp" | "icmp" | "icmpv6";
  /** tcp/udp port range. */
  readonly ports?: { readonly from: number; readonly to: number };
  /** ICMP type and optional code (AWS: fromPort = type, toPort = code or -1). */
  readonly icmp?: { readonly type: number; readonly code?: number };
  /** Source prefixes (lab values), or destinations for an egress rule; `0.0.0.0/0` or `::/0` for any. */
  readonly sources: readonly string[];
  /** Prefixes inside `sources` the rule does not cover (lab values). */
  readonly except?: readonly string[];
}

export interface LabSecurityGroup {
  /** Construct path of the group. */
  readonly name: string;
  readonly rules: readonly LabSgRule[];
  /** Outbound rules; absent: everything may leave. */
  readonly egress?: readonly LabSgRule[];
}

/**
 * A planned inbound rule (the very spec the constructs create, lib/plan/security-groups.ts) as a
 * lab rule; `sources` replaces the spec's source with lab values (substituted prefixes, the
 * entries of a prefix list).
 */
export function labRule(spec: IngressRuleSpec, sources?: readonly string[]): LabSgRule {
  const from = sources ?? ("cidr" in spec.source ? [spec.source.cidr] : []);
  const common = { description: spec.description, family: spec.family, sources: from };
  switch (spec.protocol) {
    case "-1":
      return { ...common, protocol: "all" };
    case "icmp":
    case "icmpv6":
      return { ...common, protocol: spec.protocol, icmp: { type: spec.fromPort!, code: spec.toPort === -1 ? undefined : spec.toPort } };
    default:
      return { ...common, protocol: spec.protocol, ports: { from: spec.fromPort!, to: spec.toPort! } };
  }
}

/** A published or fleet port as a rule of the given family (icmp echo: type 8 or 128). */
export function portRule(port: Port, family: "ipv4" | "ipv6", sources: readonly string[], description: string): LabSgRule {
  return labRule(portIngress("lab", port, family, { cidr: family === "ipv4" ? "0.0.0.0/0" : "::/0" }, description), sources);
}

/** A packet, as far as security groups look at it. */
export interface LabPacket {
  readonly source: Ipv4Address | Ipv6Address;
  readonly protocol: "tcp" | "udp" | "icmp" | "icmpv6";
  readonly port?: number;
  readonly icmpType?: number;
}

/** The first rule of `sg` that admits `packet`, if any (the lab's ND plumbing aside). */
export function admittingRule(sg: LabSecurityGroup, packet: LabPacket): LabSgRule | undefined {
  const family = packet.source instanceof Ipv4Address ? "ipv4" : "ipv6";
  return sg.rules.find((r) => {
    if (r.family !== family) return false;
    if (r.protocol !== "all" && r.protocol !== packet.protocol) return false;
    if (r.ports && (packet.port === undefined || packet.port < r.ports.from || packet.port > r.ports.to)) return false;
    if (r.icmp && packet.icmpType !== r.icmp.type) return false;
    return r.sources.some((s) => (family === "ipv4" ? Ipv4Prefix.parse(s).contains(packet.source as Ipv4Address) : Ipv6Prefix.parse(s).contains(packet.source as Ipv6Address)));
  });
}

/** One inbound rule as an nftables statement. */
export function nftRule(rule: LabSgRule): string {
  return nftStatement(rule, "saddr");
}

/** One outbound rule as an nftables statement: its `sources` are destinations. */
export function nftEgressRule(rule: LabSgRule): string {
  return nftStatement(rule, "daddr");
}

function nftStatement(rule: LabSgRule, field: "saddr" | "daddr"): string {
  const parts: string[] = [];
  const any = rule.sources.length === 0 || rule.sources.some((s) => s === "0.0.0.0/0" || s === "::/0");
  const peer = `${rule.family === "ipv4" ? "ip" : "ip6"} ${field}`;
  if (any) parts.push(`meta nfproto ${rule.family}`);
  else parts.push(`${peer} ${set(rule.sources)}`);
  if (rule.except?.length) parts.push(`${peer} != ${set(rule.except)}`);
  switch (rule.protocol) {
    case "tcp":
    case "udp":
      parts.push(`${rule.protocol} dport ${rule.ports!.from === rule.ports!.to ? rule.ports!.from : `${rule.ports!.from}-${rule.ports!.to}`}`);
      break;
    case "icmp":
    case "icmpv6":
      if (rule.icmp) parts.push(`${rule.protocol} type ${rule.icmp.type}`);
      if (rule.icmp?.code !== undefined) parts.push(`${rule.protocol} code ${rule.icmp.code}`);
      else if (!rule.icmp) parts.push(`meta l4proto ${rule.protocol === "icmp" ? "icmp" : "ipv6-icmp"}`);
      break;
    case "all":
      break;
  }
  parts.push("accept", comment(rule.description));
  return parts.join(" ");
}

/**
 * The nftables ruleset of a security group on `iface`: what enters it, at input and forward (in the
 * interface's own namespace), or with `outbound`, what a router forwards out of `iface` towards
 * the interface (the group sits outside the instance, as on AWS).
 */
export function renderSecurityGroup(sg: LabSecurityGroup, iface: string, options: { table?: string; outbound?: boolean } = {}): string {
  // Egress rules filter what the instance sends: out of `iface` in its own namespace, or into the
  // router from `iface` when the group sits on the router's link.
  const egress = sg.egress
    ? [
        "\tchain egress {",
        `\t\tct state established,related accept ${comment("stateful: replies and related ICMP errors")}`,
        `\t\ticmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept ${comment("lab plumbing: neighbour discovery (a VPC has no link layer)")}`,
        ...sg.egress.map((r) => `\t\t${nftEgressRule(r)}`),
        `\t\tcounter drop ${comment(`no egress rule of ${sg.name} admits it`)}`,
        "\t}",
      ]
    : [];
  const hooks = options.outbound
    ? [`\tchain forward { type filter hook forward priority filter; policy accept; oifname "${iface}" jump ingress;${sg.egress ? ` iifname "${iface}" jump egress;` : ""} }`]
    : [
        ...(sg.egress ? [`\tchain output { type filter hook output priority filter; policy accept; oifname "${iface}" jump egress; }`] : []),
        `\tchain input { type filter hook input priority filter; policy accept; iifname "${iface}" jump ingress; }`,
        `\tchain forward { type filter hook forward priority filter; policy accept; iifname "${iface}" jump ingress;${sg.egress ? ` oifname "${iface}" jump egress;` : ""} }`,
      ];
  return [
    `table inet ${options.table ?? "sg"} {`,
    "\tchain ingress {",
    `\t\tct state established,related accept ${comment("stateful: replies and related ICMP errors")}`,
    `\t\ticmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept ${comment("lab plumbing: neighbour discovery (a VPC has no link layer)")}`,
    ...sg.rules.map((r) => `\t\t${nftRule(r)}`),
    `\t\tcounter drop ${comment(`no rule of ${sg.name} admits it`)}`,
    "\t}",
    ...egress,
    ...hooks,
    "}",
    "",
  ].join("\n");
}

export interface IgwNat {
  readonly eip: Ipv4Address;
  readonly private: Ipv4Address;
  readonly label: string;
}

/**
 * The internet gateway: 1:1 NAT between each EIP and the private address it is associated with
 * (conntrack NATs the return path back), IPv6 routed natively, no IPv4 from private addresses
 * without an EIP, and an egress-only gateway that lets no inbound-initiated flow out.
 */
export function renderInternetGateway(nat: readonly IgwNat[], links: { internet: string; vpc: string; egressOnly?: string }): string {
  const lines = ["table ip igw_nat {", "\tchain pre {", "\t\ttype nat hook prerouting priority dstnat; policy accept;"];
  for (const n of nat) lines.push(`\t\tiifname "${links.internet}" ip daddr ${n.eip} dnat to ${n.private} ${comment(n.label)}`);
  lines.push("\t}", "\tchain post {", "\t\ttype nat hook postrouting priority srcnat; policy accept;");
  for (const n of nat) lines.push(`\t\toifname "${links.internet}" ip saddr ${n.private} snat to ${n.eip} ${comment(n.label)}`);
  lines.push("\t}", "}", "table inet igw_filter {", "\tchain forward {", "\t\ttype filter hook forward priority filter; policy accept;");
  const inside = links.egressOnly ? `{ "${links.vpc}", "${links.egressOnly}" }` : `"${links.vpc}"`;
  const privates = nat.map((n) => n.private.toString());
  lines.push(
    privates.length
      ? `\t\tiifname ${inside} oifname "${links.internet}" ip saddr != ${set(privates)} counter drop ${comment("internet gateway: no EIP is associated with this private address")}`
      : `\t\tiifname ${inside} oifname "${links.internet}" meta nfproto ipv4 counter drop ${comment("internet gateway: no EIP is associated with any address")}`,
  );
  if (links.egressOnly) {
    lines.push(`\t\tiifname "${links.egressOnly}" ct direction reply counter drop ${comment("egress-only internet gateway: flows initiated from the internet do not leave through it")}`);
  }
  lines.push("\t}", "}", "");
  return lines.join("\n");
}

/**
 * Jool's denylist4, honoured around tayga: IPv4 destinations without an EAM entry are not routed
 * into the TUN and are dropped here (no pool6 loop), denylisted IPv4 sources are not translated,
 * and IPv6 destinations that embed a denylisted IPv4 are not translated either.
 */
export function renderDenylist4(denylist4: readonly Ipv4Prefix[], mapped: readonly Ipv4Prefix[], pool6: Ipv6Prefix | undefined, links: { eni: string; tun: string }): string {
  const lines = ["table inet jool_denylist4 {", "\tchain forward {", "\t\ttype filter hook forward priority 5; policy accept;"];
  for (const d of denylist4) {
    const c = comment(`denylist4 ${d}: no EAM entry, so no pool6 translation`);
    lines.push(`\t\tiifname "${links.eni}" oifname != "${links.tun}" ip daddr ${d} counter drop ${c}`);
    const exempt = mapped.filter((m) => d.overlaps(m)).map(String);
    lines.push(`\t\toifname "${links.tun}" ip saddr ${d}${exempt.length ? ` ip saddr != ${set(exempt)}` : ""} counter drop ${c}`);
    if (pool6) lines.push(`\t\toifname "${links.tun}" ip6 daddr ${embeddedRange(pool6, d)} counter drop ${c}`);
  }
  lines.push("\t}", "}", "");
  return lines.join("\n");
}

/** The NAT64 stand-in's NAT44: tayga's dynamic pool masqueraded to the node's own address, with pool4's ports. */
export function renderNat64Masquerade(pool: Ipv4Prefix, eni: string, pool4: readonly Nat64Pool4[], joolDefault: boolean): string {
  const lines = ["table ip nat64_pool4 {", "\tchain post {", "\t\ttype nat hook postrouting priority srcnat; policy accept;"];
  const base = `oifname "${eni}" ip saddr ${pool}`;
  if (pool4.length) {
    for (const p of pool4) {
      const ports = p.ports && p.protocol !== "icmp" ? ` to :${p.ports}` : "";
      lines.push(`\t\t${base} meta l4proto ${p.protocol} counter masquerade${ports} ${comment(`pool4 ${p.protocol.toUpperCase()} ${p.ports ?? "any"}`)}`);
    }
  } else if (joolDefault) {
    lines.push(`\t\t${base} meta l4proto { tcp, udp } counter masquerade to :61001-65535 ${comment("empty pool4: ports 61001-65535 of the node's own address")}`);
    lines.push(`\t\t${base} counter masquerade ${comment("empty pool4: ICMP identifiers of the node's own address")}`);
  } else {
    lines.push(`\t\t${base} counter masquerade ${comment("NAT gateway: the gateway's own address")}`);
  }
  lines.push("\t}", "}", "");
  return lines.join("\n");
}

/** Where a trace counter sits. Priorities put the counters before and after each filter. */
export const TRACE_CHAINS = {
  /** Prerouting, before conntrack and NAT: sees an EIP before the internet gateway NATs it. */
  pre: { hook: "prerouting", priority: "raw" },
  fwd_early: { hook: "forward", priority: "-10" },
  /** After security groups (priority 0), before the denylist4 drops (5). */
  fwd_mid: { hook: "forward", priority: "3" },
  fwd_late: { hook: "forward", priority: "10" },
  in_early: { hook: "input", priority: "-10" },
  in_late: { hook: "input", priority: "10" },
  out: { hook: "output", priority: "raw" },
  /** Real Jool only: Jool sends its translations with dst_output(), past output, into postrouting. */
  post: { hook: "postrouting", priority: "raw", onlyIfUsed: true },
  /** After a node's own raw-priority filter (-300), before conntrack (-200) and Jool (-75). */
  pre_filtered: { hook: "prerouting", priority: "-250", onlyIfUsed: true },
  /** Before IPv6 defragmentation (-400, which conntrack turns on): sees fragments as they came. */
  pre_frag: { hook: "prerouting", priority: "-450", onlyIfUsed: true },
} as const;
export type TraceChain = keyof typeof TRACE_CHAINS;

export interface TraceCounter {
  /** Unique within the run; the rule's comment. */
  readonly id: string;
  readonly chain: TraceChain;
  /** nftables match expression. */
  readonly match: string;
}

/** The trace table of one namespace: counters only, no verdicts. */
export function renderTrace(counters: readonly TraceCounter[]): string {
  const lines = ["table inet lab_trace {"];
  for (const [name, spec] of Object.entries(TRACE_CHAINS)) {
    const rules = counters.filter((c) => c.chain === name);
    if ("onlyIfUsed" in spec && rules.length === 0) continue;
    lines.push(`\tchain ${name} {`, `\t\ttype filter hook ${spec.hook} priority ${spec.priority}; policy accept;`);
    for (const r of rules) lines.push(`\t\t${r.match} counter comment "${r.id}"`);
    lines.push("\t}");
  }
  lines.push("}", "");
  return lines.join("\n");
}

function set(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `{ ${items.join(", ")} }`;
}

function comment(text: string): string {
  const clean = text.replace(/["\\\n]/g, "'");
  return `comment "${clean.length > 120 ? `${clean.slice(0, 117)}...` : clean}"`;
}
