import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { TerraformStack } from "../../cdktf";
import { fail } from "../../plan/errors";
import { IngressRuleSpec } from "../../plan/security-groups";
import { resolveToken } from "./render";
import { aws } from "./aws";

/**
 * Rules created so far, per stack: what EC2 compares (group, protocol, ports, source) -> construct
 * path. Per stack, because ids resolve to the stack's own names; a group of another stack is
 * referred to through its outputs, and only its owner's stack (or one team's) adds rules to it.
 */
const created = new WeakMap<object, Map<string, string>>();

/**
 * Creates the inbound rule `spec` (from the planning core) on group `securityGroupId`. Two rules
 * EC2 would see as the same permission are refused at synth, whoever adds them: EC2 rejects the
 * second with InvalidPermission.Duplicate at apply.
 */
export function addIngress(scope: Construct, securityGroupId: string, spec: IngressRuleSpec): VpcSecurityGroupIngressRule {
  const cidr = "cidr" in spec.source ? spec.source.cidr : undefined;
  const stack = TerraformStack.of(scope);
  const rules = created.get(stack) ?? new Map<string, string>();
  created.set(stack, rules);
  // Ids are tokens, a new one per access: compare what they stand for.
  const canonical = (value: string) => String(resolveToken(scope, value));
  const key = [canonical(securityGroupId), spec.protocol, spec.fromPort ?? "", spec.toPort ?? "", canonical("cidr" in spec.source ? spec.source.cidr : spec.source.prefixListId)].join("|");
  const earlier = rules.get(key);
  if (earlier) {
    fail(
      { path: scope.node.path, property: spec.id },
      spec.description,
      `is the same permission as ${earlier} (protocol ${spec.protocol}, ports ${spec.fromPort ?? "all"}-${spec.toPort ?? "all"}, same source, same group); EC2 would refuse it as InvalidPermission.Duplicate`,
      "keep one of the two rules",
    );
  }
  rules.set(key, `${scope.node.path}/${spec.id}`);
  return new aws.VpcSecurityGroupIngressRule(scope, spec.id, {
    securityGroupId,
    ipProtocol: spec.protocol,
    fromPort: spec.fromPort,
    toPort: spec.toPort,
    cidrIpv4: spec.family === "ipv4" ? cidr : undefined,
    cidrIpv6: spec.family === "ipv6" ? cidr : undefined,
    prefixListId: "prefixListId" in spec.source ? spec.source.prefixListId : undefined,
    description: spec.description,
  });
}
