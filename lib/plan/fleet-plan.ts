import { SymbolicIpv6Address } from "./address/symbolic";
import { LAST_FIXED_HOST_INDEX, SubnetPlan, VpcAddressPlan, ZonePlan } from "./address/vpc-plan";
import { at, fail, Origin } from "./errors";

/**
 * Server slots of a fixed-address fleet, in one of two placements.
 *
 * - `servers: n`: slot i lives in zone `z[i % z.length]`, where z is the fleet's zones in the order
 *   of their slots (their final letters), at host index `hostIndexes[i]` or
 *   `firstHostIndex + floor(i / z.length)`. Growing or shrinking the fleet, or reordering the zone
 *   list, never moves an existing slot; adding or removing a zone does.
 * - `perZone: k`: each zone holds servers 0..k-1 of its own; server j of the zone with slot s has
 *   index `ZONE_SLOTS * j + s` and host index `firstHostIndex + j`. A server's identity is its zone
 *   and ordinal, so adding or removing a zone, reordering zones or growing k moves no other server.
 */

/** Zone slots of a VPC (vpc-plan.ts): the stride of per-zone server indexes. */
export const ZONE_SLOTS = 16;

export interface FleetPlanInput {
  /** Construct path, for messages and as the claimant of the addresses. */
  readonly path: string;
  readonly vpc: VpcAddressPlan;
  /** Servers spread round-robin; exactly one of `servers` and `perZone`. */
  readonly servers?: number;
  /** Servers in every zone; exactly one of `servers` and `perZone`. */
  readonly perZone?: number;
  readonly zones: readonly string[];
  readonly tier: string;
  readonly firstHostIndex: number;
  readonly hostIndexes?: readonly number[];
}

export interface ServerSlot {
  readonly index: number;
  readonly zone: ZonePlan;
  readonly subnet: SubnetPlan;
  readonly hostIndex: number;
  readonly address: SymbolicIpv6Address;
}

export function planFleetSlots(input: FleetPlanInput): ServerSlot[] {
  const where = (property: string): Origin => ({ path: input.path, property });
  if (input.zones.length === 0) fail(where("zones"), input.zones, "is empty", "list at least one zone of the VPC, or leave zones unset for all of them");
  const zones = input.zones.map((z, i) => input.vpc.zone(z, at(where("zones"), `[${i}]`))).sort((a, b) => a.slot - b.slot);
  const duplicate = input.zones.find((z, i) => input.zones.indexOf(z) !== i);
  if (duplicate) fail(where("zones"), input.zones, `lists ${duplicate} twice`, "list each zone once");
  if (input.perZone !== undefined) return perZoneSlots(input, zones, where);
  const servers = input.servers!;
  if (!Number.isInteger(servers) || servers < 1) {
    fail(where("servers"), servers, "a fleet with fixed addresses needs at least one server", "set servers to 1 or more, or remove the fleet");
  }

  if (input.hostIndexes !== undefined && input.hostIndexes.length !== servers) {
    fail(
      where("hostIndexes"),
      input.hostIndexes,
      `gives ${input.hostIndexes.length} host indexes for ${servers} servers`,
      "give exactly one host index per server, or use firstHostIndex",
    );
  }
  const perZone = Math.ceil(servers / zones.length);
  if (input.hostIndexes === undefined && input.firstHostIndex + perZone - 1 > LAST_FIXED_HOST_INDEX) {
    fail(
      where("servers"),
      servers,
      `needs ${perZone} host indexes per zone from ${input.firstHostIndex}, past the last fixed host index ${LAST_FIXED_HOST_INDEX}`,
      "lower firstHostIndex, spread the fleet over more zones, or use fewer servers",
    );
  }

  return Array.from({ length: servers }, (_, i) => {
    const zone = zones[i % zones.length];
    const subnet = input.vpc.subnet(input.tier, zone.name, where("tier"));
    const hostIndex = input.hostIndexes?.[i] ?? input.firstHostIndex + Math.floor(i / zones.length);
    const origin = input.hostIndexes ? at(where("hostIndexes"), `[${i}]`) : where("firstHostIndex");
    const address = input.vpc.claimHost(subnet, hostIndex, `${input.path} server ${i}`, origin);
    return { index: i, zone, subnet, hostIndex, address };
  });
}

function perZoneSlots(input: FleetPlanInput, zones: readonly ZonePlan[], where: (property: string) => Origin): ServerSlot[] {
  const k = input.perZone!;
  if (!Number.isInteger(k) || k < 1) fail(where("serversPerZone"), k, "a fleet with fixed addresses needs at least one server per zone", "set serversPerZone to 1 or more");
  if (input.hostIndexes !== undefined) {
    fail(where("hostIndexes"), input.hostIndexes, "gives host indexes by server number, but serversPerZone numbers servers per zone", "use firstHostIndex: server j of each zone takes firstHostIndex + j");
  }
  if (input.firstHostIndex + k - 1 > LAST_FIXED_HOST_INDEX) {
    fail(where("serversPerZone"), k, `needs host indexes ${input.firstHostIndex} to ${input.firstHostIndex + k - 1}, past the last fixed host index ${LAST_FIXED_HOST_INDEX}`, "lower firstHostIndex or serversPerZone");
  }
  return Array.from({ length: k }, (_, j) =>
    zones.map((zone) => {
      const subnet = input.vpc.subnet(input.tier, zone.name, where("tier"));
      const hostIndex = input.firstHostIndex + j;
      const index = ZONE_SLOTS * j + zone.slot;
      const address = input.vpc.claimHost(subnet, hostIndex, `${input.path} server ${index} (${zone.name} #${j})`, where("firstHostIndex"));
      return { index, zone, subnet, hostIndex, address };
    }),
  ).flat();
}
