import { AlarmNotifications, FlowLogs, InstanceRole, Ipv6OnlyVpc, JoolImage, Nat64Provider, OutboundNat64, ServerIpv6Internet } from "../../lib";
import { TerraformStack, Testing } from "../../lib/cdktf";
import { resourceAt, resourcesOf, SynthesizedStack, synthJson, testStack } from "../support/stacks";

/** Least privilege, flow logs, alarm notifications and the image build network (issue 11 items 4-5). */

const zones = ["eu-north-1a", "eu-north-1b"];

function policyOf(resource: Record<string, unknown>): { Statement: { Action: string[]; Resource: string[]; Condition?: unknown }[] } {
  return JSON.parse(String(resource.policy)) as { Statement: { Action: string[]; Resource: string[] }[] };
}

function warningsOf(stack: TerraformStack): string[] {
  Testing.synth(stack, true);
  return stack.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
}

describe("flow logs", () => {
  test("default: every subnet routed to the internet gateway logs to one group with 90-day retention, delivered by a role that may write only there", () => {
    const synth = synthJson((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones }));
    const logs = Object.values(resourcesOf(synth, "aws_flow_log"));
    const subnets = Object.entries(resourcesOf(synth, "aws_subnet")).map(([name]) => `\${aws_subnet.${name}.id}`);
    // Edge subnets and, since servers take IPv6 clients directly by default, server subnets.
    expect(logs.map((l) => l.subnet_id).sort()).toEqual(subnets.sort());
    for (const l of logs) {
      expect(l).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
      expect(l.log_destination).toMatch(/^\$\{aws_cloudwatch_log_group\.Net_FlowLogs_LogGroup_[0-9A-F]{8}\.arn\}$/);
      expect(l.iam_role_arn).toMatch(/^\$\{aws_iam_role\.Net_FlowLogs_DeliveryRole_[0-9A-F]{8}\.arn\}$/);
    }
    expect(resourceAt(synth, "aws_cloudwatch_log_group", "Net/FlowLogs/LogGroup")).toMatchObject({ retention_in_days: 90, name_prefix: "/siit-dc/flow-logs/net-" });
    const role = resourceAt(synth, "aws_iam_role", "Net/FlowLogs/DeliveryRole");
    expect(JSON.parse(String(role.assume_role_policy)).Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    const [statement] = policyOf(resourceAt(synth, "aws_iam_role_policy", "Net/FlowLogs/DeliveryPolicy")).Statement;
    expect(statement.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
    expect(statement.Resource).toEqual([expect.stringMatching(/LogGroup_[0-9A-F]{8}\.arn\}$/), expect.stringMatching(/LogGroup_[0-9A-F]{8}\.arn\}:\*$/)]);
  });

  test("servers behind an egress-only gateway are not the internet edge: only the edge subnets log", () => {
    const synth = synthJson((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, serverIpv6Internet: ServerIpv6Internet.OUTBOUND_ONLY }));
    expect(Object.keys(resourcesOf(synth, "aws_flow_log")).sort()).toEqual([expect.stringMatching(/^Net_FlowLogs_edge-eu-north-1a_/), expect.stringMatching(/^Net_FlowLogs_edge-eu-north-1b_/)]);
  });

  test("edge subnets only, the whole VPC, or off; retention and traffic type are checked", () => {
    const edge = synthJson((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, flowLogs: FlowLogs.edgeSubnets({ retentionDays: 30, trafficType: "REJECT" }) }));
    expect(Object.values(resourcesOf(edge, "aws_flow_log")).map((l) => l.traffic_type)).toEqual(["REJECT", "REJECT"]);
    expect(resourceAt(edge, "aws_cloudwatch_log_group", "Net/FlowLogs/LogGroup").retention_in_days).toBe(30);
    const vpc = synthJson((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, flowLogs: FlowLogs.wholeVpc() }));
    expect(Object.values(resourcesOf(vpc, "aws_flow_log"))).toEqual([expect.objectContaining({ vpc_id: expect.stringMatching(/^\$\{aws_vpc\.Net_Vpc_/) })]);
    const off = synthJson((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, flowLogs: FlowLogs.off() }));
    expect(resourcesOf(off, "aws_flow_log")).toEqual({});
    expect(resourcesOf(off, "aws_cloudwatch_log_group")).toEqual({});
    expect(() => new Ipv6OnlyVpc(testStack(), "Net", { availabilityZones: zones, flowLogs: FlowLogs.wholeVpc({ retentionDays: 10 }) })).toThrow(
      /^test\/Net: flowLogs\.retentionDays = 10: is not a retention period CloudWatch Logs accepts\. Fix: use one of 1, 3, 5, 7, 14, 30/,
    );
    expect(() => new Ipv6OnlyVpc(testStack(), "Net", { availabilityZones: zones, flowLogs: FlowLogs.wholeVpc({ trafficType: "SOME" as "ALL" }) })).toThrow(/^test\/Net: flowLogs\.trafficType = "SOME": is not a flow log traffic type/);
  });
});

describe("instance roles", () => {
  test("Session Manager by a scoped inline statement; the managed policy only where attached on purpose", () => {
    const synth = synthJson((stack) => {
      new InstanceRole(stack, "Plain");
      new InstanceRole(stack, "NoSsm", { sessionManager: false });
      new InstanceRole(stack, "RunCommand").addManagedPolicy("Core", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    });
    expect(policyOf(resourceAt(synth, "aws_iam_role_policy", "Plain/SessionManager")).Statement[0].Action).not.toContain("ssm:GetParameter");
    expect(Object.keys(resourcesOf(synth, "aws_iam_role_policy")).filter((n) => n.startsWith("NoSsm"))).toEqual([]);
    expect(Object.values(resourcesOf(synth, "aws_iam_role_policy_attachment"))).toEqual([expect.objectContaining({ policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" })]);
  });

  test("Jool nodes: Session Manager, their own configuration object, PutMetricData in their namespace; no ssm:GetParameter", () => {
    const synth = synthJson((stack) => {
      const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
      new OutboundNat64(stack, "Outbound", { vpc, provider: Nat64Provider.joolInstance() });
    });
    const actions = Object.entries(resourcesOf(synth, "aws_iam_role_policy"))
      .filter(([n]) => n.startsWith("Outbound_Node-eu-north-1a_"))
      .flatMap(([, p]) => policyOf(p).Statement.flatMap((s) => s.Action));
    expect(actions.sort()).toEqual(
      ["cloudwatch:PutMetricData", "s3:GetObject", "ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"].sort(),
    );
    expect(resourcesOf(synth, "aws_iam_role_policy_attachment")).toEqual({});
  });
});

describe("alarm notifications", () => {
  function nat64Stack(withTopic: "none" | "new" | "given" | "props"): TerraformStack {
    const stack = testStack();
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
    new OutboundNat64(stack, "Outbound", {
      vpc,
      provider: Nat64Provider.joolInstance({ monitoring: withTopic === "props" ? { alarmActions: ["arn:aws:sns:eu-north-1:111122223333:mine"] } : undefined }),
    });
    // Added after the nodes: actions resolve at synth.
    if (withTopic === "new") new AlarmNotifications(stack, "Alarms");
    if (withTopic === "given") new AlarmNotifications(stack, "Alarms", { topicArn: "arn:aws:sns:eu-north-1:111122223333:oncall" });
    return stack;
  }

  function alarms(synth: SynthesizedStack, id: string): unknown[][] {
    return Object.entries(resourcesOf(synth, "aws_cloudwatch_metric_alarm"))
      .filter(([n]) => n.includes(`_${id}_`))
      .map(([, a]) => a.alarm_actions as unknown[]);
  }

  test("without any action: synthesis warns once, naming the nodes and the fix", () => {
    const stack = nat64Stack("none");
    const warnings = warningsOf(stack);
    expect(warnings).toEqual([
      expect.stringMatching(/^the health alarms \(SustainedDrops, ConfigRefused, AgentSilent\) of 2 Jool node\(s\) notify nobody: test\/Outbound\/Node-eu-north-1a, test\/Outbound\/Node-eu-north-1b\. Fix: add `new AlarmNotifications/),
    ]);
  });

  test("one AlarmNotifications gives its new topic to every alarm in its scope, recovery alarms included; no warning", () => {
    const stack = nat64Stack("new");
    expect(warningsOf(stack)).toEqual([]);
    const synth = JSON.parse(Testing.synth(stack, true)) as SynthesizedStack;
    const topic = `\${${"aws_sns_topic"}.${Object.keys(resourcesOf(synth, "aws_sns_topic"))[0]}.arn}`;
    for (const id of ["SustainedDrops", "ConfigRefused", "AgentSilent"]) expect(alarms(synth, id)).toEqual([[topic], [topic]]);
    expect(alarms(synth, "SystemStatusRecover")).toEqual([
      ["arn:aws:automate:eu-north-1:ec2:recover", topic],
      ["arn:aws:automate:eu-north-1:ec2:recover", topic],
    ]);
  });

  test("an existing topic, or monitoring.alarmActions, work the same way", () => {
    const given = JSON.parse(Testing.synth(nat64Stack("given"), true)) as SynthesizedStack;
    expect(resourcesOf(given, "aws_sns_topic")).toEqual({});
    expect(alarms(given, "ConfigRefused")).toEqual([["arn:aws:sns:eu-north-1:111122223333:oncall"], ["arn:aws:sns:eu-north-1:111122223333:oncall"]]);
    const stack = nat64Stack("props");
    expect(warningsOf(stack)).toEqual([]);
    expect(alarms(JSON.parse(Testing.synth(stack, true)) as SynthesizedStack, "AgentSilent")).toEqual([["arn:aws:sns:eu-north-1:111122223333:mine"], ["arn:aws:sns:eu-north-1:111122223333:mine"]]);
  });
});

describe("image build network", () => {
  test("default: a VPC of its own, a public subnet with its own route table, a group with no ingress and only HTTP(S) out, flow logs on the VPC", () => {
    const synth = synthJson((stack) => new JoolImage(stack, "JoolImage"));
    const infra = resourceAt(synth, "aws_imagebuilder_infrastructure_configuration", "JoolImage/Infrastructure");
    expect(infra.subnet_id).toMatch(/^\$\{aws_subnet\.JoolImage_BuildNetwork_Subnet_[0-9A-F]{8}\.id\}$/);
    expect(infra.security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.JoolImage_BuildNetwork_SecurityGroup_[0-9A-F]{8}\.id\}$/)]);
    expect(resourceAt(synth, "aws_vpc", "JoolImage/BuildNetwork/Vpc").cidr_block).toBe("10.254.0.0/24");
    expect(resourceAt(synth, "aws_subnet", "JoolImage/BuildNetwork/Subnet").map_public_ip_on_launch).toBe(true);
    expect(resourcesOf(synth, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(Object.values(resourcesOf(synth, "aws_vpc_security_group_egress_rule")).map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ["tcp", 80, 80, "0.0.0.0/0"],
      ["tcp", 443, 443, "0.0.0.0/0"],
    ]);
    expect(Object.values(resourcesOf(synth, "aws_flow_log"))).toEqual([expect.objectContaining({ vpc_id: expect.stringMatching(/BuildNetwork_Vpc_/) })]);
    expect(resourceAt(synth, "aws_route", "JoolImage/BuildNetwork/DefaultIpv4")).toMatchObject({ destination_cidr_block: "0.0.0.0/0" });
  });

  test("the user's subnet and groups replace it; one without the other is refused", () => {
    const synth = synthJson((stack) => new JoolImage(stack, "JoolImage", { buildSubnetId: "subnet-0abc1234", buildSecurityGroupIds: ["sg-0def5678"] }));
    expect(resourceAt(synth, "aws_imagebuilder_infrastructure_configuration", "JoolImage/Infrastructure")).toMatchObject({ subnet_id: "subnet-0abc1234", security_group_ids: ["sg-0def5678"] });
    expect(resourcesOf(synth, "aws_vpc")).toEqual({});
    expect(() => new JoolImage(testStack(), "JoolImage", { buildSubnetId: "subnet-0abc1234" })).toThrow(
      /^test\/JoolImage: buildSubnetId = "subnet-0abc1234": names a subnet but no buildSecurityGroupIds .*Fix: give both buildSubnetId and buildSecurityGroupIds, or neither/,
    );
    expect(() => new JoolImage(testStack(), "JoolImage", { buildSecurityGroupIds: ["sg-0123abcd"] })).toThrow(/^test\/JoolImage: buildSecurityGroupIds = \["sg-0123abcd"\]: names security groups but no buildSubnetId/);
    expect(() => new JoolImage(testStack(), "JoolImage", { buildNetworkCidr: "10.0.0.0/12" })).toThrow(/^test\/JoolImage: buildNetworkCidr = "10.0.0.0\/12": is outside the \/16 to \/28/);
    expect(() => new JoolImage(testStack(), "JoolImage", { buildNetworkCidr: "nope" })).toThrow(/^test\/JoolImage: buildNetworkCidr = "nope": is not an IPv4 prefix/);
  });

  test("the build role keeps exactly the two policies Image Builder documents, and nothing else", () => {
    const synth = synthJson((stack) => new JoolImage(stack, "JoolImage"));
    expect(Object.values(resourcesOf(synth, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
  });
});
