import { checkStack, POLICY_RULES, rulesTable } from "../../lib/plan/policy/policy-pass";
import { TerraformJson } from "../../lib/plan/policy/stack-view";

/**
 * Every rule of the policy pass with a failing and a passing fixture: small hand-written
 * Terraform JSON stacks, each the minimum that shows the rule's point (and its documented
 * exceptions, which must pass, not be filtered).
 */

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function stack(resource: Resources, data?: Resources): TerraformJson {
  return { resource, ...(data ? { data } : {}) };
}

/** Findings of one rule on a fixture. */
function findings(rule: string, json: TerraformJson) {
  const rules = POLICY_RULES.filter((r) => r.id === rule);
  expect(rules).toHaveLength(1);
  return checkStack(json, rules);
}

const ref = (type: string, name: string, attr = "id") => `\${${type}.${name}.${attr}}`;
const policy = (statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const fixtures: Record<string, { fail: TerraformJson; pass: TerraformJson; failing: string[] }> = {
  "AWS-EC2-IMDSV2": {
    fail: stack({
      aws_launch_template: { lt: { metadata_options: { http_tokens: "optional" } } },
      aws_instance: { bare: { ami: "ami-1" } },
      aws_imagebuilder_infrastructure_configuration: { build: { instance_profile_name: "p" } },
    }),
    pass: stack({
      aws_launch_template: { lt: { metadata_options: { http_tokens: "required" } } },
      // inherits from its template
      aws_instance: { fromTemplate: { launch_template: { id: ref("aws_launch_template", "lt") } }, own: { metadata_options: [{ http_tokens: "required" }] } },
      aws_imagebuilder_infrastructure_configuration: { build: { instance_metadata_options: { http_tokens: "required" } } },
    }),
    failing: ["aws_imagebuilder_infrastructure_configuration.build", "aws_instance.bare", "aws_launch_template.lt"],
  },
  "AWS-EBS-ENCRYPTION": {
    fail: stack({
      aws_launch_template: { lt: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "false" } }] }, none: {} },
      aws_ebs_volume: { v: { size: 8 } },
      aws_imagebuilder_image_recipe: { r: { block_device_mapping: [{ device_name: "/dev/sda1", ebs: { encrypted: "false" } }] } },
    }),
    pass: stack({
      aws_launch_template: { lt: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true" } }] } },
      aws_instance: { i: { launch_template: { id: ref("aws_launch_template", "lt") } }, j: { root_block_device: { encrypted: true } } },
      aws_ebs_volume: { v: { size: 8, encrypted: true } },
    }),
    failing: ["aws_ebs_volume.v", "aws_imagebuilder_image_recipe.r", "aws_launch_template.lt", "aws_launch_template.none"],
  },
  "AWS-SG-WORLD-MANAGEMENT": {
    fail: stack({
      aws_security_group: { g: { description: "x", ingress: [{ protocol: "tcp", from_port: 3389, to_port: 3389, cidr_blocks: ["0.0.0.0/0"], description: "rdp" }] } },
      aws_vpc_security_group_ingress_rule: { ssh: { security_group_id: ref("aws_security_group", "g"), ip_protocol: "tcp", from_port: 20, to_port: 25, cidr_ipv6: "::/0", description: "range" } },
      aws_security_group_rule: { all: { type: "ingress", security_group_id: "sg-1", protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["10.0.0.0/8", "0.0.0.0/0"], description: "all" } },
    }),
    pass: stack({
      aws_vpc_security_group_ingress_rule: {
        web: { security_group_id: "sg-1", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0", description: "https" },
        admin: { security_group_id: "sg-1", ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "192.0.2.0/24", description: "ssh from the office" },
        ping: { security_group_id: "sg-1", ip_protocol: "icmp", from_port: 8, to_port: -1, cidr_ipv4: "0.0.0.0/0", description: "echo" },
      },
    }),
    failing: ["aws_security_group.g", "aws_security_group_rule.all", "aws_vpc_security_group_ingress_rule.ssh"],
  },
  "AWS-SG-RULE-DESCRIPTION": {
    fail: stack({
      aws_security_group: { g: { description: "Managed by Terraform" } },
      aws_vpc_security_group_egress_rule: { e: { security_group_id: "sg-1", ip_protocol: "-1", cidr_ipv6: "::/0" } },
    }),
    pass: stack({
      aws_security_group: { g: { description: "web servers", ingress: [{ protocol: "tcp", from_port: 80, to_port: 80, cidr_blocks: ["0.0.0.0/0"], description: "http" }] } },
      aws_vpc_security_group_egress_rule: { e: { security_group_id: "sg-1", ip_protocol: "-1", cidr_ipv6: "::/0", description: "all IPv6 out" } },
    }),
    failing: ["aws_security_group.g", "aws_vpc_security_group_egress_rule.e"],
  },
  "AWS-IAM-WILDCARD-ACTION": {
    fail: stack(
      {
        aws_iam_role_policy: { p: { policy: policy([{ Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::b/*"] }]) } },
        aws_iam_policy: { q: { policy: policy([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]) } },
        aws_iam_role: { r: { inline_policy: [{ policy: ref("data.aws_iam_policy_document", "d", "json") }] } },
      },
      { aws_iam_policy_document: { d: { statement: [{ actions: ["*"], resources: ["*"] }] } } },
    ),
    pass: stack({
      aws_iam_role_policy: {
        p: { policy: policy([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/k"] }]) },
        deny: { policy: policy([{ Effect: "Deny", Action: "s3:*", Resource: "*" }]) },
      },
    }),
    failing: ["aws_iam_policy.q", "aws_iam_role.r", "aws_iam_role_policy.p"],
  },
  "AWS-IAM-WILDCARD-RESOURCE": {
    fail: stack({
      aws_iam_role_policy: {
        getParameter: { policy: policy([{ Effect: "Allow", Action: ["ssm:GetParameter"], Resource: "*" }]) },
        // PutMetricData on * is accepted only with the namespace condition.
        metricsUnconditioned: { policy: policy([{ Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"] }]) },
      },
    }),
    pass: stack({
      aws_iam_role_policy: {
        sessionManager: {
          policy: policy([
            { Effect: "Allow", Action: ["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: ["*"] },
          ]),
        },
        metrics: { policy: policy([{ Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"], Condition: { StringEquals: { "cloudwatch:namespace": "SiitDc/Jool" } } }]) },
        scoped: { policy: policy([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${ref("aws_s3_bucket", "b", "arn")}/key`] }]) },
      },
    }),
    failing: ["aws_iam_role_policy.getParameter", "aws_iam_role_policy.metricsUnconditioned"],
  },
  "AWS-IAM-BROAD-MANAGED-POLICY": {
    fail: stack({
      aws_iam_role: { node: { assume_role_policy: "{}" }, admin: { managed_policy_arns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } },
      aws_iam_role_policy_attachment: { ssm: { role: ref("aws_iam_role", "node", "name"), policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" } },
    }),
    pass: stack({
      // The Image Builder build role: its profile is the infrastructure configuration's.
      aws_iam_role: { build: { assume_role_policy: "{}" } },
      aws_iam_instance_profile: { buildProfile: { role: ref("aws_iam_role", "build", "name") } },
      aws_imagebuilder_infrastructure_configuration: { infra: { instance_profile_name: ref("aws_iam_instance_profile", "buildProfile", "name") } },
      aws_iam_role_policy_attachment: {
        ssm: { role: ref("aws_iam_role", "build", "name"), policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
        ib: { role: ref("aws_iam_role", "build", "name"), policy_arn: "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder" },
      },
    }),
    failing: ["aws_iam_role.admin", "aws_iam_role_policy_attachment.ssm"],
  },
  "AWS-S3-PUBLIC-ACCESS-BLOCK": {
    fail: stack({
      aws_s3_bucket: { open: {}, partial: {} },
      aws_s3_bucket_public_access_block: { pab: { bucket: ref("aws_s3_bucket", "partial"), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: false } },
    }),
    pass: stack({
      aws_s3_bucket: { b: {}, named: { bucket: "my-bucket" } },
      aws_s3_bucket_public_access_block: {
        pab: { bucket: ref("aws_s3_bucket", "b"), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
        byName: { bucket: "my-bucket", block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
      },
    }),
    failing: ["aws_s3_bucket.open", "aws_s3_bucket.partial"],
  },
  "AWS-S3-ENCRYPTION": {
    fail: stack({ aws_s3_bucket: { b: {} } }),
    pass: stack({
      aws_s3_bucket: { b: {}, inline: { server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } } } } },
      aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: ref("aws_s3_bucket", "b"), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] } },
    }),
    failing: ["aws_s3_bucket.b"],
  },
  "AWS-S3-VERSIONING": {
    fail: stack({
      aws_s3_bucket: { b: {}, suspended: {} },
      aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket", "suspended"), versioning_configuration: { status: "Suspended" } } },
    }),
    pass: stack({
      aws_s3_bucket: { b: {} },
      aws_s3_bucket_versioning: { v: { bucket: ref("aws_s3_bucket", "b"), versioning_configuration: { status: "Enabled" } } },
    }),
    failing: ["aws_s3_bucket.b", "aws_s3_bucket.suspended"],
  },
  "AWS-S3-TLS-ONLY": {
    fail: stack({
      aws_s3_bucket: { b: {}, allowOnly: {} },
      aws_s3_bucket_policy: { p: { bucket: ref("aws_s3_bucket", "allowOnly"), policy: policy([{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }]) } },
    }),
    pass: stack({
      aws_s3_bucket: { b: {} },
      aws_s3_bucket_policy: {
        p: { bucket: ref("aws_s3_bucket", "b"), policy: policy([{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }]) },
      },
    }),
    failing: ["aws_s3_bucket.allowOnly", "aws_s3_bucket.b"],
  },
  "AWS-VPC-FLOW-LOGS": {
    fail: stack({
      aws_vpc: { bare: {}, partial: {} },
      aws_internet_gateway: { igw: { vpc_id: ref("aws_vpc", "partial") } },
      aws_subnet: { edge: { vpc_id: ref("aws_vpc", "partial") }, servers: { vpc_id: ref("aws_vpc", "partial") } },
      aws_route_table: { edge: { vpc_id: ref("aws_vpc", "partial") }, servers: { vpc_id: ref("aws_vpc", "partial"), route: [{ ipv6_cidr_block: "::/0", gateway_id: ref("aws_internet_gateway", "igw") }] } },
      aws_route_table_association: { edge: { subnet_id: ref("aws_subnet", "edge"), route_table_id: ref("aws_route_table", "edge") }, servers: { subnet_id: ref("aws_subnet", "servers"), route_table_id: ref("aws_route_table", "servers") } },
      aws_route: { edge: { route_table_id: ref("aws_route_table", "edge"), destination_cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway", "igw") } },
      // only the edge subnet is logged; the server subnet also takes IPv6 clients
      aws_flow_log: { edge: { subnet_id: ref("aws_subnet", "edge") } },
    }),
    pass: stack({
      aws_vpc: { whole: {}, edge: {} },
      aws_flow_log: { whole: { vpc_id: ref("aws_vpc", "whole") }, edge: { subnet_id: ref("aws_subnet", "edge") } },
      aws_internet_gateway: { igw: { vpc_id: ref("aws_vpc", "edge") } },
      aws_egress_only_internet_gateway: { eigw: { vpc_id: ref("aws_vpc", "edge") } },
      aws_subnet: { edge: { vpc_id: ref("aws_vpc", "edge") }, servers: { vpc_id: ref("aws_vpc", "edge") } },
      aws_route_table: { edge: {}, servers: {} },
      aws_route_table_association: { edge: { subnet_id: ref("aws_subnet", "edge"), route_table_id: ref("aws_route_table", "edge") }, servers: { subnet_id: ref("aws_subnet", "servers"), route_table_id: ref("aws_route_table", "servers") } },
      aws_route: {
        edge: { route_table_id: ref("aws_route_table", "edge"), destination_cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway", "igw") },
        // servers behind an egress-only gateway are not the internet edge
        servers: { route_table_id: ref("aws_route_table", "servers"), destination_ipv6_cidr_block: "::/0", egress_only_gateway_id: ref("aws_egress_only_internet_gateway", "eigw") },
      },
    }),
    failing: ["aws_vpc.bare", "aws_vpc.partial"],
  },
  "AWS-ALARM-ACTIONS": {
    fail: stack({ aws_cloudwatch_metric_alarm: { silent: { alarm_actions: [] }, disabled: { alarm_actions: ["arn:aws:sns:eu-north-1:1:t"], actions_enabled: false } } }),
    pass: stack({
      aws_cloudwatch_metric_alarm: {
        notify: { alarm_actions: [ref("aws_sns_topic", "t", "arn")] },
        // an EC2 action acts though it notifies nobody
        recover: { alarm_actions: ["arn:aws:automate:eu-north-1:ec2:recover"] },
      },
    }),
    failing: ["aws_cloudwatch_metric_alarm.disabled", "aws_cloudwatch_metric_alarm.silent"],
  },
  "AWS-EC2-SOURCE-DEST-CHECK": {
    fail: stack({ aws_network_interface: { stray: { subnet_id: "subnet-1", source_dest_check: false } } }),
    pass: stack({
      aws_network_interface: { translator: { subnet_id: "subnet-1", source_dest_check: false }, plain: { subnet_id: "subnet-1" } },
      aws_route: { pool6: { route_table_id: "rtb-1", destination_ipv6_cidr_block: "64:ff9b:1::/96", network_interface_id: ref("aws_network_interface", "translator") } },
    }),
    failing: ["aws_network_interface.stray"],
  },
  "AWS-EIP-ATTACHED": {
    fail: stack({ aws_eip: { idle: { domain: "vpc" } } }),
    pass: stack({
      aws_eip: { onInterface: { domain: "vpc" }, nat: { domain: "vpc" }, inline: { domain: "vpc", instance: ref("aws_instance", "i") } },
      // associated with a persistent interface, not an instance: deliberate (invariant 12)
      aws_eip_association: { a: { allocation_id: ref("aws_eip", "onInterface"), network_interface_id: ref("aws_network_interface", "n"), private_ip_address: "10.0.0.65" } },
      aws_nat_gateway: { g: { allocation_id: ref("aws_eip", "nat"), subnet_id: "subnet-1" } },
    }),
    failing: ["aws_eip.idle"],
  },
  "AWS-IMAGEBUILDER-NETWORK": {
    fail: stack({ aws_imagebuilder_infrastructure_configuration: { defaultVpc: { instance_profile_name: "p" }, subnetOnly: { subnet_id: "subnet-1" } } }),
    pass: stack({ aws_imagebuilder_infrastructure_configuration: { own: { subnet_id: ref("aws_subnet", "build"), security_group_ids: [ref("aws_security_group", "build")] } } }),
    failing: ["aws_imagebuilder_infrastructure_configuration.defaultVpc", "aws_imagebuilder_infrastructure_configuration.subnetOnly"],
  },
  "SIIT-SG-DUPLICATE-RULE": {
    fail: stack({
      aws_security_group: { web: { description: "web" } },
      aws_vpc_security_group_ingress_rule: {
        builtIn: { security_group_id: ref("aws_security_group", "web"), ip_protocol: "icmpv6", from_port: 128, to_port: -1, cidr_ipv6: "::/0", description: "ICMPv6 echo request" },
        published: { security_group_id: ref("aws_security_group", "web"), ip_protocol: "58", from_port: 128, to_port: -1, cidr_ipv6: "0::/0", description: "icmp/echo from IPv6 clients" },
      },
      // the same permission written as a legacy rule with two CIDRs, one of them already present
      aws_security_group_rule: { legacy: { type: "ingress", security_group_id: ref("aws_security_group", "web"), protocol: "tcp", from_port: 80, to_port: 80, ipv6_cidr_blocks: ["2001:db8::/32", "::/0"], description: "x" } },
      aws_vpc_security_group_egress_rule: {},
    }),
    pass: stack({
      aws_security_group: { web: { description: "web" }, other: { description: "other" } },
      aws_vpc_security_group_ingress_rule: {
        echo: { security_group_id: ref("aws_security_group", "web"), ip_protocol: "icmpv6", from_port: 128, to_port: -1, cidr_ipv6: "::/0", description: "echo" },
        // another group, another port, another family: all different permissions
        otherGroup: { security_group_id: ref("aws_security_group", "other"), ip_protocol: "icmpv6", from_port: 128, to_port: -1, cidr_ipv6: "::/0", description: "echo" },
        tcp80v6: { security_group_id: ref("aws_security_group", "web"), ip_protocol: "tcp", from_port: 80, to_port: 80, cidr_ipv6: "::/0", description: "http" },
        tcp80v4: { security_group_id: ref("aws_security_group", "web"), ip_protocol: "tcp", from_port: 80, to_port: 80, cidr_ipv4: "0.0.0.0/0", description: "http" },
      },
      // egress with the same peer and protocol is a different direction
      aws_vpc_security_group_egress_rule: { out: { security_group_id: ref("aws_security_group", "web"), ip_protocol: "tcp", from_port: 80, to_port: 80, cidr_ipv6: "::/0", description: "http out" } },
    }),
    failing: ["aws_vpc_security_group_ingress_rule.published"],
  },
  "SIIT-DNS64-WITHOUT-NAT64": {
    fail: stack({
      aws_subnet: { servers: { enable_dns64: true } },
      aws_route_table: { servers: {} },
      aws_route_table_association: { a: { subnet_id: ref("aws_subnet", "servers"), route_table_id: ref("aws_route_table", "servers") } },
      aws_route: { v6: { route_table_id: ref("aws_route_table", "servers"), destination_ipv6_cidr_block: "::/0", gateway_id: "igw-1" } },
    }),
    pass: stack({
      aws_subnet: { servers: { enable_dns64: true }, edge: { enable_dns64: false } },
      aws_route_table: { servers: {} },
      aws_route_table_association: { a: { subnet_id: ref("aws_subnet", "servers"), route_table_id: ref("aws_route_table", "servers") } },
      aws_route: { nat64: { route_table_id: ref("aws_route_table", "servers"), destination_ipv6_cidr_block: "64:ff9b:0::/96", nat_gateway_id: ref("aws_nat_gateway", "g") } },
    }),
    failing: ["aws_subnet.servers"],
  },
  "SIIT-TRANSLATOR-OWN-SUBNET-ROUTE": {
    fail: stack({
      aws_subnet: { edge: {} },
      aws_route_table: { edge: {} },
      aws_route_table_association: { a: { subnet_id: ref("aws_subnet", "edge"), route_table_id: ref("aws_route_table", "edge") } },
      aws_network_interface: { translator: { subnet_id: ref("aws_subnet", "edge"), source_dest_check: false } },
      aws_route: { loop: { route_table_id: ref("aws_route_table", "edge"), destination_ipv6_cidr_block: "64:ff9b:1::/96", network_interface_id: ref("aws_network_interface", "translator") } },
    }),
    pass: stack({
      aws_subnet: { edge: {}, servers: {} },
      aws_route_table: { edge: {}, servers: {} },
      aws_route_table_association: {
        e: { subnet_id: ref("aws_subnet", "edge"), route_table_id: ref("aws_route_table", "edge") },
        s: { subnet_id: ref("aws_subnet", "servers"), route_table_id: ref("aws_route_table", "servers") },
      },
      aws_network_interface: { translator: { subnet_id: ref("aws_subnet", "edge"), source_dest_check: false } },
      aws_route: { pool6: { route_table_id: ref("aws_route_table", "servers"), destination_ipv6_cidr_block: "64:ff9b:1::/96", network_interface_id: ref("aws_network_interface", "translator") } },
    }),
    failing: ["aws_route.loop"],
  },
  "SIIT-TRANSLATOR-IPV4-EGRESS": {
    fail: stack({
      aws_security_group: { translators: { description: "t" } },
      aws_network_interface: { t0: { source_dest_check: false, security_groups: [ref("aws_security_group", "translators")] } },
      aws_route: { pool6: { route_table_id: "rtb-1", destination_ipv6_cidr_block: "64:ff9b:1::/96", network_interface_id: ref("aws_network_interface", "t0") } },
      aws_vpc_security_group_egress_rule: { all4: { security_group_id: ref("aws_security_group", "translators"), ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0", description: "all" } },
    }),
    pass: stack({
      aws_security_group: { translators: { description: "t" }, nat64: { description: "n" } },
      aws_network_interface: {
        t0: { source_dest_check: false, security_groups: [ref("aws_security_group", "translators")] },
        // a NAT64 node's all-IPv4 egress is its job (64:ff9b::/96 routes to it)
        n0: { source_dest_check: false, security_groups: [ref("aws_security_group", "nat64")] },
      },
      aws_route: {
        pool6: { route_table_id: "rtb-1", destination_ipv6_cidr_block: "64:ff9b:1::/96", network_interface_id: ref("aws_network_interface", "t0") },
        nat64: { route_table_id: "rtb-1", destination_ipv6_cidr_block: "64:ff9b::/96", network_interface_id: ref("aws_network_interface", "n0") },
      },
      aws_vpc_security_group_egress_rule: {
        all6: { security_group_id: ref("aws_security_group", "translators"), ip_protocol: "-1", cidr_ipv6: "::/0", description: "to servers" },
        mail: { security_group_id: ref("aws_security_group", "translators"), ip_protocol: "tcp", from_port: 25, to_port: 25, cidr_ipv4: "0.0.0.0/0", description: "mail opts in" },
        nat64: { security_group_id: ref("aws_security_group", "nat64"), ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0", description: "translated traffic" },
      },
    }),
    failing: ["aws_vpc_security_group_egress_rule.all4"],
  },
};

test("every rule has fixtures, and every fixture names a rule", () => {
  expect(Object.keys(fixtures).sort()).toEqual(POLICY_RULES.map((r) => r.id).sort());
});

describe.each(Object.entries(fixtures))("%s", (rule, f) => {
  test("the failing fixture is found, resource by resource", () => {
    const found = findings(rule, f.fail);
    expect([...new Set(found.map((x) => x.resource))].sort()).toEqual(f.failing);
    for (const x of found) {
      expect(x.rule).toBe(rule);
      expect(x.why.length).toBeGreaterThan(10);
      expect(x.fix.length).toBeGreaterThan(10);
    }
  });

  test("the passing fixture (with the design's exceptions) has no finding", () => {
    expect(findings(rule, f.pass)).toEqual([]);
  });
});

test("duplicates are found whatever wrote them: protocol numbers, uncompressed CIDRs and legacy rules compare as EC2 compares", () => {
  const found = findings("SIIT-SG-DUPLICATE-RULE", fixtures["SIIT-SG-DUPLICATE-RULE"].fail);
  expect(found).toHaveLength(1);
  expect(found[0].why).toContain("ingress icmpv6 type 128 from ::/0");
  expect(found[0].why).toContain("repeats aws_vpc_security_group_ingress_rule.builtIn");
  const legacy = findings("SIIT-SG-DUPLICATE-RULE", {
    resource: {
      aws_security_group: { g: { description: "g", ingress: [{ protocol: "tcp", from_port: 80, to_port: 80, ipv6_cidr_blocks: ["::/0"], description: "inline" }] } },
      aws_security_group_rule: { r: { type: "ingress", security_group_id: ref("aws_security_group", "g"), protocol: "6", from_port: 80, to_port: 80, ipv6_cidr_blocks: ["::/0"] } },
    },
  });
  expect(legacy.map((x) => x.resource)).toEqual(["aws_security_group.g"]);
  expect(legacy[0].why).toContain("ingress tcp/80 from ::/0 in aws_security_group.g repeats aws_security_group_rule.r");
});

test("findings of several rules come in rule order, and each rule documents what it re-implements", () => {
  const all = checkStack({ resource: { aws_s3_bucket: { b: {} }, aws_eip: { e: {} } } });
  expect(all.map((f) => f.rule)).toEqual(["AWS-S3-PUBLIC-ACCESS-BLOCK", "AWS-S3-ENCRYPTION", "AWS-S3-VERSIONING", "AWS-S3-TLS-ONLY", "AWS-EIP-ATTACHED"]);
  const ownRules = ["AWS-EC2-SOURCE-DEST-CHECK", "AWS-IMAGEBUILDER-NETWORK"];
  for (const r of POLICY_RULES.filter((x) => x.id.startsWith("AWS-") && !ownRules.includes(x.id))) expect(r.equivalents.length).toBeGreaterThan(0);
  const table = rulesTable();
  for (const r of POLICY_RULES) expect(table).toContain(`\`${r.id}\``);
  expect(table).toContain("cloudwatch:PutMetricData on *");
  expect(table).toContain("source_dest_check = false on an interface that a route table sends traffic to");
});
