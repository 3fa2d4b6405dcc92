import { Construct } from "constructs";
import { EXAMPLE_STACKS } from "../../examples";
import { referenceTopology } from "../../examples/reference";
import { Ipv6OnlyVpc, Ipv6ServerFleet, Nat64Provider, VpcIpv6Cidr } from "../../lib";

/** Stacks the Terraform tier validates and plans, besides the bundled examples. */
export interface Scenario {
  readonly name: string;
  readonly region: string;
  readonly build: (scope: Construct) => void;
}

/** A BYOIP /56: every address is a literal, so the plan shows them. */
function literalFleet(scope: Construct): void {
  const vpc = new Ipv6OnlyVpc(scope, "Net", {
    availabilityZones: ["eu-north-1a", "eu-north-1b"],
    ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123456789abcdef0", "2001:db8:1200::/56"),
  });
  new Ipv6ServerFleet(scope, "Web", { vpc, servers: 4, instanceType: "t4g.small" });
}

export const SCENARIOS: readonly Scenario[] = [
  ...EXAMPLE_STACKS,
  { name: "literal-fleet", region: "eu-north-1", build: literalFleet },
  // The reference topology with AWS NAT gateways as its outbound NAT64.
  { name: "reference-natgw", region: "eu-north-1", build: (s) => referenceTopology(s, { nat64Provider: Nat64Provider.natGateway() }) },
];
