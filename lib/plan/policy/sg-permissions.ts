import { Ipv4Prefix, Ipv6Prefix } from "../address/ip";
import { blocks, referenceOf, ResourceView, StackView, strings } from "./stack-view";

/**
 * Security group rules as EC2 sees them: one permission per (direction, protocol, port range,
 * peer), whichever Terraform resource wrote it — `aws_vpc_security_group_ingress_rule` /
 * `_egress_rule`, `aws_security_group_rule` (one permission per CIDR it lists) or the inline
 * `ingress`/`egress` blocks of `aws_security_group`. EC2 refuses a permission equal to an existing
 * one (`InvalidPermission.Duplicate`); descriptions are not part of the comparison.
 */
export interface SgPermission {
  /** The security group, as a reference key (`aws_security_group.x`) or its literal id. */
  readonly group: string;
  readonly direction: "ingress" | "egress";
  /** Normalized: "-1" (all), "tcp", "udp", "icmp", "icmpv6" or a protocol number. */
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly peer: { readonly kind: "ipv4" | "ipv6" | "prefix-list" | "group" | "self"; readonly value: string };
  readonly description: string | undefined;
  /** The resource that declares it. */
  readonly source: ResourceView;
}

const PROTOCOL_ALIASES: Record<string, string> = { "-1": "-1", all: "-1", "6": "tcp", tcp: "tcp", "17": "udp", udp: "udp", "1": "icmp", icmp: "icmp", "58": "icmpv6", icmpv6: "icmpv6" };

function protocolOf(value: unknown): string {
  const text = String(value ?? "-1").toLowerCase();
  return PROTOCOL_ALIASES[text] ?? text;
}

function portOf(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A literal CIDR in canonical form; an expression as written. */
function cidrKey(kind: "ipv4" | "ipv6", text: string): string {
  try {
    return kind === "ipv4" ? Ipv4Prefix.parse(text).toString() : Ipv6Prefix.parse(text).toString();
  } catch {
    return text;
  }
}

function groupKey(value: unknown): string {
  const ref = referenceOf(value);
  return ref ? `${ref.type}.${ref.name}` : String(value);
}

function peersOf(block: Record<string, unknown>, single: boolean): SgPermission["peer"][] {
  const peers: SgPermission["peer"][] = [];
  const v4 = single ? strings(block.cidr_ipv4) : strings(block.cidr_blocks);
  const v6 = single ? strings(block.cidr_ipv6) : strings(block.ipv6_cidr_blocks);
  const lists = single ? strings(block.prefix_list_id) : strings(block.prefix_list_ids);
  const groups = single ? strings(block.referenced_security_group_id) : [...strings(block.security_groups), ...strings(block.source_security_group_id)];
  for (const c of v4) peers.push({ kind: "ipv4", value: cidrKey("ipv4", c) });
  for (const c of v6) peers.push({ kind: "ipv6", value: cidrKey("ipv6", c) });
  for (const p of lists) peers.push({ kind: "prefix-list", value: groupKey(p) });
  for (const g of groups) peers.push({ kind: "group", value: groupKey(g) });
  if (block.self === true || block.self === "true") peers.push({ kind: "self", value: "self" });
  return peers;
}

function permissions(group: string, direction: "ingress" | "egress", block: Record<string, unknown>, single: boolean, source: ResourceView): SgPermission[] {
  const protocol = protocolOf(single ? block.ip_protocol : block.protocol);
  const all = protocol === "-1";
  return peersOf(block, single).map((peer) => ({
    group,
    direction,
    protocol,
    fromPort: all ? undefined : portOf(block.from_port),
    toPort: all ? undefined : portOf(block.to_port),
    peer,
    description: typeof block.description === "string" ? block.description : undefined,
    source,
  }));
}

/** Every permission of every security group in the stack. */
export function sgPermissions(stack: StackView): SgPermission[] {
  const out: SgPermission[] = [];
  for (const [type, direction] of [
    ["aws_vpc_security_group_ingress_rule", "ingress"],
    ["aws_vpc_security_group_egress_rule", "egress"],
  ] as const) {
    for (const r of stack.resources(type)) out.push(...permissions(groupKey(r.config.security_group_id), direction, r.config, true, r));
  }
  for (const r of stack.resources("aws_security_group_rule")) {
    const direction = r.config.type === "egress" ? "egress" : "ingress";
    out.push(...permissions(groupKey(r.config.security_group_id), direction, r.config, false, r));
  }
  for (const g of stack.resources("aws_security_group")) {
    for (const direction of ["ingress", "egress"] as const) {
      for (const block of blocks(g.config[direction])) out.push(...permissions(`aws_security_group.${g.name}`, direction, block, false, g));
    }
  }
  return out;
}

/** What EC2 compares to detect a duplicate. */
export function permissionKey(p: SgPermission): string {
  return [p.group, p.direction, p.protocol, p.fromPort ?? "", p.toPort ?? "", p.peer.kind, p.peer.value].join("|");
}

/** Whether the permission's port range covers `port` (all protocols cover every port). */
export function coversPort(p: SgPermission, port: number): boolean {
  if (p.protocol === "-1") return true;
  if (p.protocol !== "tcp" && p.protocol !== "udp") return false;
  const from = p.fromPort ?? 0;
  const to = p.toPort ?? 65535;
  return (from === -1 && to === -1) || (from <= port && port <= to);
}

/** Whether the peer is the whole internet of its family (a /0). */
export function isWorld(p: SgPermission): boolean {
  return (p.peer.kind === "ipv4" && p.peer.value === "0.0.0.0/0") || (p.peer.kind === "ipv6" && p.peer.value === "::/0");
}

/** Human form, e.g. `ingress tcp/22 from 0.0.0.0/0`, `ingress icmpv6 type 128 from ::/0`. */
export function describePermission(p: SgPermission): string {
  let what: string;
  if (p.protocol === "-1") what = "all traffic";
  else if (p.protocol === "icmp" || p.protocol === "icmpv6") {
    const type = p.fromPort === undefined || p.fromPort === -1 ? "any type" : `type ${p.fromPort}`;
    what = `${p.protocol} ${type}${p.toPort !== undefined && p.toPort !== -1 ? ` code ${p.toPort}` : ""}`;
  } else what = p.fromPort === p.toPort || p.toPort === undefined ? `${p.protocol}/${p.fromPort ?? "any"}` : `${p.protocol}/${p.fromPort}-${p.toPort}`;
  return `${p.direction} ${what} ${p.direction === "ingress" ? "from" : "to"} ${p.peer.value}`;
}
