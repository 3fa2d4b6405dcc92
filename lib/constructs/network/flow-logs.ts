import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Construct } from "constructs";
import { fail } from "../../plan/errors";
import { propOf, requireLiteral } from "../core/validate";
import { aws } from "../core/aws";

/** Settings of VPC flow logs delivered to CloudWatch Logs. */
export interface FlowLogOptions {
  /**
   * Days CloudWatch Logs keeps the records (a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30,
   * 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
   * @default 90
   */
  readonly retentionDays?: number;
  /**
   * Which traffic is recorded.
   * @default "ALL"
   */
  readonly trafficType?: "ALL" | "ACCEPT" | "REJECT";
  /**
   * KMS key ARN for the log group.
   * @default - CloudWatch Logs' own server-side encryption
   */
  readonly kmsKeyArn?: string;
}

/** Which parts of a VPC get flow logs. */
export class FlowLogs {
  /**
   * Every subnet routed to the internet gateway: the dual-stack edge subnets (translators, NAT64)
   * and, when servers take IPv6 clients directly (`ServerIpv6Internet.INBOUND_AND_OUTBOUND`), the
   * server subnets. One flow log per subnet, one log group.
   */
  static internetSubnets(options: FlowLogOptions = {}): FlowLogs {
    return new FlowLogs("internet-subnets", options);
  }

  /** Only the dual-stack edge subnets (where IPv4 clients and the NAT64 meet the internet). */
  static edgeSubnets(options: FlowLogOptions = {}): FlowLogs {
    return new FlowLogs("edge-subnets", options);
  }

  /** One flow log on the whole VPC (every interface, server traffic included). */
  static wholeVpc(options: FlowLogOptions = {}): FlowLogs {
    return new FlowLogs("vpc", options);
  }

  /** No flow logs. */
  static off(): FlowLogs {
    return new FlowLogs("off", {});
  }

  private constructor(
    /** What gets flow logs. */
    public readonly coverage: "internet-subnets" | "edge-subnets" | "vpc" | "off",
    /** Retention, traffic type, key. */
    public readonly options: FlowLogOptions,
  ) {}
}

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** What to attach flow logs to: subnets by id, or a VPC. */
export interface FlowLogTargets {
  /**
   * A VPC id: one flow log for every interface in it.
   * @default - no VPC flow log
   */
  readonly vpcId?: string;
  /**
   * Construct id -> subnet id: one flow log per subnet.
   * @default - no subnet flow logs
   */
  readonly subnetIds?: Record<string, string>;
}

/**
 * VPC flow logs to one CloudWatch Logs group with a retention period, delivered by a role that
 * may write only to that group (VPC user guide, "IAM role for publishing flow logs to CloudWatch
 * Logs"; the log group exists, so logs:CreateLogGroup is not granted).
 */
export class FlowLogDelivery extends Construct {
  /** The log group all flow logs deliver to. */
  readonly logGroup: CloudwatchLogGroup;
  /** The delivery role (streams and events in `logGroup` only). */
  readonly role: IamRole;
  /** One flow log per target. */
  readonly flowLogs: FlowLog[] = [];

  /** @internal Ipv6OnlyVpc and JoolImage create their flow log deliveries. */
  constructor(scope: Construct, id: string, props: { readonly name: string; readonly options: FlowLogOptions; readonly targets: FlowLogTargets; readonly tags?: Record<string, string> }) {
    super(scope, id);
    // Errors name the owner's `flowLogs` prop (the VPC this delivery belongs to).
    const retention = requireLiteral(scope, "flowLogs.retentionDays", props.options.retentionDays ?? 90);
    if (!RETENTION_DAYS.includes(retention)) {
      fail(propOf(scope, "flowLogs.retentionDays"), retention, "is not a retention period CloudWatch Logs accepts", `use one of ${RETENTION_DAYS.join(", ")}`);
    }
    const trafficType = requireLiteral(scope, "flowLogs.trafficType", props.options.trafficType ?? "ALL");
    if (!["ALL", "ACCEPT", "REJECT"].includes(trafficType)) fail(propOf(scope, "flowLogs.trafficType"), trafficType, "is not a flow log traffic type", 'use "ALL", "ACCEPT" or "REJECT"');
    const tags = { ...props.tags, Name: props.name };
    this.logGroup = new aws.CloudwatchLogGroup(this, "LogGroup", {
      namePrefix: `/siit-dc/flow-logs/${props.name}-`,
      retentionInDays: retention,
      kmsKeyId: props.options.kmsKeyArn,
      tags,
    });
    this.role = new aws.IamRole(this, "DeliveryRole", {
      namePrefix: "siit-dc-flow-logs-",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags,
    });
    new aws.IamRolePolicy(this, "DeliveryPolicy", {
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteOwnLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
          },
        ],
      }),
    });
    const common = { logDestinationType: "cloud-watch-logs", logDestination: this.logGroup.arn, iamRoleArn: this.role.arn, trafficType, tags };
    if (props.targets.vpcId !== undefined) this.flowLogs.push(new aws.FlowLog(this, "Vpc", { ...common, vpcId: props.targets.vpcId }));
    for (const [subnetId, subnet] of Object.entries(props.targets.subnetIds ?? {})) this.flowLogs.push(new aws.FlowLog(this, subnetId, { ...common, subnetId: subnet }));
  }
}
