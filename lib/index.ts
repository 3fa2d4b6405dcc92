// Planning core: pure, no cdktf.
export * from "./plan/errors";
export * from "./plan/address/ip";
export * from "./plan/address/symbolic";
export { VpcAddressPlan, VpcAddressPlanInput, ZonePlan, TierPlan, SubnetPlan } from "./plan/address/vpc-plan";

// Constructs.
export * from "./constructs/network/route-target";
export * from "./constructs/network/ipv6-only-vpc";
