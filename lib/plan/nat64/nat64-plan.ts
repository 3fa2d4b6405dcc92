import { Ipv4Address, Ipv6Prefix, WELL_KNOWN } from "../address/ip";
import { SymbolicIpv6Address } from "../address/symbolic";
import { parseOr, VpcAddressPlan, ZonePlan } from "../address/vpc-plan";
import { at, fail, Origin } from "../errors";
import { NAT64_INSTANCE, Nat64Config } from "../jool/config";

/**
 * The outbound NAT64 plan (docs/DESIGN.md invariants 2 and 7): stateful translation for IPv6-only
 * servers reaching IPv4-only hosts, on 64:ff9b::/96, separate from the SIIT translators' prefixes.
 * AWS DNS64 (Route 53 Resolver) synthesizes only 64:ff9b::/96 (VPC User Guide, "DNS64 and NAT64"),
 * and AWS NAT gateways translate only that prefix, so the plan accepts no other.
 */

/** Linux's default ephemeral port range; a pool4 range inside it competes with the node's own sockets. */
const EPHEMERAL = { from: 32768, to: 60999 };

/** A pool4 port range of a Jool NAT64 instance ({@link JoolNat64Options.pool4}). */
export interface Pool4Range {
  /** The protocol the range applies to. */
  readonly protocol: "tcp" | "udp" | "icmp";
  /** `"from-to"`, e.g. `"61001-65535"` (ICMP: identifiers). */
  readonly ports: string;
}

/** Input of {@link Nat64Plan} (the construct's props, literal). */
export interface Nat64PlanInput {
  /** Construct path of the NAT64, for messages. */
  readonly path: string;
  /** The VPC's address plan. */
  readonly vpc: VpcAddressPlan;
  /** Zones whose servers get NAT64 (and DNS64). */
  readonly zones: readonly string[];
  /**
   * The zone of the single NAT64 device that serves every zone.
   * @default - one device per zone
   */
  readonly singleZone?: string;
  /** The prefix the user asks for; only 64:ff9b::/96 works with AWS DNS64. */
  readonly prefix: string;
}

/** One NAT64 device of the plan. */
export interface Nat64NodePlan {
  /** The zone the device lives in. */
  readonly zone: ZonePlan;
  /** The zones whose server route tables point 64:ff9b::/96 at it. */
  readonly serves: readonly ZonePlan[];
}

/**
 * The outbound NAT64 plan: stateful translation on 64:ff9b::/96 (the only prefix AWS DNS64
 * synthesizes), separate from the SIIT translators' prefixes; which device serves which zones,
 * their addresses and their Jool files.
 */
export class Nat64Plan {
  /** Always `64:ff9b::/96`. */
  readonly prefix: Ipv6Prefix;
  /** One device per zone, or a single one serving every zone. */
  readonly nodes: readonly Nat64NodePlan[];

  constructor(private readonly input: Nat64PlanInput) {
    const where = (property: string): Origin => ({ path: input.path, property });
    this.prefix = parseOr(where("prefix"), input.prefix, Ipv6Prefix.parse, "64:ff9b::/96");
    if (!this.prefix.equals(WELL_KNOWN.nat64)) {
      fail(
        where("prefix"),
        input.prefix,
        "AWS DNS64 synthesizes AAAA records only under 64:ff9b::/96 (and AWS NAT gateways translate only that prefix), so servers would get addresses no NAT64 here serves",
        "use 64:ff9b::/96; a different NAT64 prefix needs your own DNS64 resolver, which this construct does not manage",
      );
    }
    if (input.zones.length === 0) fail(where("zones"), input.zones, "is empty", "list the zones whose servers need NAT64, or leave zones unset for all");
    const served = input.zones.map((z, i) => input.vpc.zone(z, at(where("zones"), `[${i}]`)));
    const duplicate = input.zones.find((z, i) => input.zones.indexOf(z) !== i);
    if (duplicate) fail(where("zones"), input.zones, `lists ${duplicate} twice`, "list each zone once");
    if (input.singleZone !== undefined) {
      const home = input.vpc.zone(input.singleZone, where("placement"));
      this.nodes = [{ zone: home, serves: served }];
    } else {
      this.nodes = served.map((zone) => ({ zone, serves: [zone] }));
    }
  }

  /**
   * Checks a pool4 of the node's own address: ports 1-65535, ordered, no overlap between ranges
   * of one protocol, and outside Linux's ephemeral range (Jool 4.1.15 refuses those; older
   * versions accept them and then collide with the node's own connections).
   */
  static checkPool4(ranges: readonly Pool4Range[], origin: Origin): void {
    ranges.forEach((r, i) => {
      const o = at(origin, `[${i}]`);
      if (!["tcp", "udp", "icmp"].includes(r.protocol)) fail(at(o, ".protocol"), r.protocol, "is not a pool4 protocol", "use tcp, udp or icmp");
      const m = /^(\d{1,5})-(\d{1,5})$/.exec(r.ports);
      if (!m) fail(at(o, ".ports"), r.ports, 'is not a port range "from-to"', 'write the range as "61001-65535"');
      const [from, to] = [Number(m[1]), Number(m[2])];
      if (from < 1 || to > 65535) fail(at(o, ".ports"), r.ports, "ports run from 1 to 65535", "use ports between 1 and 65535");
      if (from > to) fail(at(o, ".ports"), r.ports, "the range ends before it starts", "give the lower port first");
      if (r.protocol !== "icmp" && from <= EPHEMERAL.to && to >= EPHEMERAL.from) {
        fail(
          at(o, ".ports"),
          r.ports,
          `overlaps Linux's ephemeral ports ${EPHEMERAL.from}-${EPHEMERAL.to}, which the node's own connections use (Jool 4.1.15 refuses such a pool4)`,
          "use ports above 60999, e.g. 61001-65535 (Jool's default)",
        );
      }
      ranges.slice(0, i).forEach((earlier, j) => {
        const [ef, et] = earlier.ports.split("-").map(Number);
        if (earlier.protocol === r.protocol && from <= et && to >= ef) fail(at(o, ".ports"), r.ports, `overlaps pool4[${j}] ${earlier.ports} of the same protocol`, "make the ranges disjoint");
      });
    });
  }

  /** The complete Jool NAT64 file of a node whose own IPv4 address is `address`. */
  joolConfig(node: Nat64NodePlan, address: Ipv4Address, pool4: readonly Pool4Range[]): Nat64Config {
    return {
      comment: `SIIT-DC outbound NAT64 in ${node.zone.name} for ${node.serves.map((z) => z.name).join(", ")}; generated, do not edit`,
      instance: NAT64_INSTANCE,
      framework: "netfilter",
      global: { "manually-enabled": true, pool6: this.prefix.toString(), "lowest-ipv6-mtu": 1500 },
      // Empty pool4: ports 61001-65535 of the node's own address (which the internet gateway maps to its EIP).
      pool4: pool4.map((r) => ({ protocol: r.protocol.toUpperCase() as "TCP" | "UDP" | "ICMP", prefix: `${address}/32`, "port range": r.ports })),
    };
  }

  /** The IPv6 address of the node on its edge subnet, claimed in the VPC plan. */
  claimNodeAddresses(
    node: Nat64NodePlan,
    hostIndex: number,
    origin: Origin,
  ): {
    /** The node's primary private IPv4 in its edge subnet. */
    ipv4: Ipv4Address;
    /** The node's IPv6 address in its edge subnet. */
    ipv6: SymbolicIpv6Address;
  } {
    const claimant = `${this.input.path} NAT64 in ${node.zone.name}`;
    const fix = "set firstHostIndex so the NAT64 instances use edge addresses no translator uses";
    const edge = this.input.vpc.subnet("edge", node.zone.name, origin);
    return {
      ipv4: this.input.vpc.claimEdgeIpv4(node.zone.name, hostIndex, claimant, origin, { value: hostIndex, fix }),
      ipv6: this.input.vpc.claimHost(edge, hostIndex, claimant, origin, fix),
    };
  }
}
