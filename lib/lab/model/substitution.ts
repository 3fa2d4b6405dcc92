import { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix, WELL_KNOWN } from "../../plan/address/ip";
import { documentationBindings, PrefixBindings, PrefixReference } from "../../plan/address/symbolic";

/**
 * The packet lab's ONE explicit address substitution.
 *
 * The lab runs the deployed plan with real packets, but some of its addresses cannot be used as
 * they are: Amazon-provided prefixes and EIPs are unknown until apply, and tayga refuses
 * translation prefixes under ::/8 such as the default SIIT home 64:ff9b:1::/48 (RFC 8215). Every
 * such value is replaced by a documentation value (RFC 3849, RFC 5737) or by 100.64.0.0/10 for the
 * IPv4-only host (tayga's NAT64 on 64:ff9b::/96 refuses "private" IPv4, including the TEST-NETs).
 * Everything else (the VPC IPv4 block, private addresses, literal prefixes tayga accepts, the
 * NAT64's 64:ff9b::/96) is kept. The substitution is a value: printed by `npm run lab` and tested.
 */

/** Fixed lab addresses: the internet side of the lab. */
export const LAB_INTERNET = {
  /** The IPv4 client (TEST-NET-2), the same one the packet path report shows. */
  ipv4Client: Ipv4Address.parse("198.51.100.7"),
  /** The link between the lab's internet and its internet gateway. */
  ipv4Link: Ipv4Prefix.parse("198.51.100.0/24"),
  ipv4Gateway: Ipv4Address.parse("198.51.100.1"),
  /** The IPv6 client (RFC 3849), far from the /40s documentationBindings hands out. */
  ipv6Client: Ipv6Address.parse("2001:db8:ffff::7"),
  ipv6Link: Ipv6Prefix.parse("2001:db8:ffff::/64"),
  ipv6Gateway: Ipv6Address.parse("2001:db8:ffff::1"),
  /** The IPv4-only host servers reach through NAT64: 100.64.0.0/10, which tayga treats as global. */
  ipv4Host: Ipv4Address.parse("100.64.0.20"),
  /** EIPs of service addresses (TEST-NET-3), in plan order. */
  serviceEips: Ipv4Prefix.parse("203.0.113.0/24"),
  /** EIPs of NAT64 devices (TEST-NET-1). */
  nat64Eips: Ipv4Prefix.parse("192.0.2.0/24"),
} as const;

/** Documentation /48s that stand in for translation homes tayga refuses: 2001:db8:64::/48, 2001:db8:65::/48, ... */
const LAB_HOMES = Array.from({ length: 16 }, (_, i) => Ipv6Prefix.parse(`2001:db8:${(0x64 + i).toString(16)}::/48`));

/** Prefixes that tayga's `validate_ip6_addr` refuses (tayga 0.9.2 addrmap.c, measured in research/tayga-lab.md). */
export function taygaRefusesIpv6(prefix: Ipv6Prefix | Ipv6Address): string | undefined {
  const p = prefix instanceof Ipv6Address ? prefix.toPrefix() : prefix;
  const first = Number(p.network.value >> 120n);
  if (first === 0 && !(p.length >= 96 && WELL_KNOWN.nat64.contains(p))) return "tayga refuses addresses under ::/8 (other than 64:ff9b::/96), e.g. the RFC 8215 prefix 64:ff9b:1::/48";
  if (first === 0xff) return "tayga refuses multicast (ff00::/8)";
  if (Ipv6Prefix.parse("fe80::/10").contains(p)) return "tayga refuses link-local (fe80::/10)";
  return undefined;
}

/** IPv4 prefixes tayga's `validate_ip4_addr` refuses. */
export function taygaRefusesIpv4(prefix: Ipv4Prefix | Ipv4Address): string | undefined {
  const p = prefix instanceof Ipv4Address ? prefix.toPrefix() : prefix;
  for (const [text, why] of [
    ["127.0.0.0/8", "loopback"],
    ["169.254.0.0/16", "link-local"],
    ["224.0.0.0/3", "multicast and reserved"],
  ] as const) {
    if (Ipv4Prefix.parse(text).overlaps(p)) return `tayga refuses ${why} IPv4 (${text})`;
  }
  return undefined;
}

export type SubstitutionKind = "vpc-prefix" | "translation-home" | "translator-prefix" | "eip" | "nat64-eip" | "nat64-device" | "ipv4-client" | "ipv6-client" | "ipv4-host";

/** One line of the substitution: what, deployed value, lab value, why. */
export interface SubstitutionEntry {
  readonly kind: SubstitutionKind;
  readonly what: string;
  readonly deployed: string;
  readonly lab: string;
  readonly why: string;
}

export interface SubstitutionInput {
  /** Prefix references whose value is known only at apply time (the VPC's Amazon-provided /56). */
  readonly references: readonly PrefixReference[];
  /** Each translator set's home /48, and its translators' /96s (shown at the same offset). */
  readonly translationHomes: readonly { readonly set: string; readonly home: Ipv6Prefix; readonly translators: readonly { readonly id: string; readonly prefix: Ipv6Prefix }[] }[];
  /** Service addresses in plan order (one EIP each). */
  readonly eips: readonly { readonly key: string; readonly label: string }[];
  /** NAT64 devices (one EIP each). */
  readonly nat64Eips: readonly { readonly key: string; readonly label: string }[];
  /** NAT64 devices whose private addresses AWS picks (NAT gateways), with the lab's choice. */
  readonly nat64Devices?: readonly { readonly label: string; readonly ipv4: Ipv4Address; readonly ipv6: Ipv6Address }[];
  /** Literal prefixes the plan uses as they are; lab values must not collide with them. */
  readonly keptIpv6: readonly Ipv6Prefix[];
  readonly keptIpv4: readonly Ipv4Prefix[];
  /** Keep translation homes tayga refuses (the lab runs real Jool, which takes them as they are). */
  readonly keepTranslationHomes?: boolean;
  /** References whose value is known from outside the plan (a platform manifest as applied): bound to it, not to a documentation prefix. */
  readonly given?: readonly GivenBinding[];
}

/** A prefix reference bound to a known value (LabInput.bindings). */
export interface GivenBinding {
  /** The reference's name. */
  readonly name: string;
  readonly prefix: Ipv6Prefix;
  /** Where the value comes from, for the printed substitution. */
  readonly source: string;
}

/** The lab's bindings: each given value, and a documentation prefix for every other reference. */
export function labBindings(references: readonly PrefixReference[], given: readonly GivenBinding[] = []): Map<string, Ipv6Prefix> {
  const known = new Set(given.map((g) => g.name));
  return new Map([...documentationBindings(references.filter((r) => !known.has(r.name))), ...given.map((g) => [g.name, g.prefix] as const)]);
}

/** Raised when the substitution cannot be made (a collision with a kept prefix, too many EIPs). */
export class SubstitutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubstitutionError";
  }
}

export class LabSubstitution {
  /** Bindings of unknown prefix references to documentation prefixes (for `resolve`). */
  readonly bindings: PrefixBindings;
  private readonly homes: readonly { readonly from: Ipv6Prefix; readonly to: Ipv6Prefix }[];
  private readonly eipByKey: ReadonlyMap<string, Ipv4Address>;
  private readonly nat64EipByKey: ReadonlyMap<string, Ipv4Address>;
  readonly entries: readonly SubstitutionEntry[];

  constructor(input: SubstitutionInput) {
    const entries: SubstitutionEntry[] = [];
    this.bindings = labBindings(input.references, input.given);
    for (const [name, prefix] of this.bindings) {
      const given = input.given?.find((g) => g.name === name);
      if (given) {
        entries.push({ kind: "vpc-prefix", what: `IPv6 prefix ${name}`, deployed: "Amazon-provided, known at apply", lab: prefix.toString(), why: `as applied: ${given.source}` });
        continue;
      }
      entries.push({ kind: "vpc-prefix", what: `IPv6 prefix ${name}`, deployed: "Amazon-provided, known at apply", lab: prefix.toString(), why: "unknown until apply: documentation prefix (RFC 3849) of the same length" });
    }
    const taken6 = [...input.keptIpv6, ...this.bindings.values(), LAB_INTERNET.ipv6Link];
    const homes: { from: Ipv6Prefix; to: Ipv6Prefix }[] = [];
    for (const set of input.translationHomes) {
      const refused = taygaRefusesIpv6(set.home);
      if (!refused || input.keepTranslationHomes) continue;
      const known = homes.find((h) => h.from.equals(set.home));
      const to = known?.to ?? LAB_HOMES.find((c) => !taken6.some((t) => t.overlaps(c)) && !homes.some((h) => h.to.equals(c)));
      if (!to) throw new SubstitutionError(`no documentation /48 left for translation home ${set.home} of ${set.set}`);
      if (!known) homes.push({ from: set.home, to });
      entries.push({ kind: "translation-home", what: `translation prefix home of ${set.set}`, deployed: set.home.toString(), lab: to.toString(), why: refused });
      for (const t of set.translators) {
        entries.push({ kind: "translator-prefix", what: `pool6 of translator ${t.id} (${set.set})`, deployed: t.prefix.toString(), lab: shift(t.prefix, set.home, to).toString(), why: "same offset inside the substituted home" });
      }
    }
    this.homes = homes;

    const hosts = (block: Ipv4Prefix, items: readonly { key: string; label: string }[], kind: "eip" | "nat64-eip") => {
      if (items.length > 200) throw new SubstitutionError(`${items.length} ${kind === "eip" ? "service addresses" : "NAT64 devices"} exceed the lab's ${block} (200 addresses)`);
      const map = new Map<string, Ipv4Address>();
      items.forEach((item, i) => {
        const address = block.host(i + 1);
        map.set(item.key, address);
        entries.push({ kind, what: item.label, deployed: "EIP allocated at apply", lab: address.toString(), why: `unknown until apply: documentation address (RFC 5737 ${block})` });
      });
      return map;
    };
    this.eipByKey = hosts(LAB_INTERNET.serviceEips, input.eips, "eip");
    this.nat64EipByKey = hosts(LAB_INTERNET.nat64Eips, input.nat64Eips, "nat64-eip");
    for (const d of input.nat64Devices ?? []) {
      entries.push({ kind: "nat64-device", what: d.label, deployed: "private addresses picked by AWS", lab: `${d.ipv4}, ${d.ipv6}`, why: "unknown until apply: the first edge host address no plan holder uses" });
    }

    entries.push(
      { kind: "ipv4-client", what: "IPv4 client", deployed: "any IPv4 internet host", lab: LAB_INTERNET.ipv4Client.toString(), why: "documentation address (RFC 5737), as in the packet path report" },
      { kind: "ipv6-client", what: "IPv6 client", deployed: "any IPv6 internet host", lab: LAB_INTERNET.ipv6Client.toString(), why: "documentation address (RFC 3849)" },
      { kind: "ipv4-host", what: "IPv4-only host (reached through NAT64)", deployed: "any IPv4-only internet host", lab: LAB_INTERNET.ipv4Host.toString(), why: "tayga on 64:ff9b::/96 refuses RFC 1918 and TEST-NET IPv4; 100.64.0.0/10 is accepted" },
    );
    this.entries = entries;

    for (const kept of input.keptIpv4) {
      for (const [what, lab] of [
        ["the lab's internet link", LAB_INTERNET.ipv4Link],
        ["the lab's service EIPs", LAB_INTERNET.serviceEips],
        ["the lab's NAT64 EIPs", LAB_INTERNET.nat64Eips],
        ["the lab's IPv4-only host", LAB_INTERNET.ipv4Host.toPrefix()],
      ] as const) {
        if (kept.overlaps(lab)) throw new SubstitutionError(`the plan's ${kept} overlaps ${what} ${lab}`);
      }
    }
    for (const kept of input.keptIpv6) {
      if (kept.overlaps(LAB_INTERNET.ipv6Link)) throw new SubstitutionError(`the plan's ${kept} overlaps the lab's internet link ${LAB_INTERNET.ipv6Link}`);
    }
  }

  /** A translator prefix (or any prefix) as the lab uses it: shifted into its substituted home, else unchanged. */
  prefix(prefix: Ipv6Prefix): Ipv6Prefix {
    const home = this.homes.find((h) => h.from.contains(prefix));
    return home ? shift(prefix, home.from, home.to) : prefix;
  }

  /** The lab EIP of service address `key` (see `eipKey`). */
  eip(key: string): Ipv4Address {
    const address = this.eipByKey.get(key);
    if (!address) throw new RangeError(`internal: no lab EIP for ${key}`);
    return address;
  }

  /** The lab EIP of NAT64 device `key`. */
  nat64Eip(key: string): Ipv4Address {
    const address = this.nat64EipByKey.get(key);
    if (!address) throw new RangeError(`internal: no lab EIP for NAT64 ${key}`);
    return address;
  }

  /** The mapping as aligned text lines, for printing. */
  lines(): string[] {
    const rows = this.entries.map((e) => [e.what, e.deployed, e.lab, e.why]);
    return table(["substituted", "deployed", "lab", "why"], rows);
  }
}

/** Key of a service address, unique in a stack. */
export function eipKey(set: string, service: string, translator: string): string {
  return `${set}|${service}|${translator}`;
}

function shift(prefix: Ipv6Prefix, from: Ipv6Prefix, to: Ipv6Prefix): Ipv6Prefix {
  const value = to.network.value + (prefix.network.value - from.network.value);
  return Ipv6Prefix.parse(`${Ipv6Address.fromBigInt(value)}/${prefix.length}`);
}

/** Left-aligned text table with a header rule. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
