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

  private constructor(
    /** The value Jool's `eam-hairpin-mode` takes. */
    public readonly value: "off" | "simple" | "intrinsic",
  ) {}
}

/** One EAM table entry (RFC 7757): an IPv6 prefix mapped 1:1 to an IPv4 prefix of the same size. */
export interface EamEntry {
  /** The IPv6 side, e.g. a server's `2001:db8::10/128`. */
  readonly "ipv6 prefix": string;
  /** The IPv4 side, e.g. a service's private `10.0.0.65/32`. */
  readonly "ipv4 prefix": string;
}

/** The `global` section of the library's SIIT file. */
export interface SiitGlobal {
  /** Whether the instance translates; always true in the library's files. */
  readonly "manually-enabled": boolean;
  /** This translator's own /96 (RFC 6052 prefix for addresses without an EAM entry). */
  readonly pool6: string;
  /** Jool `lowest-ipv6-mtu`: at least 1500 (RFC 7755 section 4.9). */
  readonly "lowest-ipv6-mtu": number;
  /** Jool `eam-hairpin-mode`. */
  readonly "eam-hairpin-mode": "off" | "simple" | "intrinsic";
}

/** The complete SIIT file the library writes. */
export interface SiitConfig {
  /** Free text Jool ignores: what wrote the file and for which translator. */
  readonly comment: string;
  /** Jool instance name (at most 15 characters). */
  readonly instance: string;
  /** Always `netfilter`. */
  readonly framework: "netfilter";
  /** Global settings. */
  readonly global: SiitGlobal;
  /** The EAM entries of the addresses on this translator's own interface only. */
  readonly eamt: EamEntry[];
  /** IPv4 prefixes pool6 must not translate: the VPC IPv4 block, against pool6 loops. */
  readonly denylist4: string[];
}

/** One pool4 entry of a NAT64 file: the addresses and ports the NAT64 masks sessions with. */
export interface Pool4Entry {
  /** Transport protocol. */
  readonly protocol: "TCP" | "UDP" | "ICMP";
  /** IPv4 prefix of the masking addresses (the node's own address as a /32). */
  readonly prefix: string;
  /**
   * Port range, e.g. `61001-65535`.
   * @default - every port (Jool's default)
   */
  readonly "port range"?: string;
}

/** The complete NAT64 file the library writes. */
export interface Nat64Config {
  /** Free text Jool ignores: what wrote the file and for which node. */
  readonly comment: string;
  /** Jool instance name (at most 15 characters). */
  readonly instance: string;
  /** Always `netfilter`. */
  readonly framework: "netfilter";
  /** Global settings. */
  readonly global: {
    /** Whether the instance translates; always true in the library's files. */
    readonly "manually-enabled": boolean;
    /** The NAT64 prefix: always `64:ff9b::/96`. */
    readonly pool6: string;
    /** Jool `lowest-ipv6-mtu`. */
    readonly "lowest-ipv6-mtu": number;
  };
  /** pool4 entries; empty means the node's own IPv4 addresses, ports 61001-65535. */
  readonly pool4: Pool4Entry[];
}

/** The file's text: stable key order, two-space indent, final newline. */
export function joolFileText(config: SiitConfig | Nat64Config): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
