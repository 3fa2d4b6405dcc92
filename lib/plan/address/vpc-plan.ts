import { at, fail, Origin } from "../errors";
import { AddressSyntaxError, Ipv4Address, Ipv4Prefix, Ipv6Prefix, WELL_KNOWN } from "./ip";
import { PrefixReference, SymbolicIpv6Address, SymbolicIpv6Prefix } from "./symbolic";

/**
 * The VPC address plan: which /64 each subnet gets, by deterministic index.
 *
 * The VPC /56 holds 256 /64s, used as 16 tiers x 16 zone slots: subnet number = tier slot * 16 +
 * zone slot. The edge tier is slot 0; server tiers follow in the order given. A zone's slot comes
 * from the letter that ends its name (`eu-north-1a` -> 0, `...b` -> 1), so adding, removing or
 * reordering zones never renumbers (and so never replaces) another zone's subnets.
 *
 * Edge subnets also take one sixteenth of the VPC IPv4 block per zone slot (a /20 of a /16).
 */

export const VPC_IPV6_LENGTH = 56;
export const SUBNET_IPV6_LENGTH = 64;
export const ZONE_SLOTS = 16;
export const TIER_SLOTS = (1 << (SUBNET_IPV6_LENGTH - VPC_IPV6_LENGTH)) / ZONE_SLOTS;
/** Edge IPv4 subnets are the VPC IPv4 block split in ZONE_SLOTS parts. */
const EDGE_IPV4_EXTRA_BITS = 4;
/** VPC IPv4 blocks the plan accepts: AWS's largest (/16) down to /20, so each edge subnet is at least a /24. */
const VPC_IPV4_LENGTHS = { min: 16, max: 20 };
export const EDGE_TIER = "edge";
/** AWS reserves the first four addresses of every subnet block (and the last one). */
export const FIRST_HOST_INDEX = 4;
/** Fixed addresses stay in ::4 to ::ffff of their /64: short, readable, far from random SLAAC-style picks. */
export const LAST_FIXED_HOST_INDEX = 0xffff;

const ZONE_NAME = /^[a-z]{2,4}(-[a-z0-9]+)+[a-z]$/;
const TIER_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** Input of {@link VpcAddressPlan} (the VPC construct's props, literal). */
export interface VpcAddressPlanInput {
  /** Construct path of the VPC, for messages. */
  readonly path: string;
  /** Availability zone names; each zone's slot is its final letter. */
  readonly availabilityZones: readonly string[];
  /** The VPC IPv4 CIDR (AWS requires one even for IPv6-only subnets); edge subnets carve 1/16 each from it. */
  readonly ipv4Cidr: string;
  /** The VPC IPv6 /56: a literal (BYOIP through IPAM) or a reference resolved at apply time. */
  readonly ipv6Cidr:
    | {
        /** A literal /56, e.g. `2001:db8:1200::/56`. */
        readonly literal: string;
      }
    | {
        /** A /56 known only by name until apply (Amazon-provided or from an IPAM pool). */
        readonly reference: PrefixReference;
      };
  /** Names of the IPv6-only server tiers, in slot order. */
  readonly serverTiers: readonly string[];
}

/** An availability zone and its slot in the address plan. */
export interface ZonePlan {
  /** Zone name, e.g. `eu-north-1a`. */
  readonly name: string;
  /** Zone slot 0-15, from the final letter of the name. */
  readonly slot: number;
}

/** A subnet tier (edge, or a server tier) and its slot in the address plan. */
export interface TierPlan {
  /** Tier name: `edge`, or a server tier's name. */
  readonly name: string;
  /** Tier slot 0-15 (edge 0, server tiers in order). */
  readonly slot: number;
  /** `edge` is dual-stack (translators, NAT); `server` is IPv6-only. */
  readonly kind: "edge" | "server";
}

/** One subnet of the plan: tier x zone, with its /64 (and IPv4 block on the edge). */
export interface SubnetPlan {
  /** The subnet's tier. */
  readonly tier: TierPlan;
  /** The subnet's zone. */
  readonly zone: ZonePlan;
  /** Index of this /64 inside the VPC /56 (the `netnum` of `cidrsubnet`). */
  readonly netNum: number;
  /** The subnet's /64. */
  readonly ipv6: SymbolicIpv6Prefix;
  /** Only edge subnets have IPv4. */
  readonly ipv4?: Ipv4Prefix;
}

/**
 * The VPC address plan: which /64 each subnet gets, by deterministic index. The /56 holds
 * 16 tier slots x 16 zone slots of /64: subnet number = tier slot x 16 + zone slot. The edge tier
 * is slot 0, server tiers follow in order; a zone's slot is its final letter (`...1a` -> 0), so
 * adding, removing or reordering zones never renumbers another zone's subnets. Edge subnets also
 * take one sixteenth of the VPC IPv4 block per zone slot.
 */
export class VpcAddressPlan {
  /** The VPC IPv4 block. */
  readonly ipv4Cidr: Ipv4Prefix;
  /** The VPC IPv6 /56 (literal, or symbolic until apply). */
  readonly ipv6Cidr: SymbolicIpv6Prefix;
  /** The zones, as given. */
  readonly zones: readonly ZonePlan[];
  /** The edge tier, then the server tiers in slot order. */
  readonly tiers: readonly TierPlan[];
  /** Every subnet: each tier in each zone. */
  readonly subnets: readonly SubnetPlan[];
  /** Fixed host addresses handed out so far, per subnet: index -> who holds it. */
  private readonly hostClaims = new Map<SubnetPlan, Map<number, string>>();
  /** Fixed IPv4 addresses of edge subnets handed out so far, per zone. */
  private readonly edgeIpv4Claims = new Map<string, Map<number, string>>();

  constructor(input: VpcAddressPlanInput) {
    const where = (property: string): Origin => ({ path: input.path, property });
    this.ipv4Cidr = parseVpcIpv4(input.ipv4Cidr, where("ipv4Cidr"));
    this.ipv6Cidr = parseVpcIpv6(input.ipv6Cidr, where("ipv6Cidr"));
    this.zones = planZones(input.availabilityZones, where("availabilityZones"));
    this.tiers = planTiers(input.serverTiers, where("serverTiers"));


    this.subnets = this.tiers.flatMap((tier) =>
      this.zones.map((zone) => {
        const netNum = tier.slot * ZONE_SLOTS + zone.slot;
        return {
          tier,
          zone,
          netNum,
          ipv6: this.ipv6Cidr.subnet(SUBNET_IPV6_LENGTH, netNum),
          ipv4: tier.kind === "edge" ? this.ipv4Cidr.subnet(this.ipv4Cidr.length + EDGE_IPV4_EXTRA_BITS, zone.slot) : undefined,
        };
      }),
    );
  }

  /** The subnet of `tier` in `zone`; throws a PlanError naming `origin` when either is unknown. */
  subnet(tier: string, zone: string, origin: Origin): SubnetPlan {
    const s = this.subnets.find((x) => x.tier.name === tier && x.zone.name === zone);
    if (s) return s;
    if (!this.zones.some((z) => z.name === zone)) {
      fail(origin, zone, "is not an availability zone of this VPC", `use one of ${this.zones.map((z) => z.name).join(", ")}`);
    }
    return fail(origin, tier, "is not a tier of this VPC", `use one of ${tier === EDGE_TIER ? EDGE_TIER : this.serverTierNames().join(", ")}`);
  }

  /** The zone plan for `zone`; throws a PlanError naming `origin` when the VPC lacks it. */
  zone(zone: string, origin: Origin): ZonePlan {
    const z = this.zones.find((x) => x.name === zone);
    if (!z) fail(origin, zone, "is not an availability zone of this VPC", `use one of ${this.zones.map((x) => x.name).join(", ")}, or add the zone to the VPC`);
    return z;
  }

  /**
   * Reserves host `index` of `subnet` for `claimant` and returns its address. Two claims on one
   * address are an error naming both holders.
   */
  claimHost(subnet: SubnetPlan, index: number, claimant: string, origin: Origin, fix = "give each server its own host index (a different firstHostIndex or hostIndexes)"): SymbolicIpv6Address {
    if (!Number.isInteger(index) || index < FIRST_HOST_INDEX || index > LAST_FIXED_HOST_INDEX) {
      fail(
        origin,
        index,
        `fixed host indexes run from ${FIRST_HOST_INDEX} (AWS reserves ::0 to ::3) to ${LAST_FIXED_HOST_INDEX} (::ffff)`,
        `use host indexes between ${FIRST_HOST_INDEX} and ${LAST_FIXED_HOST_INDEX}`,
      );
    }
    let claims = this.hostClaims.get(subnet);
    if (!claims) this.hostClaims.set(subnet, (claims = new Map()));
    const holder = claims.get(index);
    if (holder !== undefined) {
      fail(
        origin,
        index,
        `host index ${index} of subnet ${subnet.tier.name}/${subnet.zone.name} is already held by ${holder}`,
        fix,
      );
    }
    claims.set(index, claimant);
    return subnet.ipv6.host(index);
  }

  /** The IPv4 block of `zone`'s edge subnet. */
  edgeIpv4(zone: string): Ipv4Prefix {
    return this.subnets.find((s) => s.tier.kind === "edge" && s.zone.name === zone)!.ipv4!;
  }

  /**
   * Reserves host `index` of `zone`'s edge IPv4 block for `claimant` (a translator's or NAT64's
   * primary address, a service's secondary address) and returns the address.
   */
  claimEdgeIpv4(zone: string, index: number, claimant: string, origin: Origin, shown: { value?: unknown; fix?: string } = {}): Ipv4Address {
    const block = this.edgeIpv4(this.zone(zone, origin).name);
    const last = Number(block.size) - 2;
    if (!Number.isInteger(index) || index < FIRST_HOST_INDEX || index > last) {
      fail(
        origin,
        shown.value ?? index,
        `edge host indexes of ${block} run from ${FIRST_HOST_INDEX} to ${last} (AWS reserves the first four and the last address)`,
        index < FIRST_HOST_INDEX || !Number.isInteger(index) ? `use a whole number of at least ${FIRST_HOST_INDEX}` : "use a smaller number or a larger VPC IPv4 block",
      );
    }
    let claims = this.edgeIpv4Claims.get(zone);
    if (!claims) this.edgeIpv4Claims.set(zone, (claims = new Map()));
    const holder = claims.get(index);
    if (holder !== undefined) fail(origin, shown.value ?? index, `edge address ${block.host(index)} is already held by ${holder}`, shown.fix ?? "give each holder its own address");
    claims.set(index, claimant);
    return block.host(index);
  }

  /** Names of the server tiers, in slot order. */
  serverTierNames(): string[] {
    return this.tiers.filter((t) => t.kind === "server").map((t) => t.name);
  }
}

function parseVpcIpv4(text: string, origin: Origin): Ipv4Prefix {
  const prefix = parseOr(origin, text, Ipv4Prefix.parse, "an IPv4 CIDR with zero host bits, e.g. 10.0.0.0/16");
  if (prefix.length < VPC_IPV4_LENGTHS.min || prefix.length > VPC_IPV4_LENGTHS.max) {
    fail(
      origin,
      text,
      `edge subnets take 1/${ZONE_SLOTS} of the VPC IPv4 block each and need at least a /24; AWS allows at most a /16`,
      `use a block from /${VPC_IPV4_LENGTHS.min} to /${VPC_IPV4_LENGTHS.max}, e.g. 10.0.0.0/16`,
    );
  }
  return prefix;
}

function parseVpcIpv6(input: VpcAddressPlanInput["ipv6Cidr"], origin: Origin): SymbolicIpv6Prefix {
  if ("reference" in input) {
    if (input.reference.length !== VPC_IPV6_LENGTH) {
      fail(origin, input.reference.length, `the address plan carves /64s from a /${VPC_IPV6_LENGTH}`, `request a /${VPC_IPV6_LENGTH}`);
    }
    return SymbolicIpv6Prefix.reference(input.reference);
  }
  const prefix = parseOr(origin, input.literal, Ipv6Prefix.parse, `an IPv6 /${VPC_IPV6_LENGTH} with zero host bits, e.g. 2001:db8:1200::/56`);
  if (prefix.length !== VPC_IPV6_LENGTH) {
    fail(origin, input.literal, `the address plan carves /64s from a /${VPC_IPV6_LENGTH}`, `supply a /${VPC_IPV6_LENGTH}`);
  }
  for (const [name, reserved] of Object.entries({ "the NAT64 well-known prefix": WELL_KNOWN.nat64, "the local-use translation prefix": WELL_KNOWN.localUseTranslation })) {
    if (prefix.overlaps(reserved)) {
      fail(origin, input.literal, `overlaps ${name} ${reserved}`, "use a global unicast /56 allocated to you");
    }
  }
  return SymbolicIpv6Prefix.literal(prefix);
}

function planZones(names: readonly string[], origin: Origin): ZonePlan[] {
  if (names.length === 0) fail(origin, names, "is empty", 'list at least one availability zone, e.g. ["eu-north-1a", "eu-north-1b"]');
  const zones: ZonePlan[] = [];
  names.forEach((name, i) => {
    const o = at(origin, `[${i}]`);
    if (!ZONE_NAME.test(name)) fail(o, name, "is not an availability zone name", 'give a zone name such as "eu-north-1a" (zone IDs like "eun1-az1" are not accepted)');
    const slot = name.charCodeAt(name.length - 1) - "a".charCodeAt(0);
    if (slot >= ZONE_SLOTS) fail(o, name, `zone letters a to ${String.fromCharCode(96 + ZONE_SLOTS)} map to the ${ZONE_SLOTS} subnet slots per tier`, "use a zone whose name ends in a to p");
    const same = zones.find((z) => z.name === name);
    if (same) fail(o, name, "is listed twice", "list each availability zone once");
    const clash = zones.find((z) => z.slot === slot);
    if (clash) fail(o, name, `takes subnet slot ${slot}, already taken by ${clash.name} (slots come from the last letter)`, "use zones whose names end in different letters");
    zones.push({ name, slot });
  });
  return zones;
}

function planTiers(serverTiers: readonly string[], origin: Origin): TierPlan[] {
  if (serverTiers.length === 0) fail(origin, serverTiers, "is empty", 'name at least one server tier, e.g. ["servers"]');
  if (serverTiers.length + 1 > TIER_SLOTS) {
    fail(
      origin,
      serverTiers,
      `${serverTiers.length} server tiers plus the edge tier need ${serverTiers.length + 1} tier slots, but a /${VPC_IPV6_LENGTH} holds ${TIER_SLOTS} (x ${ZONE_SLOTS} zone slots of /${SUBNET_IPV6_LENGTH})`,
      `use at most ${TIER_SLOTS - 1} server tiers, or split them across VPCs`,
    );
  }
  const tiers: TierPlan[] = [{ name: EDGE_TIER, slot: 0, kind: "edge" }];
  serverTiers.forEach((name, i) => {
    const o = at(origin, `[${i}]`);
    if (!TIER_NAME.test(name)) fail(o, name, "is not a valid tier name", "use 2-32 lowercase letters, digits and hyphens, starting with a letter");
    if (tiers.some((t) => t.name === name)) {
      fail(o, name, name === EDGE_TIER ? "is reserved for the dual-stack edge tier" : "is listed twice", "give each server tier a distinct name");
    }
    tiers.push({ name, slot: i + 1, kind: "server" });
  });
  return tiers;
}

/** Parses with `parse`, turning syntax errors into a PlanError that says what was expected. */
export function parseOr<T>(origin: Origin, text: string, parse: (t: string) => T, expected: string): T {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof AddressSyntaxError) fail(origin, text, e.message, `give ${expected}`);
    throw e;
  }
}
