/**
 * IAM facts the library relies on, shared by the constructs (what they grant) and the policy pass
 * (what it accepts without a finding).
 */

/** An IAM statement the library grants (Allow). */
export interface GrantStatement {
  /** Statement id. */
  readonly sid: string;
  /** Actions allowed. */
  readonly actions: string[];
  /** Resources they apply to. */
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
};

/** Actions accepted on `*` only with one of these condition keys (key -> action). */
export const WILDCARD_RESOURCE_CONDITIONS: Readonly<Record<string, string>> = {
  "cloudwatch:PutMetricData": "cloudwatch:namespace",
};

/**
 * The managed policies EC2 Image Builder documents for its build instance's profile
 * (EC2InstanceProfileForImageBuilder for components and logs; AmazonSSMManagedInstanceCore because
 * Image Builder drives the build through Systems Manager Run Command). The policy pass accepts
 * them only on a role whose instance profile an Image Builder infrastructure configuration uses.
 */
export const IMAGE_BUILDER_INSTANCE_POLICIES: readonly (readonly [string, string])[] = [
  ["ImageBuilder", "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder"],
  ["Ssm", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
];

/** AWS managed policies broader than any one library role needs. */
export const BROAD_MANAGED_POLICIES: readonly string[] = [
  "arn:aws:iam::aws:policy/AdministratorAccess",
  "arn:aws:iam::aws:policy/PowerUserAccess",
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  "arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM",
  "arn:aws:iam::aws:policy/AmazonSSMFullAccess",
  "arn:aws:iam::aws:policy/AmazonS3FullAccess",
  "arn:aws:iam::aws:policy/AmazonEC2FullAccess",
  "arn:aws:iam::aws:policy/CloudWatchFullAccess",
];
