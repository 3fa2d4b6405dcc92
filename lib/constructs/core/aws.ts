/**
 * Provider classes, loaded when first used rather than when the library is imported. cdktf's
 * generated bindings are large (launch-template alone is 850 KB), and an app pays for those it
 * builds, not for every class the library could build. Types are imported as types where used.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a require() in a getter is what defers the load */
import type * as m_autoscaling_group from "@cdktf/provider-aws/lib/autoscaling-group";
import type * as m_provider from "@cdktf/provider-aws/lib/provider";
import type * as m_cloudwatch_dashboard from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type * as m_cloudwatch_log_group from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type * as m_cloudwatch_metric_alarm from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type * as m_data_aws_instance from "@cdktf/provider-aws/lib/data-aws-instance";
import type * as m_data_aws_instances from "@cdktf/provider-aws/lib/data-aws-instances";
import type * as m_ec2_managed_prefix_list from "@cdktf/provider-aws/lib/ec2-managed-prefix-list";
import type * as m_egress_only_internet_gateway from "@cdktf/provider-aws/lib/egress-only-internet-gateway";
import type * as m_eip from "@cdktf/provider-aws/lib/eip";
import type * as m_eip_association from "@cdktf/provider-aws/lib/eip-association";
import type * as m_flow_log from "@cdktf/provider-aws/lib/flow-log";
import type * as m_iam_instance_profile from "@cdktf/provider-aws/lib/iam-instance-profile";
import type * as m_iam_role from "@cdktf/provider-aws/lib/iam-role";
import type * as m_iam_policy from "@cdktf/provider-aws/lib/iam-policy";
import type * as m_iam_role_policy from "@cdktf/provider-aws/lib/iam-role-policy";
import type * as m_iam_role_policy_attachment from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type * as m_imagebuilder_component from "@cdktf/provider-aws/lib/imagebuilder-component";
import type * as m_imagebuilder_distribution_configuration from "@cdktf/provider-aws/lib/imagebuilder-distribution-configuration";
import type * as m_imagebuilder_image from "@cdktf/provider-aws/lib/imagebuilder-image";
import type * as m_imagebuilder_image_pipeline from "@cdktf/provider-aws/lib/imagebuilder-image-pipeline";
import type * as m_imagebuilder_image_recipe from "@cdktf/provider-aws/lib/imagebuilder-image-recipe";
import type * as m_imagebuilder_infrastructure_configuration from "@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration";
import type * as m_instance from "@cdktf/provider-aws/lib/instance";
import type * as m_internet_gateway from "@cdktf/provider-aws/lib/internet-gateway";
import type * as m_launch_template from "@cdktf/provider-aws/lib/launch-template";
import type * as m_nat_gateway from "@cdktf/provider-aws/lib/nat-gateway";
import type * as m_network_interface from "@cdktf/provider-aws/lib/network-interface";
import type * as m_route from "@cdktf/provider-aws/lib/route";
import type * as m_route53_health_check from "@cdktf/provider-aws/lib/route53-health-check";
import type * as m_route53_record from "@cdktf/provider-aws/lib/route53-record";
import type * as m_route_table from "@cdktf/provider-aws/lib/route-table";
import type * as m_route_table_association from "@cdktf/provider-aws/lib/route-table-association";
import type * as m_s3_bucket from "@cdktf/provider-aws/lib/s3-bucket";
import type * as m_s3_bucket_ownership_controls from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import type * as m_s3_bucket_policy from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type * as m_s3_bucket_public_access_block from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import type * as m_s3_bucket_server_side_encryption_configuration from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import type * as m_s3_bucket_versioning from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type * as m_s3_object from "@cdktf/provider-aws/lib/s3-object";
import type * as m_security_group from "@cdktf/provider-aws/lib/security-group";
import type * as m_sns_topic from "@cdktf/provider-aws/lib/sns-topic";
import type * as m_subnet from "@cdktf/provider-aws/lib/subnet";
import type * as m_vpc from "@cdktf/provider-aws/lib/vpc";
import type * as m_vpc_security_group_egress_rule from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import type * as m_vpc_security_group_ingress_rule from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";

const classes = new Map<string, unknown>();
/** The class `name`, from `load()` the first time (a require() per use costs a module lookup). */
function loaded<T>(name: string, load: () => T): T {
  let found = classes.get(name) as T | undefined;
  if (found === undefined) classes.set(name, (found = load()));
  return found;
}

/** The provider classes the library builds, each module loaded on first use. */
export const aws = {
  get AutoscalingGroup(): typeof m_autoscaling_group.AutoscalingGroup {
    return loaded("AutoscalingGroup", () => (require("@cdktf/provider-aws/lib/autoscaling-group") as typeof m_autoscaling_group).AutoscalingGroup);
  },
  get AwsProvider(): typeof m_provider.AwsProvider {
    return loaded("AwsProvider", () => (require("@cdktf/provider-aws/lib/provider") as typeof m_provider).AwsProvider);
  },
  get CloudwatchDashboard(): typeof m_cloudwatch_dashboard.CloudwatchDashboard {
    return loaded("CloudwatchDashboard", () => (require("@cdktf/provider-aws/lib/cloudwatch-dashboard") as typeof m_cloudwatch_dashboard).CloudwatchDashboard);
  },
  get CloudwatchLogGroup(): typeof m_cloudwatch_log_group.CloudwatchLogGroup {
    return loaded("CloudwatchLogGroup", () => (require("@cdktf/provider-aws/lib/cloudwatch-log-group") as typeof m_cloudwatch_log_group).CloudwatchLogGroup);
  },
  get CloudwatchMetricAlarm(): typeof m_cloudwatch_metric_alarm.CloudwatchMetricAlarm {
    return loaded("CloudwatchMetricAlarm", () => (require("@cdktf/provider-aws/lib/cloudwatch-metric-alarm") as typeof m_cloudwatch_metric_alarm).CloudwatchMetricAlarm);
  },
  get DataAwsInstance(): typeof m_data_aws_instance.DataAwsInstance {
    return loaded("DataAwsInstance", () => (require("@cdktf/provider-aws/lib/data-aws-instance") as typeof m_data_aws_instance).DataAwsInstance);
  },
  get DataAwsInstances(): typeof m_data_aws_instances.DataAwsInstances {
    return loaded("DataAwsInstances", () => (require("@cdktf/provider-aws/lib/data-aws-instances") as typeof m_data_aws_instances).DataAwsInstances);
  },
  get Ec2ManagedPrefixList(): typeof m_ec2_managed_prefix_list.Ec2ManagedPrefixList {
    return loaded("Ec2ManagedPrefixList", () => (require("@cdktf/provider-aws/lib/ec2-managed-prefix-list") as typeof m_ec2_managed_prefix_list).Ec2ManagedPrefixList);
  },
  get EgressOnlyInternetGateway(): typeof m_egress_only_internet_gateway.EgressOnlyInternetGateway {
    return loaded("EgressOnlyInternetGateway", () => (require("@cdktf/provider-aws/lib/egress-only-internet-gateway") as typeof m_egress_only_internet_gateway).EgressOnlyInternetGateway);
  },
  get Eip(): typeof m_eip.Eip {
    return loaded("Eip", () => (require("@cdktf/provider-aws/lib/eip") as typeof m_eip).Eip);
  },
  get EipAssociation(): typeof m_eip_association.EipAssociation {
    return loaded("EipAssociation", () => (require("@cdktf/provider-aws/lib/eip-association") as typeof m_eip_association).EipAssociation);
  },
  get FlowLog(): typeof m_flow_log.FlowLog {
    return loaded("FlowLog", () => (require("@cdktf/provider-aws/lib/flow-log") as typeof m_flow_log).FlowLog);
  },
  get IamInstanceProfile(): typeof m_iam_instance_profile.IamInstanceProfile {
    return loaded("IamInstanceProfile", () => (require("@cdktf/provider-aws/lib/iam-instance-profile") as typeof m_iam_instance_profile).IamInstanceProfile);
  },
  get IamRole(): typeof m_iam_role.IamRole {
    return loaded("IamRole", () => (require("@cdktf/provider-aws/lib/iam-role") as typeof m_iam_role).IamRole);
  },
  get IamPolicy(): typeof m_iam_policy.IamPolicy {
    return loaded("IamPolicy", () => (require("@cdktf/provider-aws/lib/iam-policy") as typeof m_iam_policy).IamPolicy);
  },
  get IamRolePolicy(): typeof m_iam_role_policy.IamRolePolicy {
    return loaded("IamRolePolicy", () => (require("@cdktf/provider-aws/lib/iam-role-policy") as typeof m_iam_role_policy).IamRolePolicy);
  },
  get IamRolePolicyAttachment(): typeof m_iam_role_policy_attachment.IamRolePolicyAttachment {
    return loaded("IamRolePolicyAttachment", () => (require("@cdktf/provider-aws/lib/iam-role-policy-attachment") as typeof m_iam_role_policy_attachment).IamRolePolicyAttachment);
  },
  get ImagebuilderComponent(): typeof m_imagebuilder_component.ImagebuilderComponent {
    return loaded("ImagebuilderComponent", () => (require("@cdktf/provider-aws/lib/imagebuilder-component") as typeof m_imagebuilder_component).ImagebuilderComponent);
  },
  get ImagebuilderDistributionConfiguration(): typeof m_imagebuilder_distribution_configuration.ImagebuilderDistributionConfiguration {
    return loaded("ImagebuilderDistributionConfiguration", () => (require("@cdktf/provider-aws/lib/imagebuilder-distribution-configuration") as typeof m_imagebuilder_distribution_configuration).ImagebuilderDistributionConfiguration);
  },
  get ImagebuilderImage(): typeof m_imagebuilder_image.ImagebuilderImage {
    return loaded("ImagebuilderImage", () => (require("@cdktf/provider-aws/lib/imagebuilder-image") as typeof m_imagebuilder_image).ImagebuilderImage);
  },
  get ImagebuilderImagePipeline(): typeof m_imagebuilder_image_pipeline.ImagebuilderImagePipeline {
    return loaded("ImagebuilderImagePipeline", () => (require("@cdktf/provider-aws/lib/imagebuilder-image-pipeline") as typeof m_imagebuilder_image_pipeline).ImagebuilderImagePipeline);
  },
  get ImagebuilderImageRecipe(): typeof m_imagebuilder_image_recipe.ImagebuilderImageRecipe {
    return loaded("ImagebuilderImageRecipe", () => (require("@cdktf/provider-aws/lib/imagebuilder-image-recipe") as typeof m_imagebuilder_image_recipe).ImagebuilderImageRecipe);
  },
  get ImagebuilderInfrastructureConfiguration(): typeof m_imagebuilder_infrastructure_configuration.ImagebuilderInfrastructureConfiguration {
    return loaded("ImagebuilderInfrastructureConfiguration", () => (require("@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration") as typeof m_imagebuilder_infrastructure_configuration).ImagebuilderInfrastructureConfiguration);
  },
  get Instance(): typeof m_instance.Instance {
    return loaded("Instance", () => (require("@cdktf/provider-aws/lib/instance") as typeof m_instance).Instance);
  },
  get InternetGateway(): typeof m_internet_gateway.InternetGateway {
    return loaded("InternetGateway", () => (require("@cdktf/provider-aws/lib/internet-gateway") as typeof m_internet_gateway).InternetGateway);
  },
  get LaunchTemplate(): typeof m_launch_template.LaunchTemplate {
    return loaded("LaunchTemplate", () => (require("@cdktf/provider-aws/lib/launch-template") as typeof m_launch_template).LaunchTemplate);
  },
  get NatGateway(): typeof m_nat_gateway.NatGateway {
    return loaded("NatGateway", () => (require("@cdktf/provider-aws/lib/nat-gateway") as typeof m_nat_gateway).NatGateway);
  },
  get NetworkInterface(): typeof m_network_interface.NetworkInterface {
    return loaded("NetworkInterface", () => (require("@cdktf/provider-aws/lib/network-interface") as typeof m_network_interface).NetworkInterface);
  },
  get Route(): typeof m_route.Route {
    return loaded("Route", () => (require("@cdktf/provider-aws/lib/route") as typeof m_route).Route);
  },
  get Route53HealthCheck(): typeof m_route53_health_check.Route53HealthCheck {
    return loaded("Route53HealthCheck", () => (require("@cdktf/provider-aws/lib/route53-health-check") as typeof m_route53_health_check).Route53HealthCheck);
  },
  get Route53Record(): typeof m_route53_record.Route53Record {
    return loaded("Route53Record", () => (require("@cdktf/provider-aws/lib/route53-record") as typeof m_route53_record).Route53Record);
  },
  get RouteTable(): typeof m_route_table.RouteTable {
    return loaded("RouteTable", () => (require("@cdktf/provider-aws/lib/route-table") as typeof m_route_table).RouteTable);
  },
  get RouteTableAssociation(): typeof m_route_table_association.RouteTableAssociation {
    return loaded("RouteTableAssociation", () => (require("@cdktf/provider-aws/lib/route-table-association") as typeof m_route_table_association).RouteTableAssociation);
  },
  get S3Bucket(): typeof m_s3_bucket.S3Bucket {
    return loaded("S3Bucket", () => (require("@cdktf/provider-aws/lib/s3-bucket") as typeof m_s3_bucket).S3Bucket);
  },
  get S3BucketOwnershipControls(): typeof m_s3_bucket_ownership_controls.S3BucketOwnershipControls {
    return loaded("S3BucketOwnershipControls", () => (require("@cdktf/provider-aws/lib/s3-bucket-ownership-controls") as typeof m_s3_bucket_ownership_controls).S3BucketOwnershipControls);
  },
  get S3BucketPolicy(): typeof m_s3_bucket_policy.S3BucketPolicy {
    return loaded("S3BucketPolicy", () => (require("@cdktf/provider-aws/lib/s3-bucket-policy") as typeof m_s3_bucket_policy).S3BucketPolicy);
  },
  get S3BucketPublicAccessBlock(): typeof m_s3_bucket_public_access_block.S3BucketPublicAccessBlock {
    return loaded("S3BucketPublicAccessBlock", () => (require("@cdktf/provider-aws/lib/s3-bucket-public-access-block") as typeof m_s3_bucket_public_access_block).S3BucketPublicAccessBlock);
  },
  get S3BucketServerSideEncryptionConfiguration(): typeof m_s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA {
    return loaded("S3BucketServerSideEncryptionConfigurationA", () => (require("@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration") as typeof m_s3_bucket_server_side_encryption_configuration).S3BucketServerSideEncryptionConfigurationA);
  },
  get S3BucketVersioning(): typeof m_s3_bucket_versioning.S3BucketVersioningA {
    return loaded("S3BucketVersioningA", () => (require("@cdktf/provider-aws/lib/s3-bucket-versioning") as typeof m_s3_bucket_versioning).S3BucketVersioningA);
  },
  get S3Object(): typeof m_s3_object.S3Object {
    return loaded("S3Object", () => (require("@cdktf/provider-aws/lib/s3-object") as typeof m_s3_object).S3Object);
  },
  get SecurityGroup(): typeof m_security_group.SecurityGroup {
    return loaded("SecurityGroup", () => (require("@cdktf/provider-aws/lib/security-group") as typeof m_security_group).SecurityGroup);
  },
  get SnsTopic(): typeof m_sns_topic.SnsTopic {
    return loaded("SnsTopic", () => (require("@cdktf/provider-aws/lib/sns-topic") as typeof m_sns_topic).SnsTopic);
  },
  get Subnet(): typeof m_subnet.Subnet {
    return loaded("Subnet", () => (require("@cdktf/provider-aws/lib/subnet") as typeof m_subnet).Subnet);
  },
  get Vpc(): typeof m_vpc.Vpc {
    return loaded("Vpc", () => (require("@cdktf/provider-aws/lib/vpc") as typeof m_vpc).Vpc);
  },
  get VpcSecurityGroupEgressRule(): typeof m_vpc_security_group_egress_rule.VpcSecurityGroupEgressRule {
    return loaded("VpcSecurityGroupEgressRule", () => (require("@cdktf/provider-aws/lib/vpc-security-group-egress-rule") as typeof m_vpc_security_group_egress_rule).VpcSecurityGroupEgressRule);
  },
  get VpcSecurityGroupIngressRule(): typeof m_vpc_security_group_ingress_rule.VpcSecurityGroupIngressRule {
    return loaded("VpcSecurityGroupIngressRule", () => (require("@cdktf/provider-aws/lib/vpc-security-group-ingress-rule") as typeof m_vpc_security_group_ingress_rule).VpcSecurityGroupIngressRule);
  },
};
