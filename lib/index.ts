// Planning core: pure, no cdktf.
export * from "./plan/errors";
export * from "./plan/address/ip";
export * from "./plan/address/symbolic";
export { VpcAddressPlan } from "./plan/address/vpc-plan";
export type { VpcAddressPlanInput, ZonePlan, TierPlan, SubnetPlan } from "./plan/address/vpc-plan";
export * from "./plan/ports";

// Constructs.
export * from "./constructs/network/route-target";
export * from "./constructs/network/ipv6-only-vpc";
export type { TokenRenderer } from "./constructs/core/render";
export * from "./constructs/compute/machine-image";
export * from "./constructs/compute/instance-role";
export * from "./constructs/fleet/ipv6-server-fleet";
export * from "./constructs/jool/config-store";
export * from "./constructs/jool/jool-node";
export type { JoolNodeMode } from "./plan/boot/jool-node-boot";
export * from "./constructs/siit/siit-dc-translators";
export { PublishedService } from "./constructs/siit/published-service";
export type { PublishedAddress, ServicePublishOptions, ServiceDnsOptions, HealthCheckOptions } from "./constructs/siit/published-service";
export { ImportedIpv6OnlyVpc } from "./constructs/network/imported-vpc";
export * from "./constructs/siit/siit-dc-team";
export { TeamPlatform } from "./constructs/siit/team-platform";
export type { TeamManifestOptions, ResolvedTeamPlatform } from "./constructs/siit/team-platform";
export * from "./constructs/siit/platform-manifest";
export { PLATFORM_MANIFEST_FORMAT, PLATFORM_MANIFEST_OUTPUT } from "./plan/siit/platform-manifest";
export type { PlatformManifestData, SharedVpc, SharedTranslatorSet, SharedTranslator, SharedTeam, SharedPrefixList, SharedBucket, TranslatorSetSettings } from "./plan/siit/platform-manifest";
export type { TeamInput, TeamPlan } from "./plan/siit/teams";
export type { ImportedIpv6OnlyVpcAttributes } from "./constructs/network/imported-vpc";
export { EamHairpinMode } from "./plan/jool/config";
export type { SiitConfig, SiitGlobal, Nat64Config, EamEntry, Pool4Entry } from "./plan/jool/config";
export { validateJoolFile } from "./plan/jool/validate";
export type { JoolFlavour } from "./plan/jool/validate";
export { TranslationPlan } from "./plan/siit/translation-plan";
export type { TranslationPlanInput, TranslatorPlan, ServiceInput, ServicePlan, ServiceAddressPlan, PublishInput, Publication, ServiceRules, ServerPortRule } from "./plan/siit/translation-plan";
export type { TeamRangeOnTranslator } from "./plan/jool/bundle";
export type { FragmentAddress } from "./plan/jool/fragments";
export type { PublicAddressInput, PublicAddressSlot } from "./plan/siit/public-addresses";
export type { HealthCheckInput, HealthCheckPlan } from "./plan/siit/health-check";
export type { SecurityGroupRuleCount } from "./plan/security-groups";
export * from "./constructs/nat64/outbound-nat64";
export { Nat64Plan } from "./plan/nat64/nat64-plan";
export type { Pool4Range, Nat64NodePlan, Nat64PlanInput } from "./plan/nat64/nat64-plan";
export * from "./constructs/images/jool-image";
export * from "./constructs/monitoring/siit-dc-dashboard";
export { JOOL_NAMESPACE, JOOL_METRICS } from "./plan/monitoring/metrics";
export * from "./constructs/network/flow-logs";
export * from "./constructs/monitoring/alarm-notifications";

// Reports of the `siit-dc` command (pure). The topology diagram is not exported here: its layout
// library is loaded only by the command.
export { addressReport, renderAddressReport, ADDRESS_REPORT_VERSION } from "./plan/report/address-report";
export type {
  AddressReport,
  AddressReportInput,
  VpcReportInput,
  TranslatorSetReportInput,
  Nat64ReportInput,
  ReportValue,
  DocumentationPrefix,
  VpcReport,
  SubnetReport,
  TranslatorSetReport,
  TranslatorReport,
  EamReport,
  ServiceReport,
  ServiceAddressReport,
  ReservedAddressReport,
  TeamReport,
  TeamPrefixesReport,
  Nat64Report,
  Nat64DeviceReport,
} from "./plan/report/address-report";
export { renderPathReport } from "./plan/report/path-report";
export { estimateCost, renderCostReport, CostError, DEFAULT_ROOT_GIB } from "./plan/cost/estimate";
export type { CostInput, CostRoles, CostLine, CostEstimate, CostReport } from "./plan/cost/estimate";
export { PRICES } from "./plan/cost/prices";
export type { PriceTable } from "./plan/cost/prices";

// The policy pass (pure: runs on any synthesized stack JSON).
export { checkStack, formatFinding, rulesTable, POLICY_RULES } from "./plan/policy/policy-pass";
export type { Finding, PolicyRule, TerraformJson } from "./plan/policy/policy-pass";
export type { StackView, ResourceView, Reference } from "./plan/policy/stack-view";
export { SESSION_MANAGER_STATEMENT } from "./plan/policy/iam-actions";
export type { GrantStatement } from "./plan/policy/iam-actions";
