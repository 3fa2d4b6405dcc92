import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { CONFIG_LOCATION_TAG, JoolNodeMode, renderJoolNodeUserData } from "../../plan/boot/jool-node-boot";
import { JOOL_NAMESPACE, nodeAlarmSpecs } from "../../plan/monitoring/metrics";
import { JOOL_NODE_PROPS } from "../../plan/props/schemas";
import { hardenedLaunchTemplate, instanceOnInterface } from "../compute/hardened-instance";
import { InstanceRole } from "../compute/instance-role";
import { MachineImage } from "../compute/machine-image";
import { checkProps } from "../core/props";
import { TierSubnet } from "../network/ipv6-only-vpc";
import { JoolConfigStore } from "./config-store";

export interface JoolNodeProps {
  readonly mode: JoolNodeMode;
  /** Name tag. */
  readonly name: string;
  /** The dual-stack edge subnet. */
  readonly subnet: TierSubnet;
  /** Private IPv4 addresses, primary first (may be a lazy list: services are added after construction). */
  readonly ipv4Addresses: string[];
  readonly ipv6: string;
  readonly securityGroup: SecurityGroup;
  readonly instanceType: string;
  readonly image: MachineImage;
  readonly store: JoolConfigStore;
  /** Object key of this node's configuration. */
  readonly configKey: string;
  /** The complete Jool file (may be lazy). */
  readonly config: string;
  /** Region, for the EC2 recover and reboot alarm actions. */
  readonly region: string;
  readonly monitoring: JoolNodeMonitoring;
  readonly tags: Record<string, string>;
}

/** Alarm settings shared by the nodes of a translator set or NAT64. */
export interface JoolNodeMonitoring {
  /**
   * Where the health alarms (drops, refused configuration, silent agent) notify, e.g. SNS topic ARNs.
   * Recovery alarms always act on the instance; these actions are added to them.
   * @default - none: the alarms show in CloudWatch and on the dashboard
   */
  readonly alarmActions?: string[];
  /**
   * Dropped packets per 5 minutes that count as sustained drops when seen for 15 minutes.
   * @default 1000
   */
  readonly dropsPer5Minutes?: number;
}

/**
 * A Jool node (SIIT border relay or stateful NAT64): a persistent dual-stack interface with
 * `source_dest_check = false` (invariant 6), an instance attached to it at device index 0, its
 * own role that may read only its own configuration object, and the boot configuration shared by
 * every node of its kind. Replacing the instance keeps the interface, its addresses and its EIPs.
 */
export class JoolNode extends Construct {
  readonly networkInterface: NetworkInterface;
  readonly role: InstanceRole;
  readonly launchTemplate: LaunchTemplate;
  readonly instance: Instance;
  readonly configObject: S3Object;
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: JoolNodeProps) {
    super(scope, id);
    checkProps(this, "JoolNodeProps", JOOL_NODE_PROPS, props);
    const tags = { ...props.tags, Name: props.name };
    this.networkInterface = new NetworkInterface(this, "NetworkInterface", {
      subnetId: props.subnet.subnet.id,
      // An ordered list whose first entry is the primary: adding or removing a secondary
      // address changes the interface in place.
      privateIpListEnabled: true,
      privateIpList: props.ipv4Addresses,
      ipv6AddressListEnabled: true,
      ipv6AddressList: [props.ipv6],
      sourceDestCheck: false,
      securityGroups: [props.securityGroup.id],
      description: `${this.node.path}: Jool ${props.mode} node`,
      tags,
    });
    this.role = new InstanceRole(this, "InstanceRole", { tags });
    const { object, location } = props.store.addNodeConfig(`Config-${props.name}`, props.configKey, props.config, this.role);
    this.configObject = object;
    this.launchTemplate = hardenedLaunchTemplate(this, "LaunchTemplate", {
      instanceType: props.instanceType,
      image: props.image,
      role: this.role,
      userData: renderJoolNodeUserData(props.mode),
      compressUserData: true,
      instanceMetadataTags: true,
      tags,
    });
    this.instance = instanceOnInterface(this, "Instance", this.launchTemplate, this.networkInterface, { ...tags, [CONFIG_LOCATION_TAG]: location });
    this.role.addStatements("PublishMetrics", [
      { sid: "PublishJoolMetrics", actions: ["cloudwatch:PutMetricData"], resources: ["*"], conditions: { StringEquals: { "cloudwatch:namespace": JOOL_NAMESPACE } } },
    ]);
    this.alarms = this.createAlarms(props);
  }

  /** EC2 recovery alarms (alongside EC2 automatic recovery) and Jool health alarms. */
  private createAlarms(props: JoolNodeProps): CloudwatchMetricAlarm[] {
    const notify = props.monitoring.alarmActions ?? [];
    const ec2 = (action: string) => `arn:aws:automate:${props.region}:ec2:${action}`;
    return nodeAlarmSpecs({ dropsPer5Minutes: props.monitoring.dropsPer5Minutes ?? 1000 }).map(
      (spec) =>
        new CloudwatchMetricAlarm(this, spec.id, {
          alarmName: `${props.name}-${spec.id}`,
          alarmDescription: `${this.node.path}: ${spec.description}`,
          namespace: spec.namespace,
          metricName: spec.metric,
          statistic: spec.statistic,
          period: spec.periodSeconds,
          evaluationPeriods: spec.evaluationPeriods,
          comparisonOperator: spec.comparison,
          threshold: spec.threshold,
          treatMissingData: spec.treatMissingData,
          dimensions: { InstanceId: this.instance.id, ...(spec.withMode ? { Mode: props.mode } : {}) },
          alarmActions: spec.action === "notify" ? notify : [ec2(spec.action), ...notify],
          tags: props.tags,
        }),
    );
  }
}
