import { at, fail, Origin } from "../errors";
import type { TranslatorPlan } from "./translation-plan";
import { PRICES } from "../cost/prices";

/**
 * Public IPv4 addresses as their own inventory (docs/DESIGN.md invariants 12 and 15): an address is
 * declared once, by a stable id, and lives as long as its declaration does; services use the
 * addresses of their number. So:
 * - renaming a service changes tags and DNS only (the address is not keyed by the name);
 * - renumbering moves the address's private half (its EIP is re-associated, never released),
 *   because the id, not the number, names the EIP;
 * - removing a service leaves its addresses reserved (allocated, unassociated, billed);
 * - releasing is an explicit act: deleting the declaration.
 */
export interface PublicAddressInput {
  /** Stable identity of the address (names its EIPs): 1-63 lowercase letters, digits, hyphens. */
  readonly id: string;
  /** The service number whose private IPv4 address these public addresses map to. */
  readonly number: number;
  /**
   * Translators holding one public address each, as `zone` (ordinal 0) or `zone/ordinal`.
   * @default - translator 0 of every zone of the set
   */
  readonly translators?: readonly string[];
  /**
   * Terraform `prevent_destroy` on these EIPs: a plan that would release one while its
   * declaration still exists fails.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** One EIP: an address id on one translator. */
export interface PublicAddressSlot {
  /** The address id. */
  readonly id: string;
  /** The service number that uses it. */
  readonly number: number;
  /** The translator that holds it. */
  readonly translator: TranslatorPlan;
  /** Whether its EIP carries `prevent_destroy`. */
  readonly preventDestroy: boolean;
}

/** Public IPv4 per month (AWS VPC pricing, charged since 2024-02-01), from the pinned price table. */
export const PUBLIC_IPV4_USD_PER_MONTH = PRICES.publicIpv4PerHour * PRICES.hoursPerMonth;

const ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checks the declared addresses against the translator set and expands them per translator. */
export function planPublicAddresses(input: readonly PublicAddressInput[], translators: readonly TranslatorPlan[], origin: Origin): PublicAddressSlot[] {
  const slots: PublicAddressSlot[] = [];
  const ids = new Set<string>();
  const numbers = new Map<number, string>();
  input.forEach((entry, i) => {
    const o = at(origin, `[${i}]`);
    if (typeof entry.id !== "string" || !ID.test(entry.id)) fail(at(o, ".id"), entry.id, "is not a stable address id", "use 1-63 lowercase letters, digits and hyphens, e.g. the service's first name");
    if (ids.has(entry.id)) fail(at(o, ".id"), entry.id, "is declared twice", "give each public address its own id");
    ids.add(entry.id);
    if (!Number.isInteger(entry.number) || entry.number < 1) fail(at(o, ".number"), entry.number, "is not a service number", "give the number of the service that uses these addresses (1 or more)");
    const other = numbers.get(entry.number);
    if (other) fail(at(o, ".number"), entry.number, `is already the number of address ${other}`, "declare one address entry per service number");
    numbers.set(entry.number, entry.id);
    const names = entry.translators ?? [...new Set(translators.map((t) => t.zone.name))];
    const zones = new Set<string>();
    names.forEach((name, j) => {
      const [zone, ordinalText = "0"] = String(name).split("/");
      const translator = translators.find((t) => t.zone.name === zone && String(t.ordinal) === ordinalText);
      if (!translator) fail(at(o, `.translators[${j}]`), name, "is not a translator of this set", `use one of ${translators.map((t) => `${t.zone.name}/${t.ordinal}`).join(", ")}`);
      if (zones.has(zone)) fail(at(o, `.translators[${j}]`), name, "is a second translator in one zone; a service has at most one address per zone", "list one translator per zone");
      zones.add(zone);
      slots.push({ id: entry.id, number: entry.number, translator, preventDestroy: entry.preventDestroy ?? false });
    });
  });
  return slots;
}
