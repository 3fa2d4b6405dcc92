import { Construct } from "constructs";
import { VpcAddressPlan } from "../../plan/address/vpc-plan";
import { fail } from "../../plan/errors";
import { TokenRenderer } from "../core/render";
import { propOf } from "../core/validate";
import { IIpv6OnlyVpc } from "./ipv6-only-vpc";

/** What an app needs to place fleets in an {@link Ipv6OnlyVpc} that another app owns. */
export interface ImportedIpv6OnlyVpcAttributes {
  /** The owning VPC's short name (Name tag prefix), e.g. `net`. */
  readonly name: string;
  /** The VPC id, e.g. `vpc-0123456789abcdef0`. */
  readonly vpcId: string;
  /** The VPC IPv4 block, as the owner gave it. */
  readonly ipv4Cidr: string;
  /** The VPC's IPv6 /56, as applied (literal: an imported VPC renders every address as a literal). */
  readonly ipv6Cidr: string;
  /** The VPC's zones, in the owner's order. */
  readonly availabilityZones: string[];
  /** The VPC's server tiers, in the owner's order (a tier's position is its subnet slot). */
  readonly serverTiers: string[];
  /** Subnet id of each server tier this app may use, keyed `tier/zone`, e.g. `{ "payments/eu-north-1a": "subnet-..." }`. */
  readonly serverSubnetIds: Record<string, string>;
}

/**
 * An IPv6-only VPC of another app (a platform's), rebuilt from its manifest: the same address plan
 * (so fleet addresses come out as the owner's plan gives them), literal ids, no data sources, so
 * offline plans work. It creates no resource.
 */
export class ImportedIpv6OnlyVpc extends Construct implements IIpv6OnlyVpc {
  /** The owner's short name. */
  readonly name: string;
  /** The owner's address plan, rebuilt. */
  readonly plan: VpcAddressPlan;
  /** Renders plan addresses (all literal here). */
  readonly renderer = new TokenRenderer(this);
  /** The VPC id. */
  readonly vpcId: string;
  private readonly subnetIds: Record<string, string>;

  constructor(scope: Construct, id: string, attributes: ImportedIpv6OnlyVpcAttributes) {
    super(scope, id);
    this.name = attributes.name;
    this.vpcId = attributes.vpcId;
    this.subnetIds = attributes.serverSubnetIds;
    this.plan = new VpcAddressPlan({
      path: this.node.path,
      availabilityZones: attributes.availabilityZones,
      ipv4Cidr: attributes.ipv4Cidr,
      ipv6Cidr: { literal: attributes.ipv6Cidr },
      serverTiers: attributes.serverTiers,
    });
  }

  /** Availability zone names, in the owner's order. */
  get availabilityZones(): string[] {
    return this.plan.zones.map((z) => z.name);
  }

  /** Id of the IPv6-only subnet of `tier` in `zone`; only the tiers the owner shared with this app. */
  serverSubnetId(zone: string, tier?: string): string {
    const subnet = this.plan.subnet(tier ?? this.plan.serverTierNames()[0], zone, propOf(this, "serverSubnetId"));
    const key = `${subnet.tier.name}/${subnet.zone.name}`;
    const id = this.subnetIds[key];
    if (id === undefined) {
      fail(propOf(this, "serverSubnetId"), key, "is a subnet the platform did not share with this app", `use a tier of ${[...new Set(Object.keys(this.subnetIds).map((k) => k.split("/")[0]))].join(", ") || "(none)"}, or ask the platform to give the team that tier`);
    }
    return id;
  }
}
