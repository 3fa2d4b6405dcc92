// Planning core: pure, no cdktf.
export * from "./plan/errors";
export * from "./plan/address/ip";
export * from "./plan/address/symbolic";
export { VpcAddressPlan, VpcAddressPlanInput, ZonePlan, TierPlan, SubnetPlan } from "./plan/address/vpc-plan";
export * from "./plan/ports";

// Constructs.
export * from "./constructs/network/route-target";
export * from "./constructs/network/ipv6-only-vpc";
export * from "./constructs/compute/machine-image";
export * from "./constructs/compute/instance-role";
export * from "./constructs/fleet/ipv6-server-fleet";
