import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { isMap, isSeq, Node, parseDocument } from "yaml";
import { AddressSyntaxError, Ipv4Prefix, Ipv6Prefix, RFC6052_PREFIX_LENGTHS } from "../address/ip";

/**
 * Our own validator for Jool 4.1 atomic configuration files. `jool_siit` and `jool` cannot parse a
 * file without the kernel module, so the rules are re-implemented from Jool v4.1.9's sources
 * (NICMx/Jool: src/usr/nl/file.c for structure, src/common/global.c and the kernel's db/*.c for
 * values). Mirrors Jool: key names are case-insensitive, `comment` is allowed in every object,
 * unknown and duplicate keys are errors, and a global key of the other translator type is an
 * error (the kernel's strict netlink policy refuses it).
 */

export type JoolFlavour = "siit" | "nat64";

const u32 = { type: "integer", minimum: 0, maximum: 4294967295 };
const prefixOrNull = { type: ["string", "null"] };
const timeout = { type: "string", pattern: "^(\\d+:){0,2}\\d+(\\.\\d{1,3})?$" };

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

const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", properties, required, additionalProperties: false });
const root = { comment: {}, instance: { type: "string" }, framework: { enum: ["netfilter", "iptables"] } };

const SCHEMAS: Record<JoolFlavour, object> = {
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
      global: object(NAT64_GLOBALS, ["pool6"]),
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

// Compiled on first use, not at import: importing the library stays cheap.
const compiled: Partial<Record<JoolFlavour, ValidateFunction>> = {};
let ajv: Ajv | undefined;
function validator(flavour: JoolFlavour): ValidateFunction {
  ajv ??= new Ajv({ allErrors: true, strict: false });
  return (compiled[flavour] ??= ajv.compile(SCHEMAS[flavour]));
}

/** Blocks Jool always refuses to translate or deny (src/mod/common/address.c, subnet scope). */
const SCOPE_SUBNET = ["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32"].map((p) => Ipv4Prefix.parse(p));

/** Validates the text of a Jool file; returns the problems found (empty when valid). */
export function validateJoolFile(text: string, flavour: JoolFlavour): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return [`not valid JSON: ${e instanceof Error ? e.message : String(e)}`];
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length) return duplicates;
  const doc = lowerKeys(parsed);
  const validate = validator(flavour);
  if (!validate(doc)) return (validate.errors ?? []).map(describeAjvError);
  return flavour === "siit" ? siitValues(doc as SiitDoc) : nat64Values(doc as Nat64Doc);
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
  pool4?: { prefix: string; "port range"?: string }[];
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
  for (const a of eams) {
    for (const b of eams) {
      if (b.i <= a.i) continue;
      if (a.v6 && b.v6 && a.v6.overlaps(b.v6)) errors.push(`eamt[${b.i}]."ipv6 prefix" ${b.v6} overlaps eamt[${a.i}] ${a.v6}`);
      if (a.v4 && b.v4 && a.v4.overlaps(b.v4)) errors.push(`eamt[${b.i}]."ipv4 prefix" ${b.v4} overlaps eamt[${a.i}] ${a.v4}`);
    }
  }
  [...(doc.denylist4 ?? []), ...(doc.blacklist4 ?? [])].forEach((d, i) => {
    const p = prefix4(d, `denylist4[${i}]`, errors, 32);
    if (p) scope(p, `denylist4[${i}]`, errors);
  });
  return errors;
}

function nat64Values(doc: Nat64Doc): string[] {
  const errors = [...instanceName(doc.instance), ...commonGlobals(doc.global)];
  if (doc.global.pool6 === null) errors.push("global.pool6: is mandatory in NAT64 instances");
  const timeouts: [string, number][] = [
    ["tcp-est-timeout", 7200],
    ["tcp-trans-timeout", 240],
    ["udp-timeout", 120],
  ];
  for (const [key, min] of timeouts) {
    const v = doc.global[key];
    if (typeof v === "string" && seconds(v) < min) errors.push(`global.${key}: ${v} is below Jool's minimum of ${min} s`);
  }
  (doc.pool4 ?? []).forEach((e, i) => {
    prefix4(e.prefix, `pool4[${i}].prefix`, errors, 32);
    const range = e["port range"];
    if (range !== undefined && range.split("-").some((p) => Number(p) > 65535)) errors.push(`pool4[${i}]."port range": ${range} has a port above 65535`);
  });
  (doc.bib ?? []).forEach((e, i) => {
    for (const key of ["ipv6 address", "ipv4 address"] as const) {
      if (!/^[^#]+#\d{1,5}$/.test(e[key])) errors.push(`bib[${i}]."${key}": ${e[key]} is not address#port`);
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
  const hit = SCOPE_SUBNET.find((s) => s.overlaps(p));
  if (hit) errors.push(`${where}: ${p} intersects ${hit}, which Jool never translates`);
}

function seconds(t: string): number {
  return t
    .split(":")
    .map(Number)
    .reduce((acc, v) => acc * 60 + v, 0);
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

/** Keys given twice in one object (case-insensitively), which JSON.parse would silently merge. */
function duplicateKeys(text: string): string[] {
  const doc = parseDocument(text, { uniqueKeys: false });
  const errors: string[] = [];
  const walk = (node: Node | null | undefined, where: string): void => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key).toLowerCase();
        if (seen.has(key)) errors.push(`${where || "(root)"}: key "${key}" appears twice`);
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
