import { Ipv4Prefix, Ipv6Prefix } from "../address/ip";
import { VpcAddressPlan } from "../address/vpc-plan";
import { at, fail, Origin } from "../errors";
import type { TeamRangeOnTranslator } from "../jool/bundle";

/**
 * Service teams of a translator set (issue 13, docs/DESIGN.md invariant 18): the platform gives each team a range of service
 * numbers and server tiers; the team's own stack (or app) then owns its services' EIPs, DNS,
 * health checks, security group rules and Jool fragments, and needs no platform apply per service.
 *
 * Why a range is whole /28s: service number n is carried at edge host 64 + n (translation-plan.ts),
 * and EC2 can delegate an IPv4 /28 prefix to a network interface, which counts as one of its
 * addresses and routes all 16 to it. "You can also assign an Elastic IP address to the IP address
 * part of the assigned prefix" (EC2 User Guide, "Assigning prefixes to Amazon EC2 network
 * interfaces", Basics). So the platform delegates the team's /28 on every translator interface
 * once (one platform apply when the team is added), and each later team service is only an EIP
 * association to an address of that prefix, a resource the team's stack owns.
 */

/** EC2 delegates IPv4 prefixes of exactly this length (same source). */
export const TEAM_PREFIX_LENGTH = 28;
/** Service numbers per delegated prefix. */
export const NUMBERS_PER_PREFIX = 2 ** (32 - TEAM_PREFIX_LENGTH);
/** Edge host of service number n: 64 + n (translation-plan.ts SERVICE_HOST_BASE). */
const SERVICE_HOST_BASE = 64;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A service team of a translator set (SiitDcTranslatorsProps.teams). */
export interface TeamInput {
  /** The team's name (a DNS label): names its fragment objects, security group and policy. */
  readonly name: string;
  /**
   * The team's first service number. Its numbers map to whole /28s of every edge subnet, so
   * 64 + firstNumber must be a multiple of 16 (16, 32, 48, 64, ... ).
   */
  readonly firstNumber: number;
  /**
   * How many service numbers the team gets: a multiple of 16 (each 16 is one delegated /28,
   * which takes one address of every translator interface).
   * @default 16
   */
  readonly numberCount?: number;
  /**
   * The VPC's server tiers whose subnets the team's fleets use (tiers the platform created for it).
   * @default - none: the team publishes only literal targets or servers of other tiers it is given later
   */
  readonly tiers?: readonly string[];
}

/** A team as planned: its numbers, tiers and the /28 host blocks it owns in every edge subnet. */
export interface TeamPlan {
  /** The team's name. */
  readonly name: string;
  /** Its first service number. */
  readonly firstNumber: number;
  /** Its last service number. */
  readonly lastNumber: number;
  /** Server tiers its fleets use. */
  readonly tiers: readonly string[];
  /** Index of each of its /28s within an edge subnet (host block 16 x index). */
  readonly blocks: readonly number[];
}

/** Whether `number` is one of the team's service numbers. */
export function ownsNumber(team: TeamPlan, number: number): boolean {
  return number >= team.firstNumber && number <= team.lastNumber;
}

/** `64-79`, as messages show a team's numbers. */
export function numberRange(team: Pick<TeamPlan, "firstNumber" | "lastNumber">): string {
  return `${team.firstNumber}-${team.lastNumber}`;
}

/** The team's /28s inside one edge subnet's IPv4 block. */
export function teamPrefixes(team: TeamPlan, edgeIpv4: Ipv4Prefix): Ipv4Prefix[] {
  return team.blocks.map((b) => edgeIpv4.subnet(TEAM_PREFIX_LENGTH, b));
}

/**
 * The team's ranges on one translator, as its node configuration states them for the config
 * agent: the /28s and their forms in the translator's pool6 (/96 + /28 = /124).
 */
export function teamRangeOnTranslator(team: TeamPlan, edgeIpv4: Ipv4Prefix, pool6: Ipv6Prefix): TeamRangeOnTranslator {
  const prefixes = teamPrefixes(team, edgeIpv4);
  return {
    team: team.name,
    ipv4: prefixes.map(String),
    pool6: prefixes.map((p) => `${pool6.embedIpv4(p.network)}/${96 + TEAM_PREFIX_LENGTH}`),
  };
}

/**
 * Checks the teams of a translator set against the VPC: names, aligned and disjoint number
 * ranges that fit every edge subnet, existing and unshared tiers.
 */
export function planTeams(inputs: readonly TeamInput[], vpc: VpcAddressPlan, zones: readonly string[], origin: Origin): TeamPlan[] {
  const edgeSize = Math.min(...zones.map((z) => Number(vpc.edgeIpv4(z).size)));
  const teams: TeamPlan[] = [];
  const tierOwners = new Map<string, string>();
  inputs.forEach((input, i) => {
    const o = at(origin, `[${i}]`);
    if (typeof input.name !== "string" || !DNS_LABEL.test(input.name)) {
      fail(at(o, ".name"), input.name, "is not a team name", "use 1-63 lowercase letters, digits and hyphens (it names the team's fragment objects and policy)");
    }
    if (teams.some((t) => t.name === input.name)) fail(at(o, ".name"), input.name, "is a second team of that name", "give each team its own name");
    const first = input.firstNumber;
    const count = input.numberCount ?? NUMBERS_PER_PREFIX;
    if (!Number.isInteger(first) || first < 1 || (SERVICE_HOST_BASE + first) % NUMBERS_PER_PREFIX !== 0) {
      const below = Number.isFinite(first) ? Math.max(NUMBERS_PER_PREFIX, Math.floor((SERVICE_HOST_BASE + first) / NUMBERS_PER_PREFIX) * NUMBERS_PER_PREFIX - SERVICE_HOST_BASE) : NUMBERS_PER_PREFIX;
      fail(
        at(o, ".firstNumber"),
        first,
        `must start a /${TEAM_PREFIX_LENGTH} of the edge subnets: service n is edge host 64 + n, and EC2 delegates IPv4 prefixes of /${TEAM_PREFIX_LENGTH} only`,
        `use a number with 64 + number a multiple of ${NUMBERS_PER_PREFIX}, e.g. ${below} or ${below + NUMBERS_PER_PREFIX}`,
      );
    }
    if (!Number.isInteger(count) || count < NUMBERS_PER_PREFIX || count % NUMBERS_PER_PREFIX !== 0) {
      fail(at(o, ".numberCount"), count, `must be a multiple of ${NUMBERS_PER_PREFIX} (one delegated /${TEAM_PREFIX_LENGTH} each)`, `use ${NUMBERS_PER_PREFIX}, ${2 * NUMBERS_PER_PREFIX}, ...`);
    }
    const firstBlock = (SERVICE_HOST_BASE + first) / NUMBERS_PER_PREFIX;
    const blocks = Array.from({ length: count / NUMBERS_PER_PREFIX }, (_, k) => firstBlock + k);
    // The last /28 of a subnet holds its broadcast address, which AWS reserves.
    const lastUsable = edgeSize / NUMBERS_PER_PREFIX - 2;
    if (blocks.at(-1)! > lastUsable) {
      fail(
        at(o, ".firstNumber"),
        first,
        `numbers ${first}-${first + count - 1} reach past the last /${TEAM_PREFIX_LENGTH} an edge subnet of ${edgeSize} addresses can delegate (its last /${TEAM_PREFIX_LENGTH} holds the reserved broadcast address)`,
        `keep the range at or below number ${(lastUsable + 1) * NUMBERS_PER_PREFIX - SERVICE_HOST_BASE - 1}, or use a larger VPC IPv4 block`,
      );
    }
    const lastNumber = first + count - 1;
    const clash = teams.find((t) => t.firstNumber <= lastNumber && first <= t.lastNumber);
    if (clash) fail(at(o, ".firstNumber"), first, `numbers ${first}-${lastNumber} overlap those of team ${clash.name} (${numberRange(clash)})`, "give each team its own range");
    const tiers = input.tiers ?? [];
    tiers.forEach((tier, j) => {
      if (!vpc.serverTierNames().includes(tier)) fail(at(o, `.tiers[${j}]`), tier, "is not a server tier of the VPC", `add it to the VPC's serverTiers (at the end), or use one of ${vpc.serverTierNames().join(", ")}`);
      const owner = tierOwners.get(tier);
      if (owner) fail(at(o, `.tiers[${j}]`), tier, `is already a tier of team ${owner}`, "give each team tiers of its own, so teams never share server host indexes");
      tierOwners.set(tier, input.name);
    });
    teams.push({ name: input.name, firstNumber: first, lastNumber, tiers: [...tiers], blocks });
  });
  return teams;
}
