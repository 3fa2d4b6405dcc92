/**
 * IAM facts the library relies on, shared by the constructs (what they grant) and the policy pass
 * (what it accepts without a finding).
 */

/** An IAM statement the library grants (Allow). */
export interface GrantStatement {
  readonly sid: string;
  readonly actions: string[];
  readonly resources: string[];
}

/**
 * What the SSM agent needs to serve Session Manager sessions, and nothing else: the policy AWS
 * documents as "minimal Session Manager permissions" (Systems Manager user guide, "Create a custom
 * IAM role for Session Manager",
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html),
 * without the optional S3/KMS session-logging statements. It replaces AmazonSSMManagedInstanceCore,
 * which also grants ssm:GetParameter(s) on `*`, Run Command (ec2messages:*), inventory, patching.
 */
export const SESSION_MANAGER_STATEMENT: GrantStatement = {
  sid: "SessionManagerOnly",
  actions: ["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
  resources: ["*"],
};

/**
 * Actions the policy pass accepts on `Resource: "*"`, each with why. The Service Authorization
 * Reference lists no resource type for the first ones, so `*` is the only value IAM accepts; the
 * others are granted on `*` by AWS's own minimal policies. Everything else must name its resources.
 */
export const WILDCARD_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  "ssmmessages:CreateControlChannel": "Session Manager; ssmmessages actions have no resource types (Service Authorization Reference, Amazon Message Gateway Service)",
  "ssmmessages:CreateDataChannel": "Session Manager; ssmmessages actions have no resource types",
  "ssmmessages:OpenControlChannel": "Session Manager; ssmmessages actions have no resource types",
  "ssmmessages:OpenDataChannel": "Session Manager; ssmmessages actions have no resource types",
  "ssm:UpdateInstanceInformation": "Session Manager agent heartbeat; granted on * by AWS's minimal Session Manager policy",
  "cloudwatch:PutMetricData": "CloudWatch has no resource types for PutMetricData; accepted only with a cloudwatch:namespace condition",
  "logs:DescribeLogGroups": "VPC flow log delivery; listing has no resource scope (VPC user guide, flow logs IAM role)",
  "logs:DescribeLogStreams": "VPC flow log delivery (VPC user guide, flow logs IAM role)",
};

/** Actions accepted on `*` only with one of these condition keys (key -> action). */
export const WILDCARD_RESOURCE_CONDITIONS: Readonly<Record<string, string>> = {
  "cloudwatch:PutMetricData": "cloudwatch:namespace",
};
