import { Ipv6Prefix, WELL_KNOWN } from "../address/ip";
import { BROAD_MANAGED_POLICIES, IMAGE_BUILDER_INSTANCE_POLICIES, WILDCARD_RESOURCE_ACTIONS, WILDCARD_RESOURCE_CONDITIONS } from "./iam-actions";
import { coversPort, describePermission, isWorld, permissionKey, SgPermission, sgPermissions } from "./sg-permissions";
import { blocks, isFalse, isTrue, referenceOf, ResourceView, StackView, strings } from "./stack-view";

/** One finding: which rule, which resource, why it matters, how to fix it. */
export interface Finding {
  /** Rule id, e.g. `AWS-EC2-IMDSV2`. */
  readonly rule: string;
  /** Terraform address, e.g. `aws_instance.Web_Server-0_Instance_1A2B3C4D`. */
  readonly resource: string;
  /** Why it matters. */
  readonly why: string;
  /** What to change. */
  readonly fix: string;
}

/** A rule of the policy pass. */
export interface PolicyRule {
  /** Rule id, e.g. `SIIT-DNS64-WITHOUT-NAT64`. */
  readonly id: string;
  /** What the rule checks, in one line. */
  readonly title: string;
  /** The checkov / trivy checks this rule re-implements offline (empty for SIIT-DC rules). */
  readonly equivalents: readonly string[];
  /** Deliberate exceptions of the design the rule accepts, each with its reason. */
  readonly exceptions: readonly string[];
  /** The findings of this rule on `stack` (none when it passes). */
  check(stack: StackView): Finding[];
}

const MANAGEMENT_PORTS: Readonly<Record<number, string>> = { 22: "SSH", 23: "telnet", 3389: "RDP", 5900: "VNC", 5985: "WinRM", 5986: "WinRM over TLS" };

// ---------------------------------------------------------------------------------------------
// Helpers over the stack.

function launchTemplateOf(stack: StackView, instance: ResourceView): ResourceView | undefined {
  const [spec] = blocks(instance.config.launch_template);
  return spec ? (stack.target(spec.id, "aws_launch_template") ?? stack.target(spec.name, "aws_launch_template")) : undefined;
}

function imdsRequired(metadata: unknown): boolean {
  const [m] = blocks(metadata);
  return !!m && (m.http_tokens === "required" || m.http_endpoint === "disabled");
}

/** Route tables (as resources) associated with a subnet. */
function routeTablesOf(stack: StackView, subnet: ResourceView): ResourceView[] {
  return stack
    .referring("aws_route_table_association", "subnet_id", subnet)
    .map((a) => stack.target(a.config.route_table_id, "aws_route_table"))
    .filter((t): t is ResourceView => !!t);
}

/** A route, standalone or inline, with its table. */
interface RouteView {
  /** The route table, when the stack holds it. */
  readonly table: ResourceView | undefined;
  readonly source: ResourceView;
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly fields: Record<string, unknown>;
}

function routesOf(stack: StackView, table: ResourceView): RouteView[] {
  const standalone = stack.referring("aws_route", "route_table_id", table).map((r) => ({
    table,
    source: r,
    ipv4: r.config.destination_cidr_block as string | undefined,
    ipv6: r.config.destination_ipv6_cidr_block as string | undefined,
    fields: r.config,
  }));
  const inline = blocks(table.config.route).map((r) => ({
    table,
    source: table,
    ipv4: (r.cidr_block as string | undefined) || undefined,
    ipv6: (r.ipv6_cidr_block as string | undefined) || undefined,
    fields: r,
  }));
  return [...standalone, ...inline];
}

/** Every route of the stack, including those of route tables it does not hold (given by id). */
function allRoutes(stack: StackView): RouteView[] {
  const standalone = stack.resources("aws_route").map((r) => ({
    table: stack.target(r.config.route_table_id, "aws_route_table"),
    source: r,
    ipv4: r.config.destination_cidr_block as string | undefined,
    ipv6: r.config.destination_ipv6_cidr_block as string | undefined,
    fields: r.config,
  }));
  return [...standalone, ...stack.resources("aws_route_table").flatMap((t) => routesOf(stack, t).filter((r) => r.source === t))];
}

function sameIpv6Prefix(text: string | undefined, prefix: Ipv6Prefix): boolean {
  if (!text) return false;
  try {
    return Ipv6Prefix.parse(text).toString() === prefix.toString();
  } catch {
    return false;
  }
}

/** Network interfaces some route table sends traffic to, with the destinations. */
function routedInterfaces(stack: StackView): Map<string, RouteView[]> {
  const out = new Map<string, RouteView[]>();
  for (const route of allRoutes(stack)) {
    const eni = stack.target(route.fields.network_interface_id, "aws_network_interface");
    if (eni) out.set(eni.address, [...(out.get(eni.address) ?? []), route]);
  }
  return out;
}

/** SIIT translators: forwarding interfaces that server routes send a translation prefix (not 64:ff9b::/96) to. */
function translatorInterfaces(stack: StackView): ResourceView[] {
  const routed = routedInterfaces(stack);
  return stack
    .resources("aws_network_interface")
    .filter((eni) => isFalse(eni.config.source_dest_check))
    .filter((eni) => (routed.get(eni.address) ?? []).some((r) => r.ipv6 !== undefined && !sameIpv6Prefix(r.ipv6, WELL_KNOWN.nat64)));
}

interface Statement {
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: boolean;
  readonly resources: string[];
  readonly notResources: boolean;
  readonly conditionKeys: string[];
}

function parsePolicy(text: unknown): Statement[] | undefined {
  if (typeof text !== "string") return undefined;
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(text) as { Statement?: unknown };
  } catch {
    return undefined;
  }
  const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return (list as Record<string, unknown>[]).map((s) => ({
    effect: String(s.Effect ?? "Allow"),
    actions: strings(s.Action ?? s.NotAction),
    notActions: s.NotAction !== undefined,
    resources: strings(s.Resource ?? s.NotResource),
    notResources: s.NotResource !== undefined,
    conditionKeys: Object.values((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((byKey) => Object.keys(byKey ?? {})),
  }));
}

/** Every IAM policy document in the stack with the resource that carries it. */
function policyDocuments(stack: StackView): { resource: ResourceView; statements: Statement[] }[] {
  const out: { resource: ResourceView; statements: Statement[] }[] = [];
  const add = (resource: ResourceView, text: unknown) => {
    const fromData = stack.target(text, "data.aws_iam_policy_document");
    if (fromData) {
      out.push({
        resource,
        statements: blocks(fromData.config.statement).map((s) => ({
          effect: String(s.effect ?? "Allow").replace(/^./, (c) => c.toUpperCase()),
          actions: strings(s.actions ?? s.not_actions),
          notActions: s.not_actions !== undefined,
          resources: strings(s.resources ?? s.not_resources),
          notResources: s.not_resources !== undefined,
          conditionKeys: blocks(s.condition).map((c) => String(c.variable)),
        })),
      });
      return;
    }
    const statements = parsePolicy(text);
    if (statements) out.push({ resource, statements });
  };
  for (const type of ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"]) {
    for (const r of stack.resources(type)) add(r, r.config.policy);
  }
  for (const r of stack.resources("aws_iam_role")) for (const p of blocks(r.config.inline_policy)) add(r, p.policy);
  return out;
}

function finding(rule: string, resource: ResourceView | string, why: string, fix: string): Finding {
  return { rule, resource: typeof resource === "string" ? resource : resource.address, why, fix };
}

// ---------------------------------------------------------------------------------------------
// AWS rules: offline equivalents of the checkov / trivy checks that apply to this library.

const imdsv2: PolicyRule = {
  id: "AWS-EC2-IMDSV2",
  title: "Instance metadata requires IMDSv2 tokens",
  equivalents: ["checkov CKV_AWS_79", "trivy AVD-AWS-0028", "trivy AVD-AWS-0130 (launch templates)"],
  exceptions: ["An aws_instance without metadata_options inherits them from its launch template; the template is checked instead."],
  check(stack) {
    const out: Finding[] = [];
    const fix = 'set metadata_options { http_tokens = "required" } (IMDSv1 lets any SSRF read the role\'s credentials)';
    for (const t of stack.resources("aws_launch_template")) {
      if (!imdsRequired(t.config.metadata_options)) out.push(finding(this.id, t, "the launch template allows IMDSv1 (http_tokens is not \"required\")", fix));
    }
    for (const i of stack.resources("aws_instance")) {
      if (imdsRequired(i.config.metadata_options)) continue;
      const template = launchTemplateOf(stack, i);
      if (template && blocks(i.config.metadata_options).length === 0) continue; // the template's own finding covers it
      out.push(finding(this.id, i, "the instance allows IMDSv1", fix));
    }
    for (const c of stack.resources("aws_imagebuilder_infrastructure_configuration")) {
      const [m] = blocks(c.config.instance_metadata_options);
      if (m?.http_tokens !== "required") out.push(finding(this.id, c, "the image build instance allows IMDSv1", 'set instance_metadata_options { http_tokens = "required" }'));
    }
    return out;
  },
};

const ebsEncryption: PolicyRule = {
  id: "AWS-EBS-ENCRYPTION",
  title: "EBS volumes are encrypted",
  equivalents: ["checkov CKV_AWS_8", "checkov CKV_AWS_3", "trivy AVD-AWS-0131", "trivy AVD-AWS-0026"],
  exceptions: ["An aws_instance launched from a launch template takes its volumes from the template; the template is checked instead."],
  check(stack) {
    const out: Finding[] = [];
    const fix = 'set encrypted = "true" on every EBS block device (optionally kms_key_id)';
    for (const t of stack.resources("aws_launch_template")) {
      const devices = blocks(t.config.block_device_mappings).filter((d) => blocks(d.ebs).length > 0);
      if (devices.length === 0) out.push(finding(this.id, t, "the launch template leaves the root volume's encryption to the AMI and the account default", fix));
      for (const d of devices) if (!isTrue(blocks(d.ebs)[0].encrypted)) out.push(finding(this.id, t, `volume ${String(d.device_name)} is not encrypted`, fix));
    }
    for (const i of stack.resources("aws_instance")) {
      if (launchTemplateOf(stack, i) && blocks(i.config.root_block_device).length === 0) continue;
      for (const field of ["root_block_device", "ebs_block_device"]) {
        for (const d of blocks(i.config[field])) if (!isTrue(d.encrypted)) out.push(finding(this.id, i, `${field} is not encrypted`, fix));
      }
      if (!launchTemplateOf(stack, i) && blocks(i.config.root_block_device).length === 0) out.push(finding(this.id, i, "the root volume's encryption is left to the AMI and the account default", fix));
    }
    for (const v of stack.resources("aws_ebs_volume")) if (!isTrue(v.config.encrypted)) out.push(finding(this.id, v, "the volume is not encrypted", fix));
    for (const r of stack.resources("aws_imagebuilder_image_recipe")) {
      for (const d of blocks(r.config.block_device_mapping)) {
        const [ebs] = blocks(d.ebs);
        if (ebs && !isTrue(ebs.encrypted)) out.push(finding(this.id, r, `image volume ${String(d.device_name)} is not encrypted`, fix));
      }
    }
    return out;
  },
};

const worldManagement: PolicyRule = {
  id: "AWS-SG-WORLD-MANAGEMENT",
  title: "No management port is open to the whole internet",
  equivalents: ["checkov CKV_AWS_24 (22)", "checkov CKV_AWS_25 (3389)", "checkov CKV_AWS_260", "trivy AVD-AWS-0107"],
  exceptions: ["The library opens no management port: Session Manager replaces SSH. Published services on other ports are declared exposure, not findings."],
  check(stack) {
    const out: Finding[] = [];
    for (const p of sgPermissions(stack)) {
      if (p.direction !== "ingress" || !isWorld(p)) continue;
      const ports = Object.entries(MANAGEMENT_PORTS).filter(([port]) => coversPort(p, Number(port)));
      if (ports.length) {
        out.push(
          finding(
            this.id,
            p.source,
            `${describePermission(p)} in ${p.group} opens ${ports.map(([port, name]) => `${name} (${port})`).join(", ")} to everyone`,
            "use Session Manager (no inbound port), or allow only your administration prefixes",
          ),
        );
      }
    }
    return out;
  },
};

const ruleDescriptions: PolicyRule = {
  id: "AWS-SG-RULE-DESCRIPTION",
  title: "Security groups and their rules say what they are for",
  equivalents: ["checkov CKV_AWS_23", "trivy AVD-AWS-0099 (groups)", "trivy AVD-AWS-0124 (rules)"],
  exceptions: [],
  check(stack) {
    const out: Finding[] = [];
    for (const g of stack.resources("aws_security_group")) {
      const d = g.config.description;
      if (typeof d !== "string" || d.trim() === "" || d === "Managed by Terraform") out.push(finding(this.id, g, "the security group has no description", "describe what the group admits and for whom"));
    }
    const seen = new Set<string>();
    for (const p of sgPermissions(stack)) {
      if (p.description && p.description.trim() !== "") continue;
      const key = `${p.source.address}|${p.direction}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(finding(this.id, p.source, `${describePermission(p)} has no description`, "give every rule a description (why it exists, who it admits)"));
    }
    return out;
  },
};

const iamWildcardActions: PolicyRule = {
  id: "AWS-IAM-WILDCARD-ACTION",
  title: "IAM Allow statements name their actions",
  equivalents: ["checkov CKV_AWS_289", "checkov CKV_AWS_290", "checkov CKV_AWS_63", "checkov CKV_AWS_62", "trivy AVD-AWS-0057"],
  exceptions: [],
  check(stack) {
    const out: Finding[] = [];
    for (const { resource, statements } of policyDocuments(stack)) {
      for (const s of statements) {
        if (s.effect !== "Allow") continue;
        if (s.notActions) {
          out.push(finding(this.id, resource, "an Allow statement uses NotAction (allows everything else)", "list the actions the role needs"));
          continue;
        }
        const wild = s.actions.filter((a) => a.includes("*"));
        if (wild.length) out.push(finding(this.id, resource, `an Allow statement grants wildcard actions ${wild.join(", ")}`, "list the actions the role needs"));
      }
    }
    return out;
  },
};

const iamWildcardResources: PolicyRule = {
  id: "AWS-IAM-WILDCARD-RESOURCE",
  title: 'IAM Allow statements name their resources where IAM can scope them',
  equivalents: ["checkov CKV_AWS_355", "checkov CKV_AWS_288", "trivy AVD-AWS-0057"],
  exceptions: Object.entries(WILDCARD_RESOURCE_ACTIONS).map(
    ([action, why]) => `${action} on *: ${why}${WILDCARD_RESOURCE_CONDITIONS[action] ? ` (only with the ${WILDCARD_RESOURCE_CONDITIONS[action]} condition)` : ""}`,
  ),
  check(stack) {
    const out: Finding[] = [];
    for (const { resource, statements } of policyDocuments(stack)) {
      for (const s of statements) {
        if (s.effect !== "Allow" || s.notActions) continue;
        if (!s.notResources && !s.resources.includes("*")) continue;
        const unjustified = s.actions.filter((a) => {
          const known = Object.keys(WILDCARD_RESOURCE_ACTIONS).find((k) => k.toLowerCase() === a.toLowerCase());
          if (!known || s.notResources) return true;
          const condition = WILDCARD_RESOURCE_CONDITIONS[known];
          return condition !== undefined && !s.conditionKeys.some((k) => k.toLowerCase() === condition.toLowerCase());
        });
        if (unjustified.length) {
          out.push(
            finding(
              this.id,
              resource,
              `an Allow statement grants ${unjustified.join(", ")} on ${s.notResources ? "NotResource" : "*"}`,
              "name the resources (ARNs) the role needs; for actions without resource types, add the service's condition keys",
            ),
          );
        }
      }
    }
    return out;
  },
};

const broadManagedPolicies: PolicyRule = {
  id: "AWS-IAM-BROAD-MANAGED-POLICY",
  title: "No broad AWS managed policy on a role",
  equivalents: ["checkov CKV_AWS_274 (AdministratorAccess)", "trivy AVD-AWS-0057 (managed policies it resolves)"],
  exceptions: [
    "EC2InstanceProfileForImageBuilder and AmazonSSMManagedInstanceCore on a role whose instance profile an Image Builder infrastructure configuration uses: Image Builder documents both for the build instance (it drives the build through Run Command); the instance is short-lived and alone in its own network.",
  ],
  check(stack) {
    const out: Finding[] = [];
    const imageBuilderProfiles = stack.resources("aws_imagebuilder_infrastructure_configuration").map((c) => c.config.instance_profile_name);
    const imageBuilderRoles = new Set(
      stack
        .resources("aws_iam_instance_profile")
        .filter((p) => imageBuilderProfiles.some((v) => stack.designates(v, p, ["name"]) || referenceOf(v)?.name === p.name))
        .map((p) => referenceOf(p.config.role)?.name ?? String(p.config.role)),
    );
    const allowed = new Set(IMAGE_BUILDER_INSTANCE_POLICIES.map(([, arn]) => arn));
    const attachments: { resource: ResourceView; role: string; arn: string }[] = [];
    for (const a of stack.resources("aws_iam_role_policy_attachment")) attachments.push({ resource: a, role: referenceOf(a.config.role)?.name ?? String(a.config.role), arn: String(a.config.policy_arn) });
    for (const r of stack.resources("aws_iam_role")) for (const arn of strings(r.config.managed_policy_arns)) attachments.push({ resource: r, role: r.name, arn });
    for (const { resource, role, arn } of attachments) {
      if (!BROAD_MANAGED_POLICIES.includes(arn) && !/FullAccess$/.test(arn)) continue;
      if (allowed.has(arn) && imageBuilderRoles.has(role)) continue;
      out.push(finding(this.id, resource, `attaches ${arn}, which grants far more than the role's job (e.g. AmazonSSMManagedInstanceCore: ssm:GetParameter* on *)`, "grant scoped inline statements instead (Session Manager needs only ssmmessages:* channels and ssm:UpdateInstanceInformation)"));
    }
    return out;
  },
};

function bucketRule(id: string, title: string, equivalents: string[], test: (stack: StackView, bucket: ResourceView) => string | undefined, fix: string): PolicyRule {
  return {
    id,
    title,
    equivalents,
    exceptions: [],
    check(stack) {
      return stack
        .resources("aws_s3_bucket")
        .map((b) => [b, test(stack, b)] as const)
        .filter(([, why]) => why !== undefined)
        .map(([b, why]) => finding(id, b, why!, fix));
    },
  };
}

const BUCKET_FIELDS = ["bucket", "id"];

const s3PublicAccess = bucketRule(
  "AWS-S3-PUBLIC-ACCESS-BLOCK",
  "S3 buckets block public access",
  ["checkov CKV_AWS_53", "checkov CKV_AWS_54", "checkov CKV_AWS_55", "checkov CKV_AWS_56", "checkov CKV2_AWS_6", "trivy AVD-AWS-0086", "trivy AVD-AWS-0087", "trivy AVD-AWS-0091", "trivy AVD-AWS-0093", "trivy AVD-AWS-0094"],
  (stack, b) => {
    const blocksOf = stack.referring("aws_s3_bucket_public_access_block", "bucket", b, BUCKET_FIELDS);
    const complete = blocksOf.some((p) => ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((f) => isTrue(p.config[f])));
    return complete ? undefined : "the bucket has no public access block with all four settings on";
  },
  "add aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets = true",
);

const s3Encryption = bucketRule(
  "AWS-S3-ENCRYPTION",
  "S3 buckets declare default encryption",
  ["checkov CKV_AWS_19", "checkov CKV_AWS_145", "trivy AVD-AWS-0088", "trivy AVD-AWS-0132"],
  (stack, b) =>
    stack.referring("aws_s3_bucket_server_side_encryption_configuration", "bucket", b, BUCKET_FIELDS).length > 0 || blocks(b.config.server_side_encryption_configuration).length > 0
      ? undefined
      : "the bucket declares no default encryption",
  "add aws_s3_bucket_server_side_encryption_configuration (AES256 or aws:kms)",
);

const s3Versioning = bucketRule(
  "AWS-S3-VERSIONING",
  "S3 buckets keep object versions",
  ["checkov CKV_AWS_21", "trivy AVD-AWS-0090"],
  (stack, b) => {
    const standalone = stack.referring("aws_s3_bucket_versioning", "bucket", b, BUCKET_FIELDS).some((v) => blocks(v.config.versioning_configuration).some((c) => c.status === "Enabled"));
    const inline = blocks(b.config.versioning).some((v) => isTrue(v.enabled));
    return standalone || inline ? undefined : "the bucket does not keep earlier versions (an overwrite or delete is final)";
  },
  'add aws_s3_bucket_versioning with status = "Enabled"',
);

const s3TlsOnly = bucketRule(
  "AWS-S3-TLS-ONLY",
  "S3 buckets refuse requests without TLS",
  ["checkov CKV_AWS_379 (TLS-only policy)", "AWS Security Hub S3.5", "trivy AVD-AWS-0092 (bucket policy)"],
  (stack, b) => {
    const denies = [...stack.referring("aws_s3_bucket_policy", "bucket", b, BUCKET_FIELDS).map((p) => p.config.policy), b.config.policy].some((text) => {
      if (typeof text !== "string") return false;
      try {
        const doc = JSON.parse(text) as { Statement?: Record<string, unknown>[] | Record<string, unknown> };
        const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
        return list.some((s) => s.Effect === "Deny" && JSON.stringify(s.Condition ?? {}).includes('"aws:SecureTransport":"false"'));
      } catch {
        return false;
      }
    });
    return denies ? undefined : "the bucket policy does not deny requests without TLS (aws:SecureTransport = false)";
  },
  'add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport "false"',
);

const vpcFlowLogs: PolicyRule = {
  id: "AWS-VPC-FLOW-LOGS",
  title: "VPC traffic to and from the internet is recorded",
  equivalents: ["checkov CKV2_AWS_11", "trivy AVD-AWS-0178"],
  exceptions: [
    "Flow logs on every subnet whose route table sends a default route to an internet gateway count as covering the VPC: what never reaches the internet gateway (IPv6-only server subnets behind an egress-only gateway) is not the internet edge.",
  ],
  check(stack) {
    const out: Finding[] = [];
    const logs = [...stack.resources("aws_flow_log")];
    for (const vpc of stack.resources("aws_vpc")) {
      if (logs.some((l) => stack.designates(l.config.vpc_id, vpc))) continue;
      const igws = stack.referring("aws_internet_gateway", "vpc_id", vpc);
      const internet = stack
        .referring("aws_subnet", "vpc_id", vpc)
        .filter((s) =>
          routeTablesOf(stack, s).some((t) =>
            routesOf(stack, t).some((r) => (r.ipv4 === "0.0.0.0/0" || r.ipv6 === "::/0") && igws.some((g) => stack.designates(r.fields.gateway_id, g))),
          ),
        );
      const unlogged = internet.filter((s) => !logs.some((l) => stack.designates(l.config.subnet_id, s)));
      if (internet.length === 0 || unlogged.length > 0) {
        out.push(
          finding(
            this.id,
            vpc,
            unlogged.length ? `subnets routed to the internet gateway have no flow log: ${unlogged.map((s) => s.address).join(", ")}` : "the VPC has no flow log",
            "add flow logs (Ipv6OnlyVpc does by default: flowLogs FlowLogs.internetSubnets()), or one aws_flow_log on the VPC",
          ),
        );
      }
    }
    return out;
  },
};

const alarmActions: PolicyRule = {
  id: "AWS-ALARM-ACTIONS",
  title: "Alarms act or notify someone",
  equivalents: ["checkov CKV_AWS_319"],
  exceptions: ["An EC2 recover or reboot action counts: the alarm acts even though it notifies nobody."],
  check(stack) {
    return stack
      .resources("aws_cloudwatch_metric_alarm")
      .filter((a) => isFalse(a.config.actions_enabled) || strings(a.config.alarm_actions).length === 0)
      .map((a) =>
        finding(
          this.id,
          a,
          isFalse(a.config.actions_enabled) ? "the alarm's actions are disabled" : "the alarm has no alarm_actions: it changes state and nobody hears",
          'give it an SNS topic (new AlarmNotifications(stack, "Alarms") does for every library alarm) or an EC2 action',
        ),
      );
  },
};

const sourceDestCheck: PolicyRule = {
  id: "AWS-EC2-SOURCE-DEST-CHECK",
  title: "Only middleboxes forward",
  equivalents: [],
  exceptions: [
    "source_dest_check = false on an interface that a route table sends traffic to (a SIIT translator's /96, the NAT64's 64:ff9b::/96): Jool nodes forward by design (docs/DESIGN.md invariant 6).",
  ],
  check(stack) {
    const routed = routedInterfaces(stack);
    return stack
      .resources("aws_network_interface")
      .filter((eni) => isFalse(eni.config.source_dest_check) && !routed.has(eni.address))
      .map((eni) => finding(this.id, eni, "the interface forwards (source_dest_check = false) but no route sends traffic to it", "keep source_dest_check on, or route the prefix it serves to it"));
  },
};

const eipAttached: PolicyRule = {
  id: "AWS-EIP-ATTACHED",
  title: "Elastic IPs are in use",
  equivalents: ["checkov CKV2_AWS_19"],
  exceptions: [
    "An EIP associated with a network interface (not an instance) is deliberate: the address stays on the persistent interface when the instance is replaced (docs/DESIGN.md invariant 12).",
  ],
  check(stack) {
    const users = [
      ...stack.resources("aws_eip_association").map((a) => a.config.allocation_id),
      ...stack.resources("aws_nat_gateway").map((n) => n.config.allocation_id),
    ];
    return stack
      .resources("aws_eip")
      .filter((e) => !e.config.instance && !e.config.network_interface && !users.some((u) => stack.designates(u, e, ["allocation_id"])))
      .map((e) => finding(this.id, e, "the EIP is allocated but not associated (billed, and reachable by nobody)", "associate it with an interface or NAT gateway, or release it explicitly"));
  },
};

const imageBuilderNetwork: PolicyRule = {
  id: "AWS-IMAGEBUILDER-NETWORK",
  title: "Image builds run in a network chosen for them",
  equivalents: [],
  exceptions: [],
  check(stack) {
    return stack
      .resources("aws_imagebuilder_infrastructure_configuration")
      .filter((c) => !c.config.subnet_id || strings(c.config.security_group_ids).length === 0)
      .map((c) =>
        finding(this.id, c, "without subnet_id and security_group_ids the build instance runs in the default VPC with its default security group", "give a subnet and security groups (JoolImage creates its own build network by default)"),
      );
  },
};

// ---------------------------------------------------------------------------------------------
// SIIT-DC rules.

const duplicateRules: PolicyRule = {
  id: "SIIT-SG-DUPLICATE-RULE",
  title: "No two rules EC2 would see as the same permission",
  equivalents: [],
  exceptions: [],
  check(stack) {
    const first = new Map<string, SgPermission>();
    const out: Finding[] = [];
    for (const p of sgPermissions(stack)) {
      const key = permissionKey(p);
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, p);
        continue;
      }
      out.push(
        finding(
          this.id,
          p.source,
          `${describePermission(p)} in ${p.group} repeats ${earlier.source.address}; EC2 refuses it (InvalidPermission.Duplicate) and the apply fails`,
          "keep one rule per protocol, port range and peer (descriptions do not make rules different)",
        ),
      );
    }
    return out;
  },
};

const dns64WithoutNat64: PolicyRule = {
  id: "SIIT-DNS64-WITHOUT-NAT64",
  title: "DNS64 only where 64:ff9b::/96 reaches a NAT64",
  equivalents: [],
  exceptions: [],
  check(stack) {
    return stack
      .resources("aws_subnet")
      .filter((s) => isTrue(s.config.enable_dns64))
      .filter(
        (s) =>
          !routeTablesOf(stack, s).some((t) =>
            routesOf(stack, t).some((r) => sameIpv6Prefix(r.ipv6, WELL_KNOWN.nat64) && (r.fields.nat_gateway_id || r.fields.network_interface_id || r.fields.transit_gateway_id)),
          ),
      )
      .map((s) =>
        finding(
          this.id,
          s,
          "DNS64 is on but the subnet's route table sends 64:ff9b::/96 to no NAT64: IPv4-only names resolve to addresses that go nowhere (docs/DESIGN.md invariant 7)",
          "route 64:ff9b::/96 to a NAT gateway or NAT64 instance (Ipv6OnlyVpc.enableNat64 does both), or turn DNS64 off",
        ),
      );
  },
};

const ownSubnetRoute: PolicyRule = {
  id: "SIIT-TRANSLATOR-OWN-SUBNET-ROUTE",
  title: "No middlebox is routed by its own subnet's route table",
  equivalents: [],
  exceptions: [],
  check(stack) {
    const out: Finding[] = [];
    for (const route of allRoutes(stack)) {
      const eni = stack.target(route.fields.network_interface_id, "aws_network_interface");
      if (!eni) continue;
      const subnet = stack.target(eni.config.subnet_id, "aws_subnet");
      if (!subnet || !route.table || !routeTablesOf(stack, subnet).some((t) => t.address === route.table!.address)) continue;
      out.push(
        finding(
          this.id,
          route.source,
          `${route.ipv6 ?? route.ipv4} goes to ${eni.address}, which lives in ${subnet.address}, whose own route table this is: its translated packets would loop back to it (AWS "route table options"; docs/DESIGN.md invariant 6)`,
          "route translator prefixes only in the server subnets' tables (Ipv6OnlyVpc.addServerRoute)",
        ),
      );
    }
    return out;
  },
};

const translatorIpv4Egress: PolicyRule = {
  id: "SIIT-TRANSLATOR-IPV4-EGRESS",
  title: "Translators do not let servers start IPv4 connections",
  equivalents: [],
  exceptions: ["Replies to IPv4 clients need no egress rule (security groups are stateful). Egress for a service that opts in to server-initiated IPv4 names its protocol and ports."],
  check(stack) {
    const permissions = sgPermissions(stack);
    const byRule = new Map<SgPermission, string[]>();
    for (const eni of translatorInterfaces(stack)) {
      for (const group of strings(eni.config.security_groups)) {
        const ref = referenceOf(group);
        const key = ref ? `${ref.type}.${ref.name}` : group;
        for (const p of permissions.filter((q) => q.group === key && q.direction === "egress" && q.protocol === "-1" && q.peer.kind === "ipv4" && q.peer.value === "0.0.0.0/0")) {
          byRule.set(p, [...(byRule.get(p) ?? []), eni.address]);
        }
      }
    }
    return [...byRule.entries()].map(([p, enis]) =>
      finding(
        this.id,
        p.source,
        `${describePermission(p)} on translator interface(s) ${enis.join(", ")}: any server with an EAM entry can reach any IPv4 host through them and leave from its service's EIP, bypassing the NAT64 (undeclared server-initiated IPv4, docs/DESIGN.md invariant 17)`,
        "drop the all-IPv4 egress rule (replies still leave: the group is stateful); allow specific egress only for services that opt in",
      ),
    );
  },
};

/** Every rule of the policy pass, in report order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  imdsv2,
  ebsEncryption,
  worldManagement,
  ruleDescriptions,
  iamWildcardActions,
  iamWildcardResources,
  broadManagedPolicies,
  s3PublicAccess,
  s3Encryption,
  s3Versioning,
  s3TlsOnly,
  vpcFlowLogs,
  alarmActions,
  sourceDestCheck,
  eipAttached,
  imageBuilderNetwork,
  duplicateRules,
  dns64WithoutNat64,
  ownSubnetRoute,
  translatorIpv4Egress,
];
