import { SymbolicIpv6Address } from "./address/symbolic";
import { LAST_FIXED_HOST_INDEX, SubnetPlan, VpcAddressPlan, ZonePlan } from "./address/vpc-plan";
import { at, fail, Origin } from "./errors";

/**
 * Server slots of a fixed-address fleet.
 *
 * Slot i lives in zone `z[i % z.length]`, where z is the fleet's zones in the order of their
 * slots (their final letters), at host index `hostIndexes[i]` or
 * `firstHostIndex + floor(i / z.length)`. Growing or shrinking the fleet, or reordering the zone
 * list, never moves an existing slot; adding or removing a zone does (documented on the construct).
 */

export interface FleetPlanInput {
  /** Construct path, for messages and as the claimant of the addresses. */
  readonly path: string;
  readonly vpc: VpcAddressPlan;
  readonly servers: number;
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
  if (!Number.isInteger(input.servers) || input.servers < 1) {
    fail(where("servers"), input.servers, "a fleet with fixed addresses needs at least one server", "set servers to 1 or more, or remove the fleet");
  }
  if (input.zones.length === 0) fail(where("zones"), input.zones, "is empty", "list at least one zone of the VPC, or leave zones unset for all of them");
  const zones = input.zones.map((z, i) => input.vpc.zone(z, at(where("zones"), `[${i}]`))).sort((a, b) => a.slot - b.slot);
  const duplicate = input.zones.find((z, i) => input.zones.indexOf(z) !== i);
  if (duplicate) fail(where("zones"), input.zones, `lists ${duplicate} twice`, "list each zone once");

  if (input.hostIndexes !== undefined && input.hostIndexes.length !== input.servers) {
    fail(
      where("hostIndexes"),
      input.hostIndexes,
      `gives ${input.hostIndexes.length} host indexes for ${input.servers} servers`,
      "give exactly one host index per server, or use firstHostIndex",
    );
  }
  const perZone = Math.ceil(input.servers / zones.length);
  if (input.hostIndexes === undefined && input.firstHostIndex + perZone - 1 > LAST_FIXED_HOST_INDEX) {
    fail(
      where("servers"),
      input.servers,
      `needs ${perZone} host indexes per zone from ${input.firstHostIndex}, past the last fixed host index ${LAST_FIXED_HOST_INDEX}`,
      "lower firstHostIndex, spread the fleet over more zones, or use fewer servers",
    );
  }

  return Array.from({ length: input.servers }, (_, i) => {
    const zone = zones[i % zones.length];
    const subnet = input.vpc.subnet(input.tier, zone.name, where("tier"));
    const hostIndex = input.hostIndexes?.[i] ?? input.firstHostIndex + Math.floor(i / zones.length);
    const origin = input.hostIndexes ? at(where("hostIndexes"), `[${i}]`) : where("firstHostIndex");
    const address = input.vpc.claimHost(subnet, hostIndex, `${input.path} server ${i}`, origin);
    return { index: i, zone, subnet, hostIndex, address };
  });
}
