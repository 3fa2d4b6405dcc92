import { Ipv4Address, Ipv6Address } from "../../plan/address/ip";
import { LabCheck, LabHop, LabProbe } from "./checks";
import { LabCheckResult, ProbeOutcome } from "./report";

/**
 * Judging a check: the probe's outcome against the expectation and, for a failure, the first hop
 * of the packets' path whose trace counter stayed at zero during the phase. The message always
 * names the service, the address (both in the check's title) and, on failure, the hop.
 */
/** Turns a probe's outcome and the phase's counters into a result whose message names the hop. */
export function evaluate(check: LabCheck, outcome: ProbeOutcome | undefined, delta: (hop: LabHop) => number): LabCheckResult {
  const result = (status: LabCheckResult["status"], detail: string): LabCheckResult => ({ check, status, detail, message: `${check.title}: ${detail}`, ms: outcome?.ms });
  if (check.notApplicable) return result("n/a", check.notApplicable);
  if (!check.probe) {
    const missing = (check.required ?? []).find((h) => delta(h) <= 0);
    if (missing) return result("fail", `no reply left through the translator it entered; hop: ${missing.blocked}`);
    const stray = (check.forbidden ?? []).find((h) => delta(h) > 0);
    if (stray) return result("fail", `${delta(stray)} reply packet(s) went astray; hop: ${stray.blocked}`);
    const counted = check.required?.length ? delta(check.required[check.required.length - 1]) : 0;
    return result("pass", `${counted} reply packet(s) left through it, none reached another translator`);
  }
  if (!outcome) return result("fail", "the probe was not run");
  if (outcome.outcome === "skipped") return result("skip", outcome.text ?? "skipped");
  const got = describeOutcome(check.probe, outcome);
  if (check.expect.answer) {
    if (outcome.outcome !== "answer") {
      const hop = check.hops.find((h) => delta(h) <= 0);
      return result("fail", `${got}; hop: ${hop ? hop.blocked : "every hop counted packets, yet no answer reached the client"}`);
    }
    const peer = check.expect.peer;
    if (peer && outcome.peer !== undefined && !samePeer(outcome.peer, peer.address)) {
      return result("fail", `answered, but the far end saw ${outcome.peer}, not ${peer.address} (${peer.what})`);
    }
    const missing = (check.required ?? []).find((h) => delta(h) <= 0);
    if (missing) return result("fail", `answered, but ${missing.blocked}`);
    const stray = (check.forbidden ?? []).find((h) => delta(h) > 0);
    if (stray) return result("fail", `answered, but ${stray.blocked} (${delta(stray)} packet(s))`);
    return result("pass", peer && outcome.peer !== undefined ? `answered; the far end saw ${outcome.peer} (${peer.what})` : `answered${outcome.text ? `: ${outcome.text}` : ""}`);
  }
  const icmp = check.expect.icmpError;
  if (icmp !== undefined && outcome.outcome !== "answer") {
    if (outcome.text?.includes(icmp)) return result("pass", `${outcome.text}, as expected (${check.expect.because ?? "an ICMP error"})`);
    const hop = check.hops.find((h) => delta(h) <= 0);
    return result("fail", `${got}, not "${icmp}"; hop: ${hop ? hop.blocked : "every hop counted packets"}`);
  }
  if (outcome.outcome === "answer") {
    const admitted = (check.guards ?? []).filter((g) => delta(g.hop) > 0).map((g) => g.admitted);
    return result("fail", `answered although ${check.expect.because ?? "it must not"}; hop: ${admitted.length ? admitted.join("; ") : "no filter stopped it"}`);
  }
  const passed = (check.forbidden ?? []).find((h) => delta(h) > 0);
  if (passed) return result("fail", `${got}, but ${passed.blocked}`);
  return result("pass", `${got}, as expected (${check.expect.because ?? "blocked"})`);
}

function describeOutcome(probe: LabProbe, o: ProbeOutcome): string {
  switch (o.outcome) {
    case "answer":
      return "answered";
    case "refused":
      return `refused${o.text ? ` (${o.text})` : ""}`;
    case "timeout":
      return `no answer within ${probe.timeoutMs} ms`;
    case "error":
      return `error ${o.text ?? ""}`.trim();
    case "skipped":
      return "skipped";
  }
}

function samePeer(seen: string, expected: string): boolean {
  const clean = seen.replace(/^::ffff:/, "");
  try {
    if (expected.includes(":")) return Ipv6Address.parse(clean).equals(Ipv6Address.parse(expected));
    return Ipv4Address.parse(clean).equals(Ipv4Address.parse(expected));
  } catch {
    return false;
  }
}

