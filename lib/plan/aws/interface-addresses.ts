import { crc32 } from "zlib";

/**
 * How a persistent network interface holds its private IPv4 addresses, so that public addresses
 * survive changes at apply (docs/DESIGN.md invariants 12 and 15). Read from the AWS provider 5.x
 * source, internal/service/ec2/vpc_network_interface.go:
 * - `private_ip_list` (ordered, `private_ip_list_enabled = true`): an update unassigns every
 *   secondary address and re-assigns the new list one by one, so adding or removing one service
 *   disassociates every other service's EIP on that interface. Never used for updates.
 * - `private_ips` (a set): an update unassigns only the removed addresses and assigns only the
 *   added ones. But on create the provider marks the first element of the set *in the set's
 *   order* as primary (hashicorp/terraform-provider-aws#10674).
 *
 * So an interface uses the set, and where the set's order would make a service address primary
 * on create, the interface is created from the ordered list once and follows the set from the
 * next run on (a switch the provider makes without any EC2 call).
 */
export type InterfaceAddressMode =
  /** The set from the start: its order already puts the primary first. */
  | { readonly kind: "set" }
  /** Created from the ordered list; the set from the next Terraform run on. */
  | { readonly kind: "list-at-create"; readonly wouldBePrimary: string };

/** The element the provider's create call would mark primary, for a set of strings. */
export function setOrderFirst(values: readonly string[]): string {
  // A TypeSet without its own hash function hashes with helper/schema.HashSchema, which
  // serializes a string element as the string plus ";" (SerializeValueForHash) and takes its
  // CRC-32; Set.List() sorts the decimal hash codes as strings. Checked against the real provider
  // in test/terraform/apply-safety.test.ts.
  const keyed = [...new Set(values)].map((v) => ({ v, key: String(crc32(`${v};`)) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed[0].v;
}

/** How an interface with this primary and these secondary addresses holds them. */
export function interfaceAddressMode(primary: string, secondaries: readonly string[]): InterfaceAddressMode {
  const first = setOrderFirst([primary, ...secondaries]);
  return first === primary ? { kind: "set" } : { kind: "list-at-create", wouldBePrimary: first };
}
