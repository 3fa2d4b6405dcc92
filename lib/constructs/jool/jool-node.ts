import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Instance } from "@cdktf/provider-aws/lib/instance";
import type { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import type { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { Lazy } from "../../cdktf";
import { CONFIG_LOCATION_TAG, JoolNodeMode, renderJoolNodeUserData } from "../../plan/boot/jool-node-boot";
import { JOOL_NAMESPACE, nodeAlarmSpecs } from "../../plan/monitoring/metrics";
import { JOOL_NODE_PROPS } from "../../plan/props/schemas";
import { createWithPrimaryFirst } from "../compute/interface-addresses";
import { hardenedLaunchTemplate, instanceOnInterface } from "../compute/hardened-instance";
import { InstanceRole } from "../compute/instance-role";
import { MachineImage } from "../compute/machine-image";
import { checkProps } from "../core/props";
import { AlarmNotifications, registerHealthAlarms } from "../monitoring/alarm-notifications";
import { TierSubnet } from "../network/ipv6-only-vpc";
import { JoolConfigStore } from "./config-store";
import { aws } from "../core/aws";
import { attribute } from "../core/once";

/** Props of {@link JoolNode}, the base of translators and Jool NAT64 nodes (the library creates them). */
export interface JoolNodeProps {
  /** `siit` for a stateless SIIT-DC translator, `nat64` for a stateful NAT64. */
  readonly mode: JoolNodeMode;
  /** Name tag. */
  readonly name: string;
  /** The dual-stack edge subnet. */
  readonly subnet: TierSubnet;
  /** The node's own private IPv4 address: the interface's primary. */
  readonly primaryIpv4: string;
  /**
   * Secondary private IPv4 addresses (the public addresses' private halves), read at synth:
   * services are added after construction.
   * @default - none
   */
  readonly secondaryIpv4?: () => string[];
  /**
   * IPv4 /28 prefixes delegated to the interface (teams' service addresses), read at synth.
   * @default - none
   */
  readonly ipv4Prefixes?: () => string[];
  /**
   * Security groups of the interface besides `securityGroup` (one per team: the team's stack owns
   * its rules), read at synth. With any, the node also reads its teams' fragment objects.
   * @default - none
   */
  readonly teamSecurityGroups?: () => string[];
  /** The node's IPv6 address in the edge subnet (a literal or a Terraform expression). */
  readonly ipv6: string;
  /** Security group of the node's interface. */
  readonly securityGroup: SecurityGroup;
  /** EC2 instance type (Nitro). */
  readonly instanceType: string;
  /** The image: Debian 12 (Jool installed at boot) or a baked {@link JoolImage}. */
  readonly image: MachineImage;
  /** The bucket that holds the node's configuration object. */
  readonly store: JoolConfigStore;
  /** Object key of this node's configuration. */
  readonly configKey: string;
  /** The complete Jool file (may be lazy). */
  readonly config: string;
  /** Region, for the EC2 recover and reboot alarm actions. */
  readonly region: string;
  /** Alarm actions and thresholds. */
  readonly monitoring: JoolNodeMonitoring;
  /** Tags for every resource of the node (its Name tag is `name`). */
  readonly tags: Record<string, string>;
  /**
   * `prevent_destroy` on the interface: it carries public addresses' private halves.
   * @default false
   */
  readonly protectInterface?: boolean;
  /**
   * Tags of the instance (and its volumes) only, on top of `tags`; they update in place.
   * @default - none
   */
  readonly instanceTags?: Record<string, string>;
}

/** Alarm settings shared by the nodes of a translator set or NAT64. */
export interface JoolNodeMonitoring {
  /**
   * Where the health alarms (drops, refused configuration, silent agent) notify, e.g. SNS topic ARNs.
   * Recovery alarms always act on the instance; these actions are added to them. An
   * `AlarmNotifications` in an enclosing scope adds its topic to every alarm.
   * @default - none but AlarmNotifications' topics; with neither, synthesis warns
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
  /** The persistent interface (`source_dest_check = false`) that carries the node's addresses; it outlives instances. */
  readonly networkInterface: NetworkInterface;
  /** The node's instance role: Session Manager, its own configuration object, metrics in `SiitDc/Jool`. */
  readonly role: InstanceRole;
  /** The hardened launch template (IMDSv2, encrypted root, the shared boot user data). */
  readonly launchTemplate: LaunchTemplate;
  /** The instance, attached to `networkInterface` at device index 0. */
  readonly instance: Instance;
  /** The node's complete Jool file in the configuration store. */
  readonly configObject: S3Object;
  /** The recovery alarms (SystemStatusRecover, InstanceStatusReboot) and health alarms (SustainedDrops, ConfigRefused, AgentSilent). */
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: JoolNodeProps) {
    super(scope, id);
    checkProps(this, "JoolNodeProps", JOOL_NODE_PROPS, props);
    const tags = { ...props.tags, Name: props.name };
    const secondaries = props.secondaryIpv4 ?? (() => []);
    const addresses = () => [props.primaryIpv4, ...secondaries()];
    this.networkInterface = new aws.NetworkInterface(this, "NetworkInterface", {
      subnetId: props.subnet.subnet.id,
      // A set: adding or removing a service assigns or unassigns only that address, so the
      // other services' EIPs stay associated (see plan/aws/interface-addresses.ts).
      privateIps: Lazy.listValue({ produce: addresses }),
      // `ipv6_addresses`, not `ipv6_address_list`: provider 5.100.0 ignores the list on create
      // (hashicorp/terraform-provider-aws#41951).
      ipv6Addresses: [props.ipv6],
      sourceDestCheck: false,
      // Delegated /28s: every address in them reaches this interface, none is configured in the
      // OS (Jool's EAM entries take them), and each is one of the interface's address slots.
      ipv4Prefixes: props.ipv4Prefixes && Lazy.listValue({ produce: () => props.ipv4Prefixes!() }, { omitEmpty: true }),
      securityGroups: props.teamSecurityGroups ? Lazy.listValue({ produce: () => [props.securityGroup.id, ...props.teamSecurityGroups!()] }) : [props.securityGroup.id],
      description: `${this.node.path}: Jool ${props.mode} node`,
      tags,
      lifecycle: props.protectInterface ? { preventDestroy: true } : undefined,
    });
    createWithPrimaryFirst(this, this.networkInterface, props.subnet.subnet.id, props.primaryIpv4, secondaries);
    this.role = new InstanceRole(this, "InstanceRole", { tags });
    const { object, location } = props.store.addNodeConfig(`Config-${props.name}`, props.configKey, props.config, this.role, { fragments: props.teamSecurityGroups !== undefined });
    this.configObject = object;
    this.launchTemplate = hardenedLaunchTemplate(this, "LaunchTemplate", {
      instanceType: props.instanceType,
      image: props.image,
      role: this.role,
      userData: renderJoolNodeUserData(props.mode),
      compressUserData: true,
      instanceMetadataTags: true,
      // Only the stable Name: any change to the template, tags included, makes the provider plan
      // a new latest_version, which would replace the instance (tags live on the instance).
      tags: { Name: props.name },
    });
    this.instance = instanceOnInterface(this, "Instance", this.launchTemplate, this.networkInterface, { ...tags, ...props.instanceTags, [CONFIG_LOCATION_TAG]: location });
    this.role.addStatements("PublishMetrics", [
      { sid: "PublishJoolMetrics", actions: ["cloudwatch:PutMetricData"], resources: ["*"], conditions: { StringEquals: { "cloudwatch:namespace": JOOL_NAMESPACE } } },
    ]);
    this.alarms = this.createAlarms(props);
  }

  /** EC2 recovery alarms (alongside EC2 automatic recovery) and Jool health alarms. */
  private createAlarms(props: JoolNodeProps): CloudwatchMetricAlarm[] {
    // Resolved at synth: an AlarmNotifications may be added after this node.
    const actions = () => [...(props.monitoring.alarmActions ?? []), ...AlarmNotifications.actionsFor(this)];
    registerHealthAlarms(this, actions);
    const notify = Lazy.listValue({ produce: actions });
    const ec2 = (action: string) => `arn:aws:automate:${props.region}:ec2:${action}`;
    return nodeAlarmSpecs({ dropsPer5Minutes: props.monitoring.dropsPer5Minutes ?? 1000 }).map(
      (spec) =>
        new aws.CloudwatchMetricAlarm(this, spec.id, {
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
          dimensions: { InstanceId: attribute(this.instance, "id"), ...(spec.withMode ? { Mode: props.mode } : {}) },
          alarmActions: spec.action === "notify" ? notify : Lazy.listValue({ produce: () => [ec2(spec.action), ...actions()] }),
          tags: props.tags,
        }),
    );
  }
}
