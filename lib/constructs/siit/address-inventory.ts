import type { Eip } from "@cdktf/provider-aws/lib/eip";
import { Construct } from "constructs";
import { Annotations } from "../../cdktf";
import { PUBLIC_IPV4_USD_PER_MONTH, PublicAddressSlot } from "../../plan/siit/public-addresses";
import { TranslationPlan } from "../../plan/siit/translation-plan";
import { aws } from "../core/aws";

/**
 * The public IPv4 addresses a translator set or a team owns (docs/DESIGN.md invariants 12 and
 * 15): one EIP per address slot, under `Address-<id>/<translator>`, named by the address id and
 * never by the service, made whether or not a service uses it; a reserved one is a warning.
 */
export class PublicAddressInventory {
  private readonly eips = new Map<string, Eip>();

  constructor(
    private readonly owner: Construct,
    private readonly plan: TranslationPlan,
    private readonly tags: Record<string, string>,
  ) {
    // Declared addresses exist whether or not a service uses them.
    for (const slot of plan.publicAddresses ?? []) this.eipOf(slot, false);
    owner.node.addValidation({ validate: () => this.warnReserved() });
  }

  /** The EIP of an address slot, created once; a service's tags and `preventDestroy` apply to it. */
  eipOf(slot: PublicAddressSlot, preventDestroy: boolean, tags?: Record<string, string>): Eip {
    const key = `${slot.id}/${slot.translator.id}`;
    let eip = this.eips.get(key);
    if (!eip) {
      eip = new aws.Eip(this.addressScope(slot), "Eip", { domain: "vpc" });
      this.eips.set(key, eip);
    }
    eip.tags = tags ?? { ...this.tags, Name: `${this.owner.node.id.toLowerCase()}-address-${slot.id}-${slot.translator.id}`, Address: slot.id, Translator: slot.translator.id, Reserved: "true" };
    if (slot.preventDestroy || preventDestroy) eip.lifecycle = { preventDestroy: true };
    return eip;
  }

  /** The scope of an address slot's EIP and association. */
  addressScope(slot: PublicAddressSlot): Construct {
    const id = `Address-${slot.id}`;
    const address = (this.owner.node.tryFindChild(id) as Construct | undefined) ?? new Construct(this.owner, id);
    return (address.node.tryFindChild(slot.translator.id) as Construct | undefined) ?? new Construct(address, slot.translator.id);
  }

  private warnReserved(): string[] {
    const reserved = this.plan.reservedAddresses();
    if (reserved.length) {
      Annotations.of(this.owner).addWarning(
        `${reserved.length} public IPv4 address(es) are reserved but used by no service (${reserved.map((s) => `${s.id} on ${s.translator.id}`).join(", ")}): ` +
          `about $${(reserved.length * PUBLIC_IPV4_USD_PER_MONTH).toFixed(2)} a month. Publish a service with their number, or delete their publicAddresses entries to release them.`,
      );
    }
    return [];
  }
}
