import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { IngressRuleSpec } from "../../plan/security-groups";

/** Creates the inbound rule `spec` (from the planning core) on group `securityGroupId`. */
export function addIngress(scope: Construct, securityGroupId: string, spec: IngressRuleSpec): VpcSecurityGroupIngressRule {
  const cidr = "cidr" in spec.source ? spec.source.cidr : undefined;
  return new VpcSecurityGroupIngressRule(scope, spec.id, {
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
