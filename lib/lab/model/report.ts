import { LabCheck, LabPhase } from "./checks";
import { table } from "./substitution";
import { LabTopology } from "./topology";

/** What a probe saw. */
export interface ProbeOutcome {
  readonly outcome: "answer" | "refused" | "timeout" | "error" | "skipped";
  /** The address the far end saw (from its answer). */
  readonly peer?: string;
  readonly text?: string;
  readonly ms?: number;
}

export interface LabCheckResult {
  readonly check: LabCheck;
  readonly status: "pass" | "fail" | "skip" | "n/a";
  readonly detail: string;
  /** The check's title and detail: names the service, the address and, on failure, the hop. */
  readonly message: string;
  readonly ms?: number;
}

/** The lab's devices and how each is emulated, for the printout. */
export function topologyLines(t: LabTopology): string[] {
  const lines: string[] = [];
  for (const x of t.translators) {
    lines.push(
      `translator ${x.key} (${x.zone}): pool6 ${x.prefix}${x.prefix.equals(x.deployedPrefix) ? "" : ` (deployed ${x.deployedPrefix})`}, ` +
        `${x.primaryIpv4} + ${x.secondaryIpv4.length} secondary IPv4 (routed, not configured), ${x.tayga.maps.length} map line(s)${x.enabled ? "" : ", disabled"}`,
    );
  }
  for (const s of t.services) {
    lines.push(`service ${s.key} -> server ${s.server} ${s.target}: ${s.ports.map(String).join(", ")}; ${s.addresses.map((a) => `${a.eip} = ${a.privateIpv4} on ${a.translator}`).join(", ")}`);
  }
  for (const n of t.nat64) lines.push(`NAT64 in ${n.zone} (${n.provider}): ${n.prefix} -> ${n.ipv4} -> EIP ${n.eip}, serves ${n.serves.join(", ")}`);
  for (const r of t.routeTables) {
    lines.push(`route table ${r.subnet}: ${r.routes.map((x) => `${x.destination} -> ${x.target.kind === "translator" ? x.target.id : x.target.kind === "nat64" ? `nat64 ${x.target.zone}` : x.target.kind}`).join(", ")}`);
  }
  return lines;
}

/** The check table, one section per phase. */
export function resultLines(phases: readonly LabPhase[], results: readonly LabCheckResult[]): string[] {
  const lines: string[] = [];
  phases.forEach((phase, p) => {
    const rows = results.filter((r) => r.check.phase === p);
    if (!rows.length) return;
    lines.push("", `phase ${p + 1}: ${phase.name}`);
    lines.push(
      ...table(
        ["#", "result", "check", "detail"],
        rows.map((r) => [r.check.id, r.status.toUpperCase(), r.check.title, `${r.detail}${r.ms !== undefined && r.status === "pass" ? ` [${r.ms} ms]` : ""}`]),
      ).map((l) => `  ${l}`),
    );
  });
  return lines;
}

export function summaryLine(results: readonly LabCheckResult[]): string {
  const count = (s: LabCheckResult["status"]) => results.filter((r) => r.status === s).length;
  return `${results.length} checks: ${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped, ${count("n/a")} not applicable`;
}
