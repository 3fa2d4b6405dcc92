/**
 * What the Jool nodes publish (lib/plan/boot/scripts/jool-metrics-agent.sh) and what the alarms
 * and the dashboard read: one vocabulary for both sides.
 */
export const JOOL_NAMESPACE = "SiitDc/Jool";

/** Names of the metrics the node's metrics agent publishes in {@link JOOL_NAMESPACE} (dimensions `InstanceId` and `Mode`). */
export const JOOL_METRICS = {
  /** Packets Jool translated (change since the agent's last run). */
  translated: "Translated",
  /** IPv4 packets Jool received. */
  received4: "Received4",
  /** IPv6 packets Jool received. */
  received6: "Received6",
  /** Packets Jool dropped (also per `Reason` = Jool counter). */
  dropped: "Dropped",
  /** Packets Jool handed back to the kernel untouched. */
  untranslatable: "Untranslatable",
  /** NAT64 binding-information-base entries (a level). */
  bibEntries: "BibEntries",
  /** NAT64 sessions (a level). */
  sessions: "Sessions",
  /** 1 while Jool refuses the published configuration (the last good one stays in force). */
  configRefused: "ConfigRefused",
  /** 1 on every agent run; its absence raises AgentSilent. */
  heartbeat: "Heartbeat",
  /** 1, with dimension `Version` = the applied file's hash. */
  configVersion: "ConfigVersion",
} as const;

/** One alarm of a Jool node, as data; the construct turns it into aws_cloudwatch_metric_alarm. */
export interface NodeAlarmSpec {
  readonly id: string;
  readonly namespace: string;
  readonly metric: string;
  readonly statistic: "Sum" | "Maximum" | "Minimum" | "SampleCount";
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly comparison: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
  readonly treatMissingData: "missing" | "breaching" | "notBreaching";
  /** `recover` and `reboot` become EC2 actions; `notify` the user's alarm actions. */
  readonly action: "recover" | "reboot" | "notify";
  readonly description: string;
  /** Extra dimensions besides InstanceId (the Jool metrics also carry Mode). */
  readonly withMode: boolean;
}

export interface NodeAlarmOptions {
  /** Dropped packets per 5 minutes that count as "sustained drops" when seen 3 periods in a row. */
  readonly dropsPer5Minutes: number;
}

/** Recovery alarms (EC2 status checks) and Jool health alarms for one node. */
export function nodeAlarmSpecs(options: NodeAlarmOptions): NodeAlarmSpec[] {
  return [
    {
      id: "SystemStatusRecover",
      namespace: "AWS/EC2",
      metric: "StatusCheckFailed_System",
      statistic: "Maximum",
      periodSeconds: 60,
      evaluationPeriods: 2,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "missing",
      action: "recover",
      description: "EC2 system status check failed: recover the instance (same interface, private IPs and EIPs) onto healthy hardware",
      withMode: false,
    },
    {
      id: "InstanceStatusReboot",
      namespace: "AWS/EC2",
      metric: "StatusCheckFailed_Instance",
      statistic: "Maximum",
      periodSeconds: 60,
      evaluationPeriods: 3,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "missing",
      action: "reboot",
      description: "EC2 instance status check failed: reboot (the last good Jool configuration is restored at boot)",
      withMode: false,
    },
    {
      id: "SustainedDrops",
      namespace: JOOL_NAMESPACE,
      metric: JOOL_METRICS.dropped,
      statistic: "Sum",
      periodSeconds: 300,
      evaluationPeriods: 3,
      comparison: "GreaterThanThreshold",
      threshold: options.dropsPer5Minutes,
      treatMissingData: "notBreaching",
      action: "notify",
      description: `Jool dropped more than ${options.dropsPer5Minutes} packets per 5 minutes for 15 minutes (see the Dropped metric's Reason dimension)`,
      withMode: true,
    },
    {
      id: "ConfigRefused",
      namespace: JOOL_NAMESPACE,
      metric: JOOL_METRICS.configRefused,
      statistic: "Maximum",
      periodSeconds: 60,
      evaluationPeriods: 2,
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
      action: "notify",
      description: "The published Jool configuration failed to apply; the node keeps translating with the last good one",
      withMode: true,
    },
    {
      id: "AgentSilent",
      namespace: JOOL_NAMESPACE,
      metric: JOOL_METRICS.heartbeat,
      statistic: "SampleCount",
      periodSeconds: 60,
      evaluationPeriods: 5,
      comparison: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
      action: "notify",
      description: "No metrics from the node for 5 minutes: the instance, the agent or its path to CloudWatch is down",
      withMode: true,
    },
  ];
}

/** The synth-time warning for Jool nodes whose health alarms have no action. */
export function silentAlarmsWarning(nodePaths: string[]): string {
  const health = nodeAlarmSpecs({ dropsPer5Minutes: 1 })
    .filter((s) => s.action === "notify")
    .map((s) => s.id)
    .join(", ");
  return (
    `the health alarms (${health}) of ${nodePaths.length} Jool node(s) notify nobody: ${nodePaths.join(", ")}. ` +
    'Fix: add `new AlarmNotifications(stack, "Alarms")` (one SNS topic for every alarm in its scope) or set monitoring.alarmActions'
  );
}
