import { AddressSyntaxError, Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix, RFC6052_PREFIX_LENGTHS, WELL_KNOWN } from "../../plan/address/ip";
import { CannotEmulate } from "./input";
import { taygaRefusesIpv4, taygaRefusesIpv6 } from "./substitution";

/**
 * Jool -> tayga: converts a translator's rendered Jool 4.1 SIIT file into a tayga 0.9.2 (Debian
 * 0.9.2-8, with its static-EAM patch) configuration, so the lab's packets exercise the file the
 * constructs deliver. `eamt` entries become `map` lines, `pool6` the `prefix`, and `denylist4` is
 * honoured by routing (only mapped IPv4 addresses are routed into the TUN) plus nftables drops.
 * Anything in the file tayga cannot do is reported by name as "cannot emulate"; a setting the lab
 * deliberately does not exercise is kept as a note, stated in the config as a comment.
 */

/** tayga's own IPv4 (source of its ICMPv4 errors): RFC 7600's IPv4 dummy address for translators. */
export const TAYGA_IPV4_CANDIDATES = ["192.0.0.8", "192.0.0.9", "192.0.0.10", "192.0.0.11"].map((a) => Ipv4Address.parse(a));

/** One `map` line: an EAM entry, as a prefix pair (single addresses when /32 and /128). */
export interface TaygaMap {
  readonly ipv4: Ipv4Prefix;
  readonly ipv6: Ipv6Prefix;
}

/** A tayga configuration, structured; `renderTaygaConf` writes the file. */
export interface TaygaConfig {
  /** Comment lines written at the top. */
  readonly header: readonly string[];
  readonly tunDevice: string;
  readonly ipv4Addr: Ipv4Address;
  readonly ipv6Addr?: string;
  readonly prefix?: { readonly lab: Ipv6Prefix; readonly deployed: Ipv6Prefix };
  readonly maps: readonly TaygaMap[];
  readonly dynamicPool?: Ipv4Prefix;
  readonly dataDir?: string;
  /** Comment lines written at the end (how the rest of the file is emulated). */
  readonly footer: readonly string[];
}

export function renderTaygaConf(c: TaygaConfig): string {
  const lines = [...c.header.map((h) => `# ${h}`), `tun-device ${c.tunDevice}`, `ipv4-addr ${c.ipv4Addr}`];
  if (c.ipv6Addr) lines.push(`ipv6-addr ${c.ipv6Addr}`);
  if (c.prefix) {
    if (!c.prefix.lab.equals(c.prefix.deployed)) lines.push(`# pool6 ${c.prefix.deployed}, substituted by the lab`);
    lines.push(`prefix ${c.prefix.lab}`);
  }
  if (c.dynamicPool) lines.push(`dynamic-pool ${c.dynamicPool}`);
  if (c.dataDir) lines.push(`data-dir ${c.dataDir}`);
  for (const m of c.maps) lines.push(`map ${mapSide(m.ipv4, 32)} ${mapSide(m.ipv6, 128)}`);
  lines.push(...c.footer.map((f) => `# ${f}`));
  return `${lines.join("\n")}\n`;
}

function mapSide(p: Ipv4Prefix | Ipv6Prefix, full: number): string {
  return p.length === full ? p.network.toString() : p.toString();
}

export interface SiitConversionOptions {
  /** The translator's name in messages, e.g. `a0`. */
  readonly translator: string;
  readonly tunDevice: string;
  /** Maps a deployed pool6 to the lab's (the substitution). */
  readonly labPrefix: (deployed: Ipv6Prefix) => Ipv6Prefix;
  /** tayga's ipv6-addr when the file has no pool6 (tayga then needs one): a lab-only address. */
  readonly selfIpv6: string;
}

export interface SiitConversion {
  readonly config: TaygaConfig;
  /** `manually-enabled`: Jool translates nothing when false, so the lab starts no tayga. */
  readonly enabled: boolean;
  readonly denylist4: readonly Ipv4Prefix[];
  /** Settings the lab keeps but does not exercise, in words. */
  readonly notes: readonly string[];
  readonly cannotEmulate: readonly CannotEmulate[];
}

const SIIT_ROOT_KEYS = ["comment", "instance", "framework", "global", "eamt", "denylist4"];

/** Converts one Jool SIIT file (its text, as delivered) into a tayga configuration. */
export function convertSiitJool(text: string, options: SiitConversionOptions): SiitConversion {
  const who = `translator ${options.translator}`;
  const problems: CannotEmulate[] = [];
  const notes: string[] = [];
  const footer: string[] = [];
  const cannot = (key: string, reason: string): void => {
    problems.push({ subject: `${who}: Jool ${key}`, reason });
  };
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    cannot("file", `is not JSON (${e instanceof Error ? e.message : String(e)})`);
    file = {};
  }
  if (typeof file !== "object" || file === null || Array.isArray(file)) {
    cannot("file", "is not a JSON object");
    file = {};
  }
  for (const key of Object.keys(file)) {
    if (!SIIT_ROOT_KEYS.includes(key)) cannot(key, "is a key the lab has no stand-in for (tayga knows only EAM entries, pool6 and the lab's denylist4 emulation)");
  }
  const instance = typeof file.instance === "string" ? file.instance : "(unnamed)";
  if (file.framework !== undefined && file.framework !== "netfilter") {
    cannot("framework", `is ${JSON.stringify(file.framework)}: the lab emulates only "netfilter" (Jool translates every packet that reaches it; tayga translates every packet routed into its TUN)`);
  }

  // global
  const global = (typeof file.global === "object" && file.global !== null ? file.global : {}) as Record<string, unknown>;
  let enabled = true;
  let deployed: Ipv6Prefix | undefined;
  for (const [key, value] of Object.entries(global)) {
    switch (key) {
      case "comment":
        break;
      case "manually-enabled":
        enabled = value !== false;
        if (!enabled) notes.push(`${who}: manually-enabled is false, so Jool translates nothing: the lab starts no tayga for it`);
        break;
      case "pool6":
        if (value === null) break;
        try {
          deployed = Ipv6Prefix.parse(String(value));
        } catch (e) {
          cannot("global.pool6", `${JSON.stringify(value)} is not a prefix (${e instanceof AddressSyntaxError ? e.message : String(e)})`);
        }
        break;
      case "lowest-ipv6-mtu":
        footer.push(`lowest-ipv6-mtu ${String(value)}: not emulated (tayga has no such setting; the lab's probes are far smaller than any MTU)`);
        notes.push(`${who}: lowest-ipv6-mtu ${String(value)} is not exercised (no probe needs fragmentation)`);
        break;
      case "eam-hairpin-mode":
        footer.push(`eam-hairpin-mode ${String(value)}: not emulated (tayga has no EAM hairpinning; the lab sends no hairpin traffic)`);
        notes.push(`${who}: eam-hairpin-mode ${String(value)} is not exercised (no probe goes from a server to a published IPv4 address)`);
        break;
      default:
        cannot(`global.${key}`, "has no tayga equivalent");
    }
  }

  let prefix: TaygaConfig["prefix"];
  if (deployed) {
    const lab = options.labPrefix(deployed);
    const refused = taygaRefusesIpv6(lab);
    if (!RFC6052_PREFIX_LENGTHS.includes(lab.length)) cannot("global.pool6", `${deployed} is a /${lab.length}; tayga's prefix must be /32, /40, /48, /56, /64 or /96`);
    else if (refused) cannot("global.pool6", `${deployed} (lab ${lab}): ${refused}`);
    else prefix = { lab, deployed };
  }

  // eamt
  const maps: TaygaMap[] = [];
  const eamt = file.eamt === undefined ? [] : file.eamt;
  if (!Array.isArray(eamt)) cannot("eamt", "is not a list");
  else {
    eamt.forEach((entry: unknown, i: number) => {
      const key = `eamt[${i}]`;
      if (typeof entry !== "object" || entry === null) return cannot(key, "is not an object");
      const e = entry as Record<string, unknown>;
      const extra = Object.keys(e).filter((k) => !["ipv6 prefix", "ipv4 prefix", "comment"].includes(k));
      if (extra.length) return cannot(key, `has keys the lab does not know: ${extra.join(", ")}`);
      let ipv4: Ipv4Prefix;
      let ipv6: Ipv6Prefix;
      try {
        ipv4 = prefixOf(String(e["ipv4 prefix"]), Ipv4Prefix.parse, 32);
        ipv6 = prefixOf(String(e["ipv6 prefix"]), Ipv6Prefix.parse, 128);
      } catch (err) {
        return cannot(key, `${JSON.stringify(entry)}: ${err instanceof Error ? err.message : String(err)}`);
      }
      const pair = `${ipv6} <-> ${ipv4}`;
      if (32 - ipv4.length !== 128 - ipv6.length) return cannot(key, `${pair}: tayga maps only prefix pairs of the same size (${32 - ipv4.length} and ${128 - ipv6.length} host bits)`);
      if (WELL_KNOWN.nat64.overlaps(ipv6)) return cannot(key, `${pair}: tayga refuses maps inside 64:ff9b::/96`);
      const refused6 = taygaRefusesIpv6(ipv6);
      if (refused6) return cannot(key, `${pair}: ${refused6}`);
      const refused4 = taygaRefusesIpv4(ipv4);
      if (refused4) return cannot(key, `${pair}: ${refused4}`);
      if (prefix && prefix.lab.overlaps(ipv6)) return cannot(key, `${pair}: the IPv6 side overlaps pool6 ${prefix.lab}, which tayga refuses`);
      const clash = maps.find((m) => m.ipv6.overlaps(ipv6));
      if (clash) return cannot(key, `${pair}: its IPv6 side overlaps the earlier entry ${clash.ipv6} <-> ${clash.ipv4}, which tayga refuses`);
      maps.push({ ipv4, ipv6 });
    });
  }

  // denylist4
  const denylist4: Ipv4Prefix[] = [];
  const deny = file.denylist4 === undefined ? [] : file.denylist4;
  if (!Array.isArray(deny)) cannot("denylist4", "is not a list");
  else {
    deny.forEach((d: unknown, i: number) => {
      try {
        denylist4.push(prefixOf(String(d), Ipv4Prefix.parse, 32));
      } catch (err) {
        cannot(`denylist4[${i}]`, `${JSON.stringify(d)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    if (denylist4.length) footer.push(`denylist4 ${denylist4.join(", ")}: emulated by routing (only mapped IPv4 addresses are routed into ${options.tunDevice}) and nftables drops`);
  }

  const ipv4Addr = TAYGA_IPV4_CANDIDATES.find((c) => !maps.some((m) => m.ipv4.contains(c)));
  if (!ipv4Addr) cannot("eamt", `maps every address tayga could use as its own (${TAYGA_IPV4_CANDIDATES.join(", ")})`);
  const header = [`tayga.conf of ${who}, converted by the packet lab from its Jool file (instance "${instance}")`];
  if (typeof file.comment === "string") header.push(`Jool comment: ${file.comment}`);
  return {
    config: {
      header,
      tunDevice: options.tunDevice,
      ipv4Addr: ipv4Addr ?? TAYGA_IPV4_CANDIDATES[0],
      ipv6Addr: prefix ? undefined : options.selfIpv6,
      prefix,
      maps,
      footer,
    },
    enabled,
    denylist4,
    notes,
    cannotEmulate: problems,
  };
}

/** A prefix, or a single address as its full-length prefix. */
function prefixOf<T>(text: string, parse: (t: string) => T, full: number): T {
  return parse(text.includes("/") ? text : `${text}/${full}`);
}

/** The IPv6 range that holds every address of `ipv4` embedded in `pool6` (RFC 6052), as one prefix. */
export function embeddedRange(pool6: Ipv6Prefix, ipv4: Ipv4Prefix): Ipv6Prefix {
  const network = pool6.embedIpv4(ipv4.network);
  let length: number;
  if (pool6.length === 96) length = 96 + ipv4.length;
  else if (pool6.length === 64) length = 72 + ipv4.length;
  else {
    // Bits before the u octet (64..71, always zero), then the rest after it.
    const before = 64 - pool6.length;
    length = ipv4.length <= before ? pool6.length + ipv4.length : 72 + (ipv4.length - before);
  }
  const hostBits = BigInt(128 - length);
  const value = (network.value >> hostBits) << hostBits;
  return Ipv6Prefix.parse(`${Ipv6Address.fromBigInt(value)}/${length}`);
}

/** Pool4 of a Jool NAT64 file, as the NAT64 stand-in's masquerade rules use it. */
export interface Nat64Pool4 {
  readonly protocol: "tcp" | "udp" | "icmp";
  /** `from-to`, or undefined for any port. */
  readonly ports?: string;
}

export interface Nat64Conversion {
  readonly pool6?: Ipv6Prefix;
  /** Empty: Jool's default (ports 61001-65535 of the node's own address). */
  readonly pool4: readonly Nat64Pool4[];
  readonly notes: readonly string[];
  readonly cannotEmulate: readonly CannotEmulate[];
}

const NAT64_ROOT_KEYS = ["comment", "instance", "framework", "global", "pool4", "bib"];

/**
 * Reads a Jool NAT64 file for the stateful NAT64 stand-in: tayga (stateless, dynamic pool) plus
 * nftables masquerade to the node's own address, with pool4's port ranges.
 */
export function convertNat64Jool(text: string, device: string, nodeIpv4: Ipv4Address): Nat64Conversion {
  const who = `NAT64 ${device}`;
  const problems: CannotEmulate[] = [];
  const notes: string[] = [];
  const cannot = (key: string, reason: string): void => {
    problems.push({ subject: `${who}: Jool ${key}`, reason });
  };
  let file: Record<string, unknown> = {};
  try {
    file = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    cannot("file", `is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  for (const key of Object.keys(file)) if (!NAT64_ROOT_KEYS.includes(key)) cannot(key, "is a key the lab has no stand-in for");
  if (Array.isArray(file.bib) && file.bib.length) cannot("bib", "static BIB entries have no stand-in (tayga's dynamic pool is not port-based)");
  if (file.framework !== undefined && file.framework !== "netfilter") cannot("framework", `is ${JSON.stringify(file.framework)}: the lab emulates only "netfilter"`);
  const global = (typeof file.global === "object" && file.global !== null ? file.global : {}) as Record<string, unknown>;
  let pool6: Ipv6Prefix | undefined;
  for (const [key, value] of Object.entries(global)) {
    if (key === "comment" || key === "manually-enabled") continue;
    if (key === "pool6") {
      try {
        pool6 = Ipv6Prefix.parse(String(value));
      } catch {
        cannot("global.pool6", `${JSON.stringify(value)} is not a prefix`);
      }
    } else if (key === "lowest-ipv6-mtu") notes.push(`${who}: lowest-ipv6-mtu ${String(value)} is not exercised`);
    else cannot(`global.${key}`, "has no stand-in");
  }
  if (global["manually-enabled"] === false) cannot("global.manually-enabled", "is false: a disabled NAT64 has no stand-in in the lab");
  const pool4: Nat64Pool4[] = [];
  const entries = Array.isArray(file.pool4) ? (file.pool4 as Record<string, unknown>[]) : [];
  entries.forEach((e, i) => {
    const protocol = String(e.protocol).toLowerCase();
    if (!["tcp", "udp", "icmp"].includes(protocol)) return cannot(`pool4[${i}].protocol`, `${JSON.stringify(e.protocol)} is not TCP, UDP or ICMP`);
    if (String(e.prefix) !== `${nodeIpv4}/32`) return cannot(`pool4[${i}].prefix`, `${JSON.stringify(e.prefix)}: the stand-in masquerades only to the node's own address ${nodeIpv4}`);
    if (pool4.some((p) => p.protocol === protocol)) return cannot(`pool4[${i}]`, `a second ${protocol} range: nftables masquerade takes one port range per protocol`);
    pool4.push({ protocol: protocol as Nat64Pool4["protocol"], ports: e["port range"] === undefined ? undefined : String(e["port range"]) });
  });
  return { pool6, pool4, notes, cannotEmulate: problems };
}
