/**
 * Jool 4.1 atomic configuration files (`jool_siit file handle`, `jool file handle`).
 *
 * Source: NICMx/Jool v4.1.9 docs/en/config-atomic.md and src/usr/nl/file.c. A file replaces the
 * whole instance configuration; omitted fields reset to their defaults, so the library always
 * writes the complete file.
 */

/** The Jool instance name the library uses on every translator (at most 15 characters). */
export const SIIT_INSTANCE = "siit-dc";
/** The Jool instance name of the library's stateful NAT64 instances. */
export const NAT64_INSTANCE = "nat64";

/** `eam-hairpin-mode` values Jool accepts (src/common/global.c; the docs' `none` is wrong). */
export class EamHairpinMode {
  /** No hairpinning. */
  static readonly OFF = new EamHairpinMode("off");
  /** RFC 7757 section 4.2.1 "simple" hairpinning. */
  static readonly SIMPLE = new EamHairpinMode("simple");
  /** RFC 7757 section 4.2.2 "intrinsic" hairpinning; Jool's default. */
  static readonly INTRINSIC = new EamHairpinMode("intrinsic");

  private constructor(public readonly value: "off" | "simple" | "intrinsic") {}
}

export interface EamEntry {
  readonly "ipv6 prefix": string;
  readonly "ipv4 prefix": string;
}

export interface SiitGlobal {
  readonly "manually-enabled": boolean;
  readonly pool6: string;
  readonly "lowest-ipv6-mtu": number;
  readonly "eam-hairpin-mode": "off" | "simple" | "intrinsic";
}

/** The complete SIIT file the library writes. */
export interface SiitConfig {
  readonly comment: string;
  readonly instance: string;
  readonly framework: "netfilter";
  readonly global: SiitGlobal;
  readonly eamt: EamEntry[];
  readonly denylist4: string[];
}

export interface Pool4Entry {
  readonly protocol: "TCP" | "UDP" | "ICMP";
  readonly prefix: string;
  readonly "port range"?: string;
}

/** The complete NAT64 file the library writes. */
export interface Nat64Config {
  readonly comment: string;
  readonly instance: string;
  readonly framework: "netfilter";
  readonly global: { readonly "manually-enabled": boolean; readonly pool6: string; readonly "lowest-ipv6-mtu": number };
  readonly pool4: Pool4Entry[];
}

/** The file's text: stable key order, two-space indent, final newline. */
export function joolFileText(config: SiitConfig | Nat64Config): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
