import type * as IpAddress from "ip-address";

/**
 * IPv4 and IPv6 addresses and prefixes for the address plan.
 *
 * Parsing, canonical formatting and the RFC 6052 encoding come from the `ip-address` package;
 * this module adds what the plan needs on top: strict prefixes (no host bits set), containment,
 * overlap and Terraform-compatible carving (`cidrsubnet`, `cidrhost` semantics).
 */

let ipAddressModule: typeof IpAddress | undefined;
/**
 * `ip-address`, loaded when an address is first parsed or formatted rather than when the library
 * is imported (its nine modules are a tenth of what the library adds to an import).
 */
function ipAddress(): typeof IpAddress {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() on first use is what defers the load
  return (ipAddressModule ??= require("ip-address") as typeof IpAddress);
}

/** Raised for text that is not a valid address or prefix. Constructs turn it into a PlanError. */
export class AddressSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AddressSyntaxError";
  }
}

interface Family {
  readonly name: "IPv4" | "IPv6";
  readonly bits: number;
  parse(text: string): { value: bigint; length: number; hasLength: boolean };
  format(value: bigint): string;
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const V4: Family = {
  name: "IPv4",
  bits: 32,
  parse(text) {
    let a: IpAddress.Address4;
    try {
      a = new (ipAddress().Address4)(text);
    } catch (e) {
      throw new AddressSyntaxError(`not a valid IPv4 address or prefix (${reason(e)})`);
    }
    return { value: a.bigInt(), length: a.subnetMask, hasLength: text.includes("/") };
  },
  // Dotted decimal, as Address4.correctForm() writes it, without building an Address4.
  format: (value) => {
    const n = Number(value);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  },
};

const V6: Family = {
  name: "IPv6",
  bits: 128,
  parse(text) {
    if (text.includes("%")) throw new AddressSyntaxError("zone identifiers (%) have no meaning in an address plan");
    let a: IpAddress.Address6;
    try {
      a = new (ipAddress().Address6)(text);
    } catch (e) {
      throw new AddressSyntaxError(`not a valid IPv6 address or prefix (${reason(e)})`);
    }
    return { value: a.bigInt(), length: a.subnetMask, hasLength: text.includes("/") };
  },
  format: (value) => ipAddress().Address6.fromBigInt(value).correctForm(),
};

function parseAddress(family: Family, text: string): bigint {
  const parsed = family.parse(text);
  if (parsed.hasLength) throw new AddressSyntaxError(`expected a single ${family.name} address without a prefix length`);
  return parsed.value;
}

function parsePrefix(family: Family, text: string): { network: bigint; length: number } {
  if (!text.includes("/")) throw new AddressSyntaxError(`expected an ${family.name} prefix in CIDR form (address/length)`);
  const { value, length } = family.parse(text);
  const hostBits = BigInt(family.bits - length);
  const network = (value >> hostBits) << hostBits;
  if (network !== value) {
    throw new AddressSyntaxError(`host bits are set; the prefix is ${family.format(network)}/${length}`);
  }
  return { network, length };
}

function carve(family: Family, network: bigint, length: number, newLength: number, index: number): bigint {
  if (!Number.isInteger(newLength) || newLength < length || newLength > family.bits) {
    throw new RangeError(`cannot carve a /${newLength} from a /${length}`);
  }
  const count = 1n << BigInt(newLength - length);
  if (!Number.isSafeInteger(index) || index < 0 || BigInt(index) >= count) {
    throw new RangeError(`index ${index} is outside 0..${count - 1n} for /${newLength} prefixes of a /${length}`);
  }
  return network + (BigInt(index) << BigInt(family.bits - newLength));
}

function hostOf(family: Family, network: bigint, length: number, index: number): bigint {
  const size = 1n << BigInt(family.bits - length);
  if (!Number.isSafeInteger(index) || index < 0 || BigInt(index) >= size) {
    throw new RangeError(`host index ${index} is outside 0..${size - 1n} of a /${length}`);
  }
  return network + BigInt(index);
}

function within(network: bigint, length: number, bits: number, value: bigint): boolean {
  const shift = BigInt(bits - length);
  return value >> shift === network >> shift;
}

/** An IPv4 address (value object; on the `ip-address` package). */
export class Ipv4Address {
  /** Parses dotted-quad text; throws {@link AddressSyntaxError} otherwise. */
  static parse(text: string): Ipv4Address {
    return new Ipv4Address(parseAddress(V4, text));
  }

  private constructor(
    /** The address as a number. */
    public readonly value: bigint,
  ) {}

  /** The address with numeric value `value` (0 to 2^32 - 1). */
  static fromBigInt(value: bigint): Ipv4Address {
    return new Ipv4Address(value);
  }

  /** Whether both are the same address. */
  equals(other: Ipv4Address): boolean {
    return this.value === other.value;
  }

  /** The /32 prefix of this address. */
  toPrefix(): Ipv4Prefix {
    return ipv4Prefix(this.value, 32);
  }

  /** Dotted-quad text form. */
  toString(): string {
    return V4.format(this.value);
  }
}

/** An IPv6 address (value object; on the `ip-address` package). */
export class Ipv6Address {
  /** Parses any RFC 4291 text form; throws {@link AddressSyntaxError} otherwise. */
  static parse(text: string): Ipv6Address {
    return new Ipv6Address(parseAddress(V6, text));
  }

  /** The address with numeric value `value` (0 to 2^128 - 1). */
  static fromBigInt(value: bigint): Ipv6Address {
    return new Ipv6Address(value);
  }

  private constructor(
    /** The address as a number. */
    public readonly value: bigint,
  ) {}

  /** Whether both are the same address. */
  equals(other: Ipv6Address): boolean {
    return this.value === other.value;
  }

  /** The /128 prefix of this address. */
  toPrefix(): Ipv6Prefix {
    return ipv6Prefix(this.value, 128);
  }

  /** RFC 5952 text form. */
  toString(): string {
    return V6.format(this.value);
  }
}

// A prefix from a network value known to be aligned (an address's own /32 or /128), without
// formatting and parsing it again; set by the prefix classes, whose constructors are private.
let ipv4Prefix: (network: bigint, length: number) => Ipv4Prefix;
let ipv6Prefix: (network: bigint, length: number) => Ipv6Prefix;

/** An IPv4 prefix (network and length), host bits zero. */
export class Ipv4Prefix {
  /** Parses `a.b.c.d/n`; host bits must be zero. */
  static parse(text: string): Ipv4Prefix {
    const { network, length } = parsePrefix(V4, text);
    return new Ipv4Prefix(network, length);
  }

  private constructor(
    private readonly networkValue: bigint,
    /** Prefix length in bits. */
    public readonly length: number,
  ) {}

  static {
    ipv4Prefix = (network, length) => new Ipv4Prefix(network, length);
  }

  /** The network (first) address. */
  get network(): Ipv4Address {
    return Ipv4Address.fromBigInt(this.networkValue);
  }

  /** Number of addresses in the prefix. */
  get size(): bigint {
    return 1n << BigInt(32 - this.length);
  }

  /** Whether `other` (an address, or a whole prefix) lies inside this prefix. */
  contains(other: Ipv4Prefix | Ipv4Address): boolean {
    if (other instanceof Ipv4Address) return within(this.networkValue, this.length, 32, other.value);
    return other.length >= this.length && within(this.networkValue, this.length, 32, other.networkValue);
  }

  /** Whether the two prefixes share any address. */
  overlaps(other: Ipv4Prefix): boolean {
    return this.contains(other) || other.contains(this);
  }

  /** Whether both have the same network and length. */
  equals(other: Ipv4Prefix): boolean {
    return this.length === other.length && this.networkValue === other.networkValue;
  }

  /** Terraform `cidrsubnet(this, newLength - length, index)`. */
  subnet(newLength: number, index: number): Ipv4Prefix {
    return new Ipv4Prefix(carve(V4, this.networkValue, this.length, newLength, index), newLength);
  }

  /** Terraform `cidrhost(this, index)`. */
  host(index: number): Ipv4Address {
    return Ipv4Address.fromBigInt(hostOf(V4, this.networkValue, this.length, index));
  }

  /**
   * This prefix minus `holes`, as the fewest prefixes in address order: each half of a prefix
   * that a hole only partly covers is split again (the standard CIDR exclusion; at most 32
   * prefixes per hole). Holes outside this prefix are ignored.
   */
  without(holes: readonly (Ipv4Prefix | Ipv4Address)[]): Ipv4Prefix[] {
    const cut = holes.map((h) => (h instanceof Ipv4Address ? h.toPrefix() : h)).filter((h) => this.overlaps(h));
    if (cut.length === 0) return [this];
    if (cut.some((h) => h.contains(this))) return [];
    return [this.subnet(this.length + 1, 0), this.subnet(this.length + 1, 1)].flatMap((half) => half.without(cut));
  }

  /** `a.b.c.d/n`. */
  toString(): string {
    return `${V4.format(this.networkValue)}/${this.length}`;
  }
}

/** The prefix lengths RFC 6052 section 2.2 defines for IPv4-embedded IPv6 addresses. */
export const RFC6052_PREFIX_LENGTHS: readonly number[] = [32, 40, 48, 56, 64, 96];

/** An IPv6 prefix (network and length), host bits zero. */
export class Ipv6Prefix {
  /** Parses `x::/n`; host bits must be zero. */
  static parse(text: string): Ipv6Prefix {
    const { network, length } = parsePrefix(V6, text);
    return new Ipv6Prefix(network, length);
  }

  private constructor(
    private readonly networkValue: bigint,
    /** Prefix length in bits. */
    public readonly length: number,
  ) {}

  static {
    ipv6Prefix = (network, length) => new Ipv6Prefix(network, length);
  }

  /** The network (first) address. */
  get network(): Ipv6Address {
    return Ipv6Address.fromBigInt(this.networkValue);
  }

  /** Whether `other` (an address, or a whole prefix) lies inside this prefix. */
  contains(other: Ipv6Prefix | Ipv6Address): boolean {
    if (other instanceof Ipv6Address) return within(this.networkValue, this.length, 128, other.value);
    return other.length >= this.length && within(this.networkValue, this.length, 128, other.networkValue);
  }

  /** Whether the two prefixes share any address. */
  overlaps(other: Ipv6Prefix): boolean {
    return this.contains(other) || other.contains(this);
  }

  /** Whether both have the same network and length. */
  equals(other: Ipv6Prefix): boolean {
    return this.length === other.length && this.networkValue === other.networkValue;
  }

  /** Terraform `cidrsubnet(this, newLength - length, index)`. */
  subnet(newLength: number, index: number): Ipv6Prefix {
    return new Ipv6Prefix(carve(V6, this.networkValue, this.length, newLength, index), newLength);
  }

  /** Terraform `cidrhost(this, index)`. */
  host(index: number): Ipv6Address {
    return Ipv6Address.fromBigInt(hostOf(V6, this.networkValue, this.length, index));
  }

  /** RFC 6052 section 2.2: the IPv4-embedded IPv6 address of `ipv4` under this prefix. */
  embedIpv4(ipv4: Ipv4Address): Ipv6Address {
    this.assertRfc6052Length();
    // Renderers embed each mapped address several times (Jool file, filter, reports).
    let embedded = this.embedded.get(ipv4.value);
    if (!embedded) this.embedded.set(ipv4.value, (embedded = Ipv6Address.parse(ipAddress().Address6.fromAddress4Nat64(ipv4.toString(), this.toString()).correctForm())));
    return embedded;
  }
  private readonly embedded = new Map<bigint, Ipv6Address>();

  /** RFC 6052 section 2.2: the IPv4 address embedded in `ipv6`, which must lie in this prefix. */
  extractIpv4(ipv6: Ipv6Address): Ipv4Address {
    this.assertRfc6052Length();
    const v4 = new (ipAddress().Address6)(ipv6.toString()).toAddress4Nat64(this.toString());
    if (!v4) throw new RangeError(`${ipv6} is not inside ${this}`);
    return Ipv4Address.parse(v4.correctForm());
  }

  /** `x::/n` in RFC 5952 form. */
  toString(): string {
    // Once per prefix: embedIpv4 hands it to ip-address for every address it embeds.
    return (this.text ??= `${V6.format(this.networkValue)}/${this.length}`);
  }
  private text?: string;

  private assertRfc6052Length(): void {
    if (!RFC6052_PREFIX_LENGTHS.includes(this.length)) {
      throw new RangeError(`RFC 6052 defines IPv4 embedding only for /${RFC6052_PREFIX_LENGTHS.join(", /")}, not /${this.length}`);
    }
  }
}

/** Well-known prefixes the plan reasons about. */
// As numbers, so that importing the library parses nothing (test/plan/ip.test.ts checks each
// against its text form).
export const WELL_KNOWN = {
  /** RFC 6052 well-known prefix; the only prefix AWS DNS64 synthesizes. Reserved for the outbound NAT64. */
  nat64: ipv6Prefix(0x64ff9bn << 96n, 96),
  /** RFC 8215 local-use IPv4/IPv6 translation prefix; default home of the SIIT translation prefixes. */
  localUseTranslation: ipv6Prefix(0x64ff9b0001n << 80n, 48),
  /** RFC 3849 documentation prefix, substituted for unknown prefixes in reports and the lab. */
  documentation: ipv6Prefix(0x20010db8n << 96n, 32),
};
