import { Ipv6Prefix } from "../address/ip";
import { Port } from "../ports";
import { TranslationPlan, TranslatorPlan } from "./translation-plan";

/**
 * The per-address filter of one translator (DESIGN.md invariant 16): security groups cannot match
 * a destination address, so the translator's group admits the union of every service's ports, and
 * this nftables table narrows each published address to its own service's ports before Jool sees
 * the packet. It is delivered in the same object as the Jool file (see `nodeConfigBundle`), so the
 * EAM table and the filter change together.
 *
 * Where it runs: prerouting at priority raw (-300), ahead of Jool's hook (-75, NICMx/Jool v4.1.9
 * src/mod/common/xlator.c) and of connection tracking (-200). Jool hands translated packets to
 * the output path, so connection tracking never confirms a translated flow: the filter is
 * stateless on purpose, and the translator's security group (stateful, in front of it) keeps
 * admitting replies to what the servers started.
 *
 * Per published IPv4 address (and the same address in this translator's pool6, the form a server
 * uses to hairpin to another service here, RFC 7757):
 * - the declared TCP/UDP ports and, if declared, echo requests pass;
 * - ICMP errors pass (path MTU discovery of the server's replies, RFC 4890 / RFC 1191);
 * - non-first fragments pass: they carry no ports, and the first fragment was judged already;
 * - a service with `outboundIpv4` also receives the replies to what its server started: TCP
 *   segments that are not a bare SYN and UDP, to the ephemeral ports servers send from
 *   (`SERVER_EPHEMERAL_PORTS`), and echo replies; the security group in front admits only
 *   replies of the server's own connections among them;
 * - on the pool6 form, which only servers reach (hairpinning), replies to the caller's
 *   connections pass too (TCP that is not a bare SYN, UDP, to its ephemeral ports);
 * - everything else to the address is dropped and counted.
 * Traffic to any other destination is not this table's business (the guard and Jool's denylist4
 * handle it).
 */

/** The nftables table that holds the translator's per-address filter. */
export const TRANSLATOR_FILTER_TABLE = "siit_dc_services";

/**
 * Where servers' connections start: Linux's default `net.ipv4.ip_local_port_range` (Debian 12, the
 * fleet's image). A server image with another range needs replies to it.
 */
export const SERVER_EPHEMERAL_PORTS = "32768-60999";

/** Comment on the counted drop rule, so operators and the lab can find its counter. */
export const UNDECLARED_DROP_COMMENT = "undeclared port of a published address";

interface AddressRules {
  readonly ipv4: string;
  readonly pool6Form: string;
  readonly ports: readonly Port[];
  readonly outbound: boolean;
}

/**
 * The nft script (`nft -f`) that replaces this translator's filter table in one transaction.
 * `pool6` is the translator's own prefix unless a lab runs it under another one. `plan` is the
 * set's plan, or anything that answers `addressesOn` (the lab's merge of the platform's plan and
 * its teams').
 */
export function renderTranslatorFilter(plan: Pick<TranslationPlan, "addressesOn">, translator: TranslatorPlan, pool6: Ipv6Prefix = translator.prefix): string {
  const rules: AddressRules[] = plan.addressesOn(translator).map(({ service, address }) => ({
    ipv4: address.privateIpv4.toString(),
    pool6Form: pool6.embedIpv4(address.privateIpv4).toString(),
    ports: service.ports,
    outbound: service.outboundIpv4,
  }));
  const t = TRANSLATOR_FILTER_TABLE;
  const lines = [
    `# SIIT-DC translator ${translator.id}: each published address passes only its own service's ports; generated, do not edit`,
    // Declaring then deleting makes the first load and every later one the same single transaction.
    `table inet ${t}`,
    `delete table inet ${t}`,
    `table inet ${t} {`,
    ...set("published4", "ipv4_addr", rules.map((r) => r.ipv4)),
    ...set("published6", "ipv6_addr", rules.map((r) => r.pool6Form)),
    ...set("declared4", "ipv4_addr . inet_proto . inet_service", rules.flatMap((r) => portElements(r.ipv4, r.ports)), true),
    ...set("declared6", "ipv6_addr . inet_proto . inet_service", rules.flatMap((r) => portElements(r.pool6Form, r.ports)), true),
    ...set("echo4", "ipv4_addr", rules.filter(hasEcho).map((r) => r.ipv4)),
    ...set("echo6", "ipv6_addr", rules.filter(hasEcho).map((r) => r.pool6Form)),
    ...set("outbound4", "ipv4_addr", rules.filter((r) => r.outbound).map((r) => r.ipv4)),
    ...set("outbound6", "ipv6_addr", rules.filter((r) => r.outbound).map((r) => r.pool6Form)),
    "  chain prerouting {",
    "    type filter hook prerouting priority raw; policy accept;",
    "    ip daddr @published4 jump published4",
    "    ip6 daddr @published6 jump published6",
    "  }",
    "  chain published4 {",
    "    ip frag-off & 0x1fff != 0 accept comment \"non-first fragment: no ports to judge\"",
    "    ip daddr . meta l4proto . th dport @declared4 accept",
    "    ip daddr @echo4 icmp type echo-request accept",
    "    icmp type { destination-unreachable, time-exceeded, parameter-problem } accept",
    `    ip daddr @outbound4 tcp dport ${SERVER_EPHEMERAL_PORTS} tcp flags & (syn | ack) != syn accept comment "outboundIpv4: replies to the server's connections"`,
    `    ip daddr @outbound4 udp dport ${SERVER_EPHEMERAL_PORTS} accept comment "outboundIpv4: replies to the server's datagrams"`,
    "    ip daddr @outbound4 icmp type echo-reply accept",
    `    counter drop comment "${UNDECLARED_DROP_COMMENT}"`,
    "  }",
    "  chain published6 {",
    "    frag frag-off != 0 accept comment \"non-first fragment: no ports to judge\"",
    "    ip6 daddr . meta l4proto . th dport @declared6 accept",
    "    ip6 daddr @echo6 icmpv6 type echo-request accept",
    "    icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept",
    // Only servers reach the pool6 forms (the /96 is routed in server route tables only): a
    // hairpinned service's replies come back to the caller's address here.
    `    tcp dport ${SERVER_EPHEMERAL_PORTS} tcp flags & (syn | ack) != syn accept comment "hairpin: replies to a server's connections"`,
    `    udp dport ${SERVER_EPHEMERAL_PORTS} accept comment "hairpin: replies to a server's datagrams"`,
    "    ip6 daddr @outbound6 icmpv6 type echo-reply accept",
    `    counter drop comment "${UNDECLARED_DROP_COMMENT}"`,
    "  }",
    "}",
  ];
  return `${lines.join("\n")}\n`;
}

function hasEcho(r: AddressRules): boolean {
  return r.ports.some((p) => p.protocol === "icmp");
}

function portElements(address: string, ports: readonly Port[]): string[] {
  return ports
    .filter((p) => p.protocol !== "icmp")
    .map((p) => `${address} . ${p.protocol} . ${p.fromPort === p.toPort ? p.fromPort : `${p.fromPort}-${p.toPort}`}`);
}

/** A named set; an empty one is declared without elements (nft refuses `elements = { }`). */
function set(name: string, type: string, elements: readonly string[], interval = false): string[] {
  return [
    `  set ${name} {`,
    `    type ${type}`,
    ...(interval ? ["    flags interval"] : []),
    ...(elements.length ? [`    elements = { ${elements.join(", ")} }`] : []),
    "  }",
  ];
}
