import { JOOL_METRICS, JOOL_NAMESPACE } from "./metrics";

/**
 * The CloudWatch dashboard body for a topology (DashboardBody JSON, CloudWatch API reference
 * "Dashboard Body Structure and Syntax"). Values may be Terraform references; they end up inside
 * the JSON string and Terraform interpolates them.
 */

export interface DashboardNode {
  /** e.g. `translator a0 (eu-north-1a)` */
  readonly label: string;
  readonly instanceId: string;
  readonly mode: "siit" | "nat64";
}

export interface DashboardNatGateway {
  readonly label: string;
  readonly natGatewayId: string;
}

export interface DashboardHealthCheck {
  /** e.g. `www in eu-north-1a` */
  readonly label: string;
  readonly healthCheckId: string;
}

export interface DashboardInput {
  readonly title: string;
  readonly region: string;
  readonly nodes: readonly DashboardNode[];
  readonly natGateways: readonly DashboardNatGateway[];
  readonly healthChecks: readonly DashboardHealthCheck[];
  readonly alarmArns: readonly string[];
}

type Widget = Record<string, unknown>;

const WIDTH = 12;
const HEIGHT = 6;

function metricWidget(title: string, region: string, metrics: unknown[][], stat: string): Widget {
  return { type: "metric", width: WIDTH, height: HEIGHT, properties: { title, region, view: "timeSeries", stat, period: 60, metrics } };
}

function joolMetric(name: string, node: DashboardNode, label: string): unknown[] {
  return [JOOL_NAMESPACE, name, "InstanceId", node.instanceId, "Mode", node.mode, { label }];
}

export function dashboardBody(input: DashboardInput): Record<string, unknown> {
  const widgets: Widget[] = [
    {
      type: "text",
      width: 24,
      height: 2,
      properties: {
        markdown: `# ${input.title}\nStateless SIIT-DC translators carry inbound IPv4; the NAT64 carries outbound IPv4. Jool counters are published every minute by each node (namespace \`${JOOL_NAMESPACE}\`).`,
      },
    },
  ];
  for (const node of input.nodes) {
    const what = node.mode === "siit" ? "translated" : "NAT64 translated";
    widgets.push(
      metricWidget(
        `${node.label}: traffic (packets/min)`,
        input.region,
        [joolMetric(JOOL_METRICS.translated, node, what), joolMetric(JOOL_METRICS.received4, node, "received IPv4"), joolMetric(JOOL_METRICS.received6, node, "received IPv6")],
        "Sum",
      ),
      metricWidget(
        `${node.label}: ${node.mode === "siit" ? "drops" : "drops and sessions"}`,
        input.region,
        [
          joolMetric(JOOL_METRICS.dropped, node, "dropped"),
          joolMetric(JOOL_METRICS.untranslatable, node, "untranslatable"),
          ...(node.mode === "nat64" ? [joolMetric(JOOL_METRICS.sessions, node, "sessions"), joolMetric(JOOL_METRICS.bibEntries, node, "BIB entries")] : []),
        ],
        "Sum",
      ),
    );
  }
  for (const gw of input.natGateways) {
    widgets.push(
      metricWidget(
        `${gw.label}: connections and drops`,
        input.region,
        [
          ["AWS/NATGateway", "ActiveConnectionCount", "NatGatewayId", gw.natGatewayId, { stat: "Maximum", label: "active connections" }],
          ["AWS/NATGateway", "PacketsDropCount", "NatGatewayId", gw.natGatewayId, { label: "dropped packets" }],
          ["AWS/NATGateway", "ErrorPortAllocation", "NatGatewayId", gw.natGatewayId, { label: "port allocation errors" }],
        ],
        "Sum",
      ),
    );
  }
  if (input.healthChecks.length) {
    // Route 53 publishes health check metrics in us-east-1 only.
    widgets.push({
      type: "metric",
      width: 24,
      height: HEIGHT,
      properties: {
        title: "Service addresses: Route 53 health check status (1 healthy, 0 unhealthy)",
        region: "us-east-1",
        view: "timeSeries",
        stat: "Minimum",
        period: 60,
        metrics: input.healthChecks.map((h) => ["AWS/Route53", "HealthCheckStatus", "HealthCheckId", h.healthCheckId, { label: h.label }]),
        yAxis: { left: { min: 0, max: 1 } },
      },
    });
  }
  if (input.alarmArns.length) {
    widgets.push({ type: "alarm", width: 24, height: HEIGHT, properties: { title: "Alarms", alarms: input.alarmArns } });
  }
  return { widgets };
}
