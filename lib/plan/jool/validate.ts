import type { ErrorObject, ValidateFunction } from "ajv";
import type { Node } from "yaml";
import { yaml } from "../lazy";
import { AddressSyntaxError, Ipv4Prefix, Ipv6Prefix, RFC6052_PREFIX_LENGTHS } from "../address/ip";

/**
 * Our own validator for Jool 4.1 atomic configuration files. `jool_siit` and `jool` cannot parse a
 * file without the kernel module, so the rules are re-implemented from Jool's sources (NICMx/Jool:
 * src/usr/nl/file.c for structure, src/usr/util/str_utils.c for value syntax, src/common/global.c
 * and the kernel's db/*.c for values), for the Jool version of the image the file configures.
 * Mirrors Jool: key names are case-insensitive, `comment` is allowed (even repeated) in every
 * object, other unknown and duplicate keys are errors, and a global key of the other translator
 * type is an error (the kernel's strict netlink policy refuses it). The VM tier (test/vm) checks
 * these rules against the real Jool 4.1.9.
 */

export type JoolFlavour = "siit" | "nat64";

/** Jool of Debian 12's archive (jool-dkms, jool-tools), which the boot script installs. */
export const DEBIAN_12_JOOL_VERSION = "4.1.9";

/** The 4.1 releases whose rules the validator knows (their differences are below). */
/** The Jool 4.1 releases the validator knows (4.1.9 to 4.1.15). */
export const KNOWN_RELEASES = { first: 9, last: 15 };

const u32 = { type: "integer", minimum: 0, maximum: 4294967295 };
const prefixOrNull = { type: ["string", "null"] };
// str_to_timeout: [HH:[MM:]]SS, then an optional "." and at least three digits, added to the
// total as a count of milliseconds (so ".5000" is 5 s and ".5" is refused).
const timeout = { type: "string", pattern: "^\\d+(:\\d+){0,2}(\\.\\d{3,})?$" };

const COMMON_GLOBALS = {
  comment: {},
  "manually-enabled": { type: "boolean" },
  pool6: prefixOrNull,
  "lowest-ipv6-mtu": { ...u32, minimum: 1280 },
  "logging-debug": { type: "boolean" },
  "zeroize-traffic-class": { type: "boolean" },
  "override-tos": { type: "boolean" },
  tos: { type: "integer", minimum: 0, maximum: 255 },
  "mtu-plateaus": { type: "array", maxItems: 64, items: { type: "integer", minimum: 0, maximum: 65535 } },
};

const SIIT_GLOBALS = {
  ...COMMON_GLOBALS,
  "amend-udp-checksum-zero": { type: "boolean" },
  "eam-hairpin-mode": { enum: ["off", "simple", "intrinsic"] },
  "randomize-rfc6791-addresses": { type: "boolean" },
  "rfc6791v6-prefix": prefixOrNull,
  "rfc6791v4-prefix": prefixOrNull,
};

const NAT64_GLOBALS = {
  ...COMMON_GLOBALS,
  "address-dependent-filtering": { type: "boolean" },
  "drop-externally-initiated-tcp": { type: "boolean" },
  "drop-icmpv6-info": { type: "boolean" },
  "source-icmpv6-errors-better": { type: "boolean" },
  "f-args": { type: "integer", minimum: 0, maximum: 15 },
  "handle-rst-during-fin-rcv": { type: "boolean" },
  "tcp-est-timeout": timeout,
  "tcp-trans-timeout": timeout,
  "udp-timeout": timeout,
  "icmp-timeout": timeout,
  "logging-bib": { type: "boolean" },
  "logging-session": { type: "boolean" },
  "maximum-simultaneous-opens": u32,
  "ss-enabled": { type: "boolean" },
  "ss-flush-asap": { type: "boolean" },
  "ss-flush-deadline": u32,
  "ss-capacity": u32,
  "ss-max-payload": u32,
};

/** Globals added after 4.1.9, by the release that added them (src/common/global.c of each tag). */
const NAT64_GLOBALS_SINCE: Record<string, [number, object]> = {
  "ss-max-sessions-per-packet": [11, u32],
};

/** Linux's default net.ipv4.ip_local_port_range, which Jool 4.1.15's pool4 refuses to overlap. */
const EPHEMERAL_PORTS = { from: 32768, to: 60999 };
/** pool4's default port range when an entry has none (src/common/constants.h). */
const DEFAULT_POOL4_PORTS = { from: 61001, to: 65535 };

const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", properties, required, additionalProperties: false });
const root = { comment: {}, instance: { type: "string" }, framework: { enum: ["netfilter", "iptables"] } };

/** The JSON schemas of both flavours for one release; scripts/generate.ts compiles them ahead of time. */
export function schemas(release: number): Record<JoolFlavour, object> {
  const nat64Globals: Record<string, unknown> = { ...NAT64_GLOBALS };
  for (const [key, [since, schema]] of Object.entries(NAT64_GLOBALS_SINCE)) if (release >= since) nat64Globals[key] = schema;
  return {
    siit: object(
      {
        ...root,
        global: object(SIIT_GLOBALS),
        eamt: { type: "array", items: object({ comment: {}, "ipv6 prefix": { type: "string" }, "ipv4 prefix": { type: "string" } }, ["ipv6 prefix", "ipv4 prefix"]) },
        denylist4: { type: "array", items: { type: "string" } },
        blacklist4: { type: "array", items: { type: "string" } },
      },
      ["instance", "framework"],
    ),
    nat64: object(
      {
        ...root,
        global: object(nat64Globals, ["pool6"]),
        pool4: {
          type: "array",
          items: object(
            {
              comment: {},
              mark: u32,
              protocol: { type: "string", pattern: "^(?:[Tt][Cc][Pp]|[Uu][Dd][Pp]|[Ii][Cc][Mm][Pp])$" },
              prefix: { type: "string" },
              "port range": { type: "string", pattern: "^\\d{1,5}(-\\d{1,5})?$" },
              "max-iterations": { anyOf: [{ ...u32, minimum: 1 }, { enum: ["auto", "infinity"] }] },
            },
            ["protocol", "prefix"],
          ),
        },
        bib: {
          type: "array",
          items: object({ comment: {}, protocol: { type: "string", pattern: "^(?:[Tt][Cc][Pp]|[Uu][Dd][Pp]|[Ii][Cc][Mm][Pp])$" }, "ipv6 address": { type: "string" }, "ipv4 address": { type: "string" } }, [
            "protocol",
            "ipv6 address",
            "ipv4 address",
          ]),
        },
      },
      ["instance", "framework", "global"],
    ),
  };
}

/** The options the schemas are compiled with (ahead of time, by `npm run generate`). */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;

/** The name of a release's validator in generated/jool-validators.js. */
export function validatorName(flavour: JoolFlavour, release: number): string {
  return `${flavour}_4_1_${release}`;
}

// Compiled ahead of time (ajv standalone code, npm run generate) and loaded on first use: neither
// importing the library nor synthesizing loads the schema compiler.
let generated: Record<string, ValidateFunction> | undefined;
function validator(flavour: JoolFlavour, release: number): ValidateFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  generated ??= require("./generated/jool-validators") as Record<string, ValidateFunction>;
  return generated[validatorName(flavour, release)];
}

/** The 4.1 release number of a version string ("4.1.15" -> 15), or undefined if not known. */
function releaseOf(version: string): number | undefined {
  const m = /^4\.1\.(\d+)$/.exec(version);
  const n = m ? Number(m[1]) : NaN;
  return n >= KNOWN_RELEASES.first && n <= KNOWN_RELEASES.last ? n : undefined;
}

let scopeSubnet: Ipv4Prefix[] | undefined;
/**
 * Blocks Jool always refuses to translate or deny (src/mod/common/address.c, subnet scope);
 * parsed on first use, so that importing the library parses nothing.
 */
const scopeSubnets = () => (scopeSubnet ??= ["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32"].map((p) => Ipv4Prefix.parse(p)));

/**
 * Validates the text of a Jool file as the given Jool version would; returns the problems found
 * (empty when valid).
 * @param version the Jool version of the image the file configures, "4.1.9" to "4.1.15"
 * @default version "4.1.9" (Debian 12, the boot-time install)
 */
export function validateJoolFile(text: string, flavour: JoolFlavour, version: string = DEBIAN_12_JOOL_VERSION): string[] {
  const release = releaseOf(version);
  if (release === undefined) return [`Jool ${version}: this validator knows Jool 4.1.${KNOWN_RELEASES.first} to 4.1.${KNOWN_RELEASES.last}`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return [`not valid JSON: ${e instanceof Error ? e.message : String(e)}`];
  }
  const doc = lowerKeys(parsed);
  // Keys in the text that the parsed, lower-cased document lacks were given twice.
  const duplicates = keysInText(text) === keysIn(doc) ? [] : duplicateKeys(text);
  if (duplicates.length) return duplicates;
  const validate = validator(flavour, release);
  if (!validate(doc)) return (validate.errors ?? []).map(describeAjvError);
  return flavour === "siit" ? siitValues(doc as SiitDoc) : nat64Values(doc as Nat64Doc, release);
}

interface SiitDoc {
  instance: string;
  global?: Record<string, unknown>;
  eamt?: { "ipv6 prefix": string; "ipv4 prefix": string }[];
  denylist4?: string[];
  blacklist4?: string[];
}

interface Nat64Doc {
  instance: string;
  global: Record<string, unknown>;
  pool4?: { protocol: string; prefix: string; "port range"?: string }[];
  bib?: { "ipv6 address": string; "ipv4 address": string }[];
}

function siitValues(doc: SiitDoc): string[] {
  const errors = [...instanceName(doc.instance), ...commonGlobals(doc.global ?? {})];
  const g = doc.global ?? {};
  if (typeof g["rfc6791v6-prefix"] === "string") prefix6(g["rfc6791v6-prefix"], "global.rfc6791v6-prefix", errors);
  if (typeof g["rfc6791v4-prefix"] === "string") {
    const p = prefix4(g["rfc6791v4-prefix"], "global.rfc6791v4-prefix", errors);
    if (p) scope(p, "global.rfc6791v4-prefix", errors);
  }

  const eams = (doc.eamt ?? []).map((e, i) => {
    const v6 = prefix6(e["ipv6 prefix"], `eamt[${i}]."ipv6 prefix"`, errors, 128);
    const v4 = prefix4(e["ipv4 prefix"], `eamt[${i}]."ipv4 prefix"`, errors, 32);
    if (v6 && v4 && 32 - v4.length > 128 - v6.length) {
      errors.push(`eamt[${i}]: the IPv4 suffix (/${v4.length}) is longer than the IPv6 suffix (/${v6.length}); Jool requires the IPv4 suffix length to be at most the IPv6 one`);
    }
    return { i, v6, v4 };
  });
  // Entries are added in order; each is refused when the first address of its prefix lies in an
  // earlier entry's (validate_overlapping in src/mod/common/db/eam.c). A later entry may still
  // contain earlier ones: Jool then translates by longest match.
  for (const b of eams) {
    const earlier = eams.filter((a) => a.i < b.i);
    const in6 = b.v6 && earlier.find((a) => a.v6?.contains(b.v6!.network));
    const in4 = b.v4 && earlier.find((a) => a.v4?.contains(b.v4!.network));
    if (in6) errors.push(`eamt[${b.i}]."ipv6 prefix" ${b.v6} lies in eamt[${in6.i}] ${in6.v6}`);
    else if (in4) errors.push(`eamt[${b.i}]."ipv4 prefix" ${b.v4} lies in eamt[${in4.i}] ${in4.v4}`);
  }
  [...(doc.denylist4 ?? []), ...(doc.blacklist4 ?? [])].forEach((d, i) => {
    const p = prefix4(d, `denylist4[${i}]`, errors, 32);
    if (p) scope(p, `denylist4[${i}]`, errors);
  });
  return errors;
}

function nat64Values(doc: Nat64Doc, release: number): string[] {
  const errors = [...instanceName(doc.instance), ...commonGlobals(doc.global)];
  if (doc.global.pool6 === null) errors.push("global.pool6: is mandatory in NAT64 instances");
  const timeouts: [string, number][] = [
    ["tcp-est-timeout", 7200],
    ["tcp-trans-timeout", 240],
    ["udp-timeout", 120],
  ];
  for (const [key, min] of timeouts) {
    const v = doc.global[key];
    if (typeof v === "string" && milliseconds(v) < min * 1000) errors.push(`global.${key}: ${v} is below Jool's minimum of ${min} s`);
  }
  (doc.pool4 ?? []).forEach((e, i) => {
    prefix4(e.prefix, `pool4[${i}].prefix`, errors, 32);
    const range = e["port range"];
    if (range !== undefined && range.split("-").some((p) => Number(p) > 65535)) {
      errors.push(`pool4[${i}]."port range": ${range} has a port above 65535`);
      return;
    }
    // 4.1.15's pool4db_add (src/mod/common/db/pool4/db.c, commit a754597e) refuses TCP and UDP
    // ranges that intersect the namespace's ephemeral range; port 0 counts as 1, ends may swap.
    if (release >= 15 && /^(tcp|udp)$/i.test(e.protocol)) {
      const [a, b = a] = range === undefined ? [DEFAULT_POOL4_PORTS.from, DEFAULT_POOL4_PORTS.to] : range.split("-").map(Number);
      const from = Math.max(1, Math.min(a, b));
      const to = Math.max(a, b);
      if (to >= EPHEMERAL_PORTS.from && EPHEMERAL_PORTS.to >= from) {
        errors.push(`pool4[${i}]."port range": ${from}-${to} intersects Linux's ephemeral ports ${EPHEMERAL_PORTS.from}-${EPHEMERAL_PORTS.to}, which Jool 4.1.15 refuses`);
      }
    }
  });
  (doc.bib ?? []).forEach((e, i) => {
    for (const key of ["ipv6 address", "ipv4 address"] as const) {
      // str_to_addr4_port / str_to_addr6_port: the port goes through str_to_u16 (0 to 65535).
      const m = /^[^#]+#(\d+)$/.exec(e[key]);
      if (!m) errors.push(`bib[${i}]."${key}": ${e[key]} is not address#port`);
      else if (Number(m[1]) > 65535) errors.push(`bib[${i}]."${key}": port ${m[1]} is above 65535`);
    }
  });
  return errors;
}

function instanceName(name: string): string[] {
  if (name.length < 1 || name.length > 15) return [`instance: "${name}" must be 1 to 15 characters`];
  if (!/^[\x20-\x7e]+$/.test(name)) return [`instance: "${name}" must be printable ASCII`];
  return [];
}

function commonGlobals(g: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (typeof g.pool6 === "string") {
    const p = prefix6(g.pool6, "global.pool6", errors);
    if (p && !RFC6052_PREFIX_LENGTHS.includes(p.length)) errors.push(`global.pool6: /${p.length} is not a valid pool6 length (32, 40, 48, 56, 64, 96)`);
    // Bits 64-71 (the RFC 6052 "u" octet) must be zero (Jool issue 174).
    if (p && (p.network.value >> 56n) & 0xffn) errors.push(`global.pool6: ${p} has a nonzero u-octet (bits 64-71)`);
  }
  const plateaus = g["mtu-plateaus"];
  if (Array.isArray(plateaus) && plateaus.length > 0 && plateaus.every((v) => v === 0)) errors.push("global.mtu-plateaus: must contain a nonzero value");
  return errors;
}

function prefix4(text: string, where: string, errors: string[], defaultLength?: number): Ipv4Prefix | undefined {
  return parsed(() => Ipv4Prefix.parse(withLength(text, defaultLength)), text, where, errors);
}

function prefix6(text: string, where: string, errors: string[], defaultLength?: number): Ipv6Prefix | undefined {
  return parsed(() => Ipv6Prefix.parse(withLength(text, defaultLength)), text, where, errors);
}

/** Jool defaults a missing length to a single address (str_to_prefix4/6). */
function withLength(text: string, defaultLength: number | undefined): string {
  return text.includes("/") || defaultLength === undefined ? text : `${text}/${defaultLength}`;
}

function parsed<T>(parse: () => T, text: string, where: string, errors: string[]): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof AddressSyntaxError)) throw e;
    errors.push(`${where}: "${text}" ${e.message}`);
    return undefined;
  }
}

function scope(p: Ipv4Prefix, where: string, errors: string[]): void {
  const hit = scopeSubnets().find((s) => s.overlaps(p));
  if (hit) errors.push(`${where}: ${p} intersects ${hit}, which Jool never translates`);
}

/** A timeout as Jool reads it (str_to_timeout): the digits after "." are added as milliseconds. */
function milliseconds(t: string): number {
  const [clock, fraction = "0"] = t.split(".");
  return (
    clock
      .split(":")
      .map(Number)
      .reduce((acc, v) => acc * 60 + v, 0) *
      1000 +
    Number(fraction)
  );
}

function describeAjvError(e: ErrorObject): string {
  const where =
    e.instancePath
      .split("/")
      .slice(1)
      .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : `${i ? "." : ""}${seg.includes(" ") ? `"${seg}"` : seg}`))
      .join("") || "(root)";
  if (e.keyword === "additionalProperties") return `${where}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === "required") return `${where}: missing "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === "enum") return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  return `${where}: ${e.message}`;
}

/** Jool compares tag names case-insensitively; so does this validator, after normalizing. */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
  return value;
}

/** How many object keys a JSON text gives: its strings followed by a colon. */
function keysInText(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"(\s*:)?/g)) if (m[1]) n++;
  return n;
}

/** How many object keys a parsed document holds, at every depth. */
function keysIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + keysIn(v), 0);
  if (value !== null && typeof value === "object") return Object.values(value).reduce((n: number, v) => n + 1 + keysIn(v), 0);
  return 0;
}

/**
 * Keys given twice in one object (case-insensitively), which JSON.parse would silently merge.
 * `comment` may repeat: Jool skips it before its duplicate check (src/usr/nl/file.c, handle_child).
 */
function duplicateKeys(text: string): string[] {
  const { isMap, isSeq, parseDocument } = yaml();
  const doc = parseDocument(text, { uniqueKeys: false });
  const errors: string[] = [];
  const walk = (node: Node | null | undefined, where: string): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key).toLowerCase();
        if (key !== "comment" && seen.has(key)) errors.push(`${where || "(root)"}: key "${key}" appears twice`);
        seen.add(key);
        walk(pair.value as Node, where ? `${where}.${key}` : key);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, `${where}[${i}]`));
    }
  };
  walk(doc.contents, "");
  return errors;
}
