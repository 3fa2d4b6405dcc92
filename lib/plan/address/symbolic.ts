import { Ipv6Address, Ipv6Prefix, WELL_KNOWN } from "./ip";

/**
 * Symbolic IPv6 prefixes and addresses.
 *
 * Amazon-provided (or IPAM-allocated) VPC prefixes are unknown until apply. The plan therefore
 * holds addresses as "root prefix reference + carving steps + host index" and renders them:
 * - as a Terraform expression (`cidrhost(cidrsubnet(<ref>, 8, 16), 16)`) for deployment;
 * - as a literal when the root is known (BYOIP) or when a report or the packet lab binds the
 *   reference to a documentation prefix.
 * Everything that validates relative structure (overlap, duplicates) resolves the plan against
 * such a binding: carving is order-preserving, so the answers hold for every real prefix.
 */

/** A prefix known only by name at synth time, e.g. the VPC's Amazon-provided /56. */
export interface PrefixReference {
  /** Stable name used in messages and bindings, e.g. `vpc-ipv6`. */
  readonly name: string;
  /** The prefix length, which is known even when the network is not. */
  readonly length: number;
}

/** Maps prefix references to literal prefixes (documentation prefixes for reports and the lab). */
export type PrefixBindings = ReadonlyMap<string, Ipv6Prefix>;

/**
 * Turns symbolic values into expressions. The constructs supply one that produces cdktf tokens;
 * `HCL_RENDERER` produces plain Terraform expression text for reports and messages.
 */
export interface ExpressionRenderer {
  /** The Terraform value that stands for `ref` (e.g. a resource attribute). */
  reference(ref: PrefixReference): string;
  /** Terraform `cidrsubnet(prefix, newBits, netNum)`. */
  cidrsubnet(prefix: string, newBits: number, netNum: number): string;
  /** Terraform `cidrhost(prefix, hostNum)`. */
  cidrhost(prefix: string, hostNum: number): string;
}

/** Renders references by name; useful in reports and error messages. */
export const HCL_RENDERER: ExpressionRenderer = {
  reference: (ref) => ref.name,
  cidrsubnet: (prefix, newBits, netNum) => `cidrsubnet(${prefix}, ${newBits}, ${netNum})`,
  cidrhost: (prefix, hostNum) => `cidrhost(${prefix}, ${hostNum})`,
};

type Origin =
  | { readonly kind: "literal"; readonly prefix: Ipv6Prefix }
  | { readonly kind: "reference"; readonly ref: PrefixReference }
  | { readonly kind: "subnet"; readonly parent: SymbolicIpv6Prefix; readonly index: number };

/**
 * An IPv6 prefix that may be known only at apply: a literal, a named reference (e.g. the VPC's
 * Amazon-provided /56), or a subnet of another symbolic prefix. Renders as a literal or a
 * Terraform expression; structure (lengths, indexes) is validated at synth either way.
 */
export class SymbolicIpv6Prefix {
  /** A prefix known at synth time. */
  static literal(prefix: Ipv6Prefix): SymbolicIpv6Prefix {
    return new SymbolicIpv6Prefix({ kind: "literal", prefix }, prefix.length);
  }

  /** A prefix known only by name until apply. */
  static reference(ref: PrefixReference): SymbolicIpv6Prefix {
    if (!Number.isInteger(ref.length) || ref.length < 0 || ref.length > 128) {
      throw new RangeError(`prefix reference ${ref.name} has invalid length ${ref.length}`);
    }
    return new SymbolicIpv6Prefix({ kind: "reference", ref }, ref.length);
  }

  /** The literal value, when the root prefix is known at synth time. */
  public readonly literal: Ipv6Prefix | undefined;

  private constructor(
    private readonly origin: Origin,
    /** Prefix length in bits (known even when the network is not). */
    public readonly length: number,
  ) {
    switch (origin.kind) {
      case "literal":
        this.literal = origin.prefix;
        break;
      case "reference":
        this.literal = undefined;
        break;
      case "subnet":
        this.literal = origin.parent.literal?.subnet(length, origin.index);
        break;
    }
  }

  /** Terraform `cidrsubnet` semantics; the index is range-checked even when the root is unknown. */
  subnet(newLength: number, index: number): SymbolicIpv6Prefix {
    // Range-check against a stand-in root of the same length: same arithmetic, known answer.
    standIn(this.length).subnet(newLength, index);
    return new SymbolicIpv6Prefix({ kind: "subnet", parent: this, index }, newLength);
  }

  /** Terraform `cidrhost` semantics. */
  host(index: number): SymbolicIpv6Address {
    standIn(this.length).host(index);
    return new SymbolicIpv6Address(this, index);
  }

  /** The references this prefix depends on (none for a literal). */
  references(): PrefixReference[] {
    switch (this.origin.kind) {
      case "literal":
        return [];
      case "reference":
        return [this.origin.ref];
      case "subnet":
        return this.origin.parent.references();
    }
  }

  /** The literal prefix under the given bindings. Throws when a reference is unbound. */
  resolve(bindings: PrefixBindings = new Map()): Ipv6Prefix {
    switch (this.origin.kind) {
      case "literal":
        return this.origin.prefix;
      case "reference": {
        const bound = bindings.get(this.origin.ref.name);
        if (!bound) throw new RangeError(`prefix reference ${this.origin.ref.name} is not bound`);
        if (bound.length !== this.length) {
          throw new RangeError(`prefix reference ${this.origin.ref.name} is a /${this.length}, bound to ${bound}`);
        }
        return bound;
      }
      case "subnet":
        return this.origin.parent.resolve(bindings).subnet(this.length, this.origin.index);
    }
  }

  /** A literal when known, otherwise a Terraform expression built by the renderer. */
  render(renderer: ExpressionRenderer): string {
    if (this.literal) return this.literal.toString();
    switch (this.origin.kind) {
      case "literal":
        return this.origin.prefix.toString();
      case "reference":
        return renderer.reference(this.origin.ref);
      case "subnet":
        return renderer.cidrsubnet(this.origin.parent.render(renderer), this.length - this.origin.parent.length, this.origin.index);
    }
  }

  /** Human-readable form: the literal, or the expression with references by name. */
  toString(): string {
    return this.render(HCL_RENDERER);
  }
}

/** An IPv6 address held as prefix + host index, so it can be planned before the prefix is known. */
export class SymbolicIpv6Address {
  /** The literal value, when the root prefix is known at synth time. */
  public readonly literal: Ipv6Address | undefined;

  constructor(
    /** The prefix the address lies in (e.g. a subnet's /64). */
    public readonly prefix: SymbolicIpv6Prefix,
    /** The host index inside `prefix` (Terraform `cidrhost(prefix, hostIndex)`). */
    public readonly hostIndex: number,
  ) {
    this.literal = prefix.literal?.host(hostIndex);
  }

  /** An address known at synth time (its own /128). */
  static literal(address: Ipv6Address): SymbolicIpv6Address {
    return new SymbolicIpv6Address(SymbolicIpv6Prefix.literal(address.toPrefix()), 0);
  }

  /** The literal address under the given bindings. Throws when a reference is unbound. */
  resolve(bindings: PrefixBindings = new Map()): Ipv6Address {
    return this.prefix.resolve(bindings).host(this.hostIndex);
  }

  /** The references this address depends on (none for a literal). */
  references(): PrefixReference[] {
    return this.prefix.references();
  }

  /** A literal when known, otherwise `cidrhost(...)`. */
  render(renderer: ExpressionRenderer): string {
    if (this.literal) return this.literal.toString();
    return renderer.cidrhost(this.prefix.render(renderer), this.hostIndex);
  }

  /** Human-readable form: the literal, or the expression with references by name. */
  toString(): string {
    return this.render(HCL_RENDERER);
  }
}

const standIns = new Map<number, Ipv6Prefix>();
function standIn(length: number): Ipv6Prefix {
  let p = standIns.get(length);
  if (!p) {
    p = Ipv6Prefix.parse(`::/${length}`);
    standIns.set(length, p);
  }
  return p;
}

const DOCUMENTATION = WELL_KNOWN.documentation;

/**
 * Binds every reference to a distinct documentation prefix (2001:db8::/32, RFC 3849) of the
 * right length, for reports, validation of relative structure, and the packet lab.
 */
export function documentationBindings(refs: readonly PrefixReference[]): Map<string, Ipv6Prefix> {
  const doc = DOCUMENTATION;
  const bindings = new Map<string, Ipv6Prefix>();
  const names = [...new Set(refs.map((r) => r.name))].sort();
  names.forEach((name, i) => {
    const ref = refs.find((r) => r.name === name)!;
    if (ref.length < 40) throw new RangeError(`cannot bind /${ref.length} reference ${name} inside 2001:db8::/32`);
    // Slot i+1 of the /40s in the documentation prefix; deeper lengths take the first subnet of it.
    bindings.set(name, doc.subnet(40, i + 1).subnet(ref.length, 0));
  });
  return bindings;
}

/** Whether two addresses are the same for every value of the references they use. */
export function sameAddress(a: SymbolicIpv6Address, b: SymbolicIpv6Address): boolean {
  if (a.literal && b.literal) return a.literal.equals(b.literal);
  const bindings = documentationBindings([...a.references(), ...b.references()]);
  return a.resolve(bindings).equals(b.resolve(bindings));
}
