import type { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";
import { Lazy } from "../../cdktf";
import { dashboardBody } from "../../plan/monitoring/dashboard";
import { checkDashboardInput } from "../core/input-checks";
import { regionOf } from "../core/region";
import { OutboundNat64 } from "../nat64/outbound-nat64";
import { SiitDcTranslators } from "../siit/siit-dc-translators";
import { aws } from "../core/aws";

/** Props of {@link SiitDcDashboard}: what it shows (at least one translator set or NAT64). */
export interface SiitDcDashboardProps {
  /**
   * Translator sets to show: per translator traffic and drops, the Route 53 health of every
   * service address (services published after the dashboard is declared included), and their alarms.
   * @default - none (give `translators`, `nat64` or both: an empty dashboard is refused)
   */
  readonly translators?: SiitDcTranslators[];
  /**
   * Outbound NAT64s to show: sessions (Jool instances) or connections (NAT gateways), and the Jool nodes' alarms.
   * @default - none (give `translators`, `nat64` or both: an empty dashboard is refused)
   */
  readonly nat64?: OutboundNat64[];
  /**
   * Dashboard name.
   * @default - derived from the construct path
   */
  readonly dashboardName?: string;
  /**
   * Region of the metrics the widgets show.
   * @default - the region of the stack's AWS provider
   */
  readonly region?: string;
}

/** A CloudWatch dashboard for the topology: translators, NAT64, service health, alarms. */
export class SiitDcDashboard extends Construct {
  /** The CloudWatch dashboard. */
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: SiitDcDashboardProps) {
    super(scope, id);
    checkDashboardInput(this, props);
    const region = regionOf(this, props.region);
    this.dashboard = new aws.CloudwatchDashboard(this, "Dashboard", {
      dashboardName: props.dashboardName ?? this.node.path.replace(/[^A-Za-z0-9_-]/g, "-"),
      // Lazy: services published after the dashboard is declared still get their health widgets.
      dashboardBody: Lazy.stringValue({ produce: () => JSON.stringify(this.body(props, region)) }),
    });
  }

  private body(props: SiitDcDashboardProps, region: string): Record<string, unknown> {
    const sets = props.translators ?? [];
    const nat64s = props.nat64 ?? [];
    const translatorNodes = sets.flatMap((set) => set.translators.map((t) => ({ label: `${set.node.id} translator ${t.plan.id} (${t.plan.zone.name})`, instanceId: t.instance.id, mode: "siit" as const, node: t })));
    const natNodes = nat64s.flatMap((n) => n.devices.filter((d) => d.node).map((d) => ({ label: `${n.node.id} NAT64 (${d.plan.zone.name})`, instanceId: d.node!.instance.id, mode: "nat64" as const, node: d.node! })));
    return dashboardBody({
      title: `SIIT-DC topology ${this.node.path.split("/")[0]}`,
      region,
      nodes: [...translatorNodes, ...natNodes],
      natGateways: nat64s.flatMap((n) => n.devices.filter((d) => d.natGateway).map((d) => ({ label: `${n.node.id} NAT gateway (${d.plan.zone.name})`, natGatewayId: d.natGateway!.id }))),
      healthChecks: sets.flatMap((set) => set.publishedServices.flatMap((s) => s.addresses.filter((a) => a.healthCheck).map((a) => ({ label: `${s.name} via ${a.translator.id}`, healthCheckId: a.healthCheck!.id })))),
      alarmArns: [...translatorNodes, ...natNodes].flatMap((n) => n.node.alarms.map((a) => a.arn)),
    });
  }
}
