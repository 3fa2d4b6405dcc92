import type { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { SESSION_MANAGER_STATEMENT } from "../../plan/policy/iam-actions";
import { list, shape } from "../../plan/props/check";
import { INSTANCE_ROLE_PROPS, POLICY_STATEMENT } from "../../plan/props/schemas";
import { checkProps, checkValue } from "../core/props";
import { aws } from "../core/aws";
import { attribute } from "../core/once";

/** One statement of an IAM policy. Values may be tokens. */
export interface PolicyStatement {
  /**
   * Statement id.
   * @default - none
   */
  readonly sid?: string;
  /** IAM actions allowed, e.g. `s3:GetObject`. */
  readonly actions: string[];
  /** Resource ARNs the actions apply to. */
  readonly resources: string[];
  /**
   * IAM condition block: operator to condition key to value(s), e.g. `{ StringEquals: { "cloudwatch:namespace": "SiitDc/Jool" } }`.
   * @default - no condition
   */
  readonly conditions?: Record<string, Record<string, string | string[]>>;
}

/** Props of {@link InstanceRole}. */
export interface InstanceRoleProps {
  /**
   * Grant what the SSM agent needs for Session Manager and nothing more (no Run Command, no
   * Parameter Store, no S3): see SESSION_MANAGER_STATEMENT.
   * @default true
   */
  readonly sessionManager?: boolean;
  /**
   * Tags for the role and its instance profile.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * An EC2 instance role and profile. By default it may serve Session Manager sessions (so no SSH
 * port is needed) with the scoped statement AWS documents as the minimum, rather than the managed
 * AmazonSSMManagedInstanceCore (which adds ssm:GetParameter* and more on `*`). `addStatements`
 * grants more; `addManagedPolicy` attaches a managed policy where you choose to.
 */
export class InstanceRole extends Construct {
  /** The IAM role (trusted by `ec2.amazonaws.com`). */
  readonly role: IamRole;
  /** The instance profile that launch templates name. */
  readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: InstanceRoleProps = {}) {
    super(scope, id);
    checkProps(this, "InstanceRoleProps", INSTANCE_ROLE_PROPS, props);
    this.role = new aws.IamRole(this, "Role", {
      namePrefix: "siit-dc-",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: props.tags,
    });
    if (props.sessionManager ?? true) this.addStatements("SessionManager", [SESSION_MANAGER_STATEMENT]);
    this.instanceProfile = new aws.IamInstanceProfile(this, "Profile", { namePrefix: "siit-dc-", role: this.role.name, tags: props.tags });
  }

  /** Adds an inline policy named `id` with `statements`. */
  addStatements(id: string, statements: PolicyStatement[]): IamRolePolicy {
    checkValue(this, `addStatements(${id})`, list(shape(POLICY_STATEMENT, { typeName: "PolicyStatement" }), { expected: "a list of policy statements", min: 1 }), statements);
    return new aws.IamRolePolicy(this, id, {
      role: attribute(this.role, "id"),
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: statements.map((s) => ({
          ...(s.sid ? { Sid: s.sid } : {}),
          Effect: "Allow",
          Action: s.actions,
          Resource: s.resources,
          ...(s.conditions ? { Condition: s.conditions } : {}),
        })),
      }),
    });
  }

  /**
   * Attaches a managed policy, e.g. `arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore` for
   * Run Command, Patch Manager and inventory, which Session Manager alone does not need.
   */
  addManagedPolicy(id: string, policyArn: string): IamRolePolicyAttachment {
    return new aws.IamRolePolicyAttachment(this, id, { role: this.role.name, policyArn });
  }
}
