import { at, fail, Origin } from "../errors";
import { Port } from "../ports";

/**
 * The Route 53 health check of a service's public addresses. Route 53 reaches the server only
 * through the translator, which passes the service's own ports only (docs/DESIGN.md invariant 16),
 * so a check must use a TCP port the service publishes: one that can never pass is refused.
 */

/** What the user asks for (the construct's `HealthCheckOptions`). */
export interface HealthCheckInput {
  /**
   * Port to check; must be a published TCP port.
   * @default - the service's first TCP port
   */
  readonly port?: number;
  /**
   * Kind of check.
   * @default "TCP"
   */
  readonly type?: "TCP" | "HTTP" | "HTTPS";
  /**
   * Path of HTTP and HTTPS checks.
   * @default "/"
   */
  readonly resourcePath?: string;
  /**
   * Seconds between checks (10 or 30).
   * @default 30
   */
  readonly requestInterval?: number;
  /**
   * Consecutive failures before an address leaves the answer (1 to 10).
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** The settings of every address's `aws_route53_health_check`. */
export interface HealthCheckPlan {
  /** `TCP`, `HTTP` or `HTTPS`. */
  readonly type: "TCP" | "HTTP" | "HTTPS";
  /** A published TCP port. */
  readonly port: number;
  /** 10 or 30 seconds. */
  readonly requestInterval: number;
  /** 1 to 10. */
  readonly failureThreshold: number;
  /**
   * Path of HTTP and HTTPS checks, e.g. `/`.
   * @default - absent for TCP checks
   */
  readonly resourcePath?: string;
}

/** Checks and completes a health check request against the service's ports. */
export function planHealthCheck(hc: HealthCheckInput, ports: readonly Port[], origin: Origin): HealthCheckPlan {
  const tcp = ports.filter((p) => p.protocol === "tcp");
  const type = hc.type ?? "TCP";
  const port = hc.port ?? tcp[0]?.fromPort;
  if (port === undefined) {
    fail(origin, hc, "a service without a TCP port needs an explicit health check port (Route 53 checks TCP, HTTP or HTTPS)", "set dns.healthCheck.port to a TCP port the server answers on");
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(at(origin, ".port"), port, "ports run from 1 to 65535", "use a port between 1 and 65535");
  // Route 53 reaches the server only through the translator, which passes the published ports only.
  if (!tcp.some((p) => port >= p.fromPort && port <= p.toPort)) {
    fail(
      at(origin, ".port"),
      port,
      `is not a TCP port this service publishes (${ports.join(", ")}), so the translator drops every check, every address turns unhealthy and Route 53 answers with all of them (fails open)`,
      tcp.length ? `check a published TCP port (${tcp.join(", ")}), or publish tcp/${port}` : "publish a TCP port the server answers on and check it",
    );
  }
  if ((type === "HTTPS" && port === 80) || (type === "HTTP" && port === 443)) {
    fail(
      at(origin, hc.port === undefined ? ".type" : ".port"),
      hc.port ?? type,
      `${type} on port ${port}${hc.port === undefined ? " (the service's first TCP port, the default)" : ""}: port ${port} speaks ${type === "HTTPS" ? "plain HTTP" : "TLS"}, so every check fails`,
      `set port: ${type === "HTTPS" ? 443 : 80} (publishing it), or type: "${type === "HTTPS" ? "HTTP" : "HTTPS"}"`,
    );
  }
  if (type === "TCP" && hc.resourcePath !== undefined) {
    fail(at(origin, ".resourcePath"), hc.resourcePath, "applies to HTTP and HTTPS checks only; a TCP check opens a connection and would ignore it", 'set type: "HTTP" or "HTTPS", or remove resourcePath');
  }
  const interval = hc.requestInterval ?? 30;
  if (interval !== 10 && interval !== 30) fail(at(origin, ".requestInterval"), interval, "Route 53 checks every 10 or every 30 seconds", "use 10 or 30");
  const threshold = hc.failureThreshold ?? 3;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 10) fail(at(origin, ".failureThreshold"), threshold, "Route 53 accepts 1 to 10", "use a value from 1 to 10");
  return { type, port, requestInterval: interval, failureThreshold: threshold, resourcePath: type === "TCP" ? undefined : (hc.resourcePath ?? "/") };
}
