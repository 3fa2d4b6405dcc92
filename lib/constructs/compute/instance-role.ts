import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { list, shape } from "../../plan/props/check";
import { POLICY_STATEMENT, TAGS_ONLY } from "../../plan/props/schemas";
import { checkProps, checkValue } from "../core/props";

/** One statement of an IAM policy. Values may be tokens. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: Record<string, Record<string, string | string[]>>;
}

/**
 * An EC2 instance role and profile with the Systems Manager managed-instance policy, so Session
 * Manager replaces SSH. `addStatements` grants more.
 */
export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: { readonly tags?: Record<string, string> } = {}) {
    super(scope, id);
    checkProps(this, "InstanceRoleProps", TAGS_ONLY, props);
    this.role = new IamRole(this, "Role", {
      namePrefix: "siit-dc-",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: props.tags,
    });
    new IamRolePolicyAttachment(this, "SsmManagedInstanceCore", {
      role: this.role.name,
      policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    this.instanceProfile = new IamInstanceProfile(this, "Profile", { namePrefix: "siit-dc-", role: this.role.name, tags: props.tags });
  }

  /** Adds an inline policy named `id` with `statements`. */
  addStatements(id: string, statements: PolicyStatement[]): IamRolePolicy {
    checkValue(this, `addStatements(${id})`, list(shape(POLICY_STATEMENT, { typeName: "PolicyStatement" }), { expected: "a list of policy statements", min: 1 }), statements);
    return new IamRolePolicy(this, id, {
      role: this.role.id,
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
}
