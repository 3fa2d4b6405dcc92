import { LabTopology } from "./topology";

/**
 * Namespace roles and interface names of the lab. A role is a short, stable name (`inet`, `igw`,
 * `vpc`, `x0`, `s0`, `n0`); the runner prefixes it with a per-run name to make the namespace.
 *
 *   inet ──── igw ──── vpc ──┬── x<i>   one per translator (tayga SIIT, its security group)
 *  (clients,  (internet      ├── s<j>   one per published server (IPv6-only, its security group)
 *   IPv4-only  gateway:       └── n<k>   one per NAT64 device (tayga dynamic pool + masquerade)
 *   host)      1:1 NAT)
 *
 * The vpc namespace is the VPC router: one link per interface, per-subnet route tables by
 * policy routing on the incoming link.
 */
export const IFACE = {
  /** inet's link to the internet gateway, and the gateway's links. */
  inetUp: "igw",
  igwInternet: "inet",
  igwVpc: "vpc",
  igwEgressOnly: "eigw",
  /** The VPC router's links to the gateways. */
  vpcIgw: "igw",
  vpcEgressOnly: "eigw",
  /** A translator's or NAT64 device's interface, and their TUNs. */
  eni: "eni",
  siitTun: "siit",
  nat64Tun: "nat64",
  /** A server's interface. */
  serverEth: "eth0",
} as const;

export type RoleKind = "internet" | "igw" | "vpc" | "translator" | "server" | "nat64";

export interface LabRole {
  readonly role: string;
  readonly kind: RoleKind;
  /** In messages: "translator a0", "server Web[0]", "the NAT64 in eu-north-1a". */
  readonly label: string;
  /** translator key, server key or NAT64 zone. */
  readonly of?: string;
}

export class LabLayout {
  readonly roles: readonly LabRole[];

  constructor(readonly topology: LabTopology) {
    this.roles = [
      { role: "inet", kind: "internet", label: "the internet (clients and the IPv4-only host)" },
      { role: "igw", kind: "igw", label: "the internet gateway" },
      { role: "vpc", kind: "vpc", label: "the VPC router" },
      ...topology.translators.map((t, i): LabRole => ({ role: `x${i}`, kind: "translator", label: `translator ${t.key}`, of: t.key })),
      ...topology.servers.map((s, i): LabRole => ({ role: `s${i}`, kind: "server", label: `server ${s.key}`, of: s.key })),
      ...topology.nat64.map((n, i): LabRole => ({ role: `n${i}`, kind: "nat64", label: `the NAT64 in ${n.zone}`, of: n.zone })),
    ];
  }

  translator(key: string): string {
    return this.find("translator", key);
  }

  server(key: string): string {
    return this.find("server", key);
  }

  nat64(zone: string): string {
    return this.find("nat64", zone);
  }

  /** The VPC router's link to a translator, server or NAT64 namespace is named after its role. */
  vpcLink(role: string): string {
    return role;
  }

  /** Whether any server subnet routes ::/0 to an egress-only internet gateway. */
  get egressOnly(): boolean {
    return this.topology.routeTables.some((t) => t.routes.some((r) => r.target.kind === "egress-only-internet-gateway"));
  }

  label(role: string): string {
    return this.roles.find((r) => r.role === role)?.label ?? role;
  }

  private find(kind: RoleKind, of: string): string {
    const r = this.roles.find((x) => x.kind === kind && x.of === of);
    if (!r) throw new RangeError(`internal: no ${kind} ${of} in the lab`);
    return r.role;
  }
}
