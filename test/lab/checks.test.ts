import { LabCheck, labChecks, LabHop } from "../../lib/lab/model/checks";
import { evaluate } from "../../lib/lab/model/evaluate";
import { LabFault } from "../../lib/lab/model/input";
import { resultLines, summaryLine } from "../../lib/lab/model/report";
import { referenceInput, referenceLab } from "./support";

/**
 * The checks, as data: what each probe expects and the hops its packets take. Judging them with
 * made-up counters shows that a failure names the service, the address and the hop.
 */

const input = referenceInput();
const checksOf = (faults: LabFault[] = []) => {
  const { topology, layout } = referenceLab({ faults }, input);
  return labChecks(topology, layout);
};
const checks = checksOf();
const find = (c: { checks: readonly LabCheck[] }, title: string) => {
  const check = c.checks.find((x) => x.title === title);
  if (!check) throw new Error(`no check "${title}"`);
  return check;
};
/** Counters: every hop counted packets, except the ones given. */
const countsExcept = (...zero: LabHop[]) => (hop: LabHop) => (zero.some((z) => z.role === hop.role && z.chain === hop.chain && z.match === hop.match) ? 0 : 3);

describe("the reference example's checks", () => {
  test("phases: all translators up, then each translator stopped in turn", () => {
    expect(checks.phases).toEqual([{ name: "all translators up" }, { name: "translator a0 stopped", stop: "a0" }, { name: "translator b0 stopped", stop: "b0" }]);
  });

  test("every published service and address, each kind of check", () => {
    const count = (kind: string) => checks.checks.filter((c) => c.kind === kind && !c.notApplicable).length;
    expect({
      "ipv4-via-eip": count("ipv4-via-eip"),
      "ipv4-undeclared": count("ipv4-undeclared"),
      "ipv6-direct": count("ipv6-direct"),
      "ipv6-undeclared": count("ipv6-undeclared"),
      "symmetric-return": count("symmetric-return"),
      nat64: count("nat64"),
      failover: count("failover"),
      stopped: count("stopped"),
      "not applicable": checks.checks.filter((c) => c.notApplicable).length,
    }).toEqual({ "ipv4-via-eip": 9, "ipv4-undeclared": 16, "ipv6-direct": 5, "ipv6-undeclared": 10, "symmetric-return": 5, nat64: 3, failover: 4, stopped: 5, "not applicable": 1 });
    // Declared equals exposed: every port another service declares is probed at each address of
    // a service that does not declare it, over IPv4 and IPv6 (not only a port nobody declares).
    const undeclared = (service: string, kind: string) => [...new Set(checks.checks.filter((c) => c.kind === kind && c.title.startsWith(`${service} `)).map((c) => c.title.replace(/^.*undeclared /, "")))].sort();
    for (const kind of ["ipv4-undeclared", "ipv6-undeclared"]) {
      expect(undeclared("api", kind)).toEqual(["icmp/echo", "tcp/80", "tcp/8080", "udp/123"]);
      expect(undeclared("www", kind)).toEqual(["tcp/8080", "udp/123"]);
      expect(undeclared("ntp", kind)).toEqual(["icmp/echo", "tcp/443", "tcp/80", "tcp/8080"]);
    }
    expect(checks.checks.filter((c) => c.phase === 0 && c.kind === "ipv4-via-eip").map((c) => c.title)).toEqual([
      "www via EIP 203.0.113.1 (translator a0) tcp/80",
      "www via EIP 203.0.113.1 (translator a0) tcp/443",
      "www via EIP 203.0.113.1 (translator a0) icmp/echo",
      "www via EIP 203.0.113.2 (translator b0) tcp/80",
      "www via EIP 203.0.113.2 (translator b0) tcp/443",
      "www via EIP 203.0.113.2 (translator b0) icmp/echo",
      "api via EIP 203.0.113.3 (translator a0) tcp/443",
      "api via EIP 203.0.113.4 (translator b0) tcp/443",
      "ntp via EIP 203.0.113.5 (translator b0) udp/123",
    ]);
  });

  test("an IPv4 check: probe from the internet to the EIP; the server must see the client inside that translator's /96", () => {
    const c = find(checks, "www via EIP 203.0.113.1 (translator a0) tcp/80");
    expect(c.probe).toEqual({ from: "inet", protocol: "tcp", destination: "203.0.113.1", port: 80, timeoutMs: 2000 });
    expect(c.expect).toEqual({ answer: true, peer: { address: "2001:db8:64::c633:6407", what: "the client inside translator a0's 2001:db8:64::/96" } });
    expect(c.hops.map((h) => `${h.role} ${h.chain}`)).toEqual([
      "igw pre",
      "igw fwd_late",
      "vpc fwd_late",
      "x0 fwd_early",
      "x0 fwd_mid",
      "x0 fwd_late",
      "x0 fwd_late",
      "vpc fwd_late",
      "s0 in_early",
      "s0 in_late",
      "s0 out",
      "vpc fwd_early",
      "vpc fwd_late",
      "x0 fwd_early",
      "x0 fwd_late",
      "igw fwd_late",
    ]);
    expect(c.hops[12].match).toBe('iifname "s0" oifname "x0" ip6 saddr 2001:db8:100:10::10 ip6 daddr 2001:db8:64::c633:6407 tcp sport 80');
  });

  test("the NAT64 check: each server, by a 64:ff9b::/96 address, through its zone's NAT64; the host sees that NAT64's EIP", () => {
    expect(checks.checks.filter((c) => c.kind === "nat64").map((c) => [c.title, c.probe?.from, c.expect])).toEqual([
      ["server Web[0] -> IPv4-only host 100.64.0.20 as 64:ff9b::6440:14 tcp/80 via the NAT64 in eu-north-1a", "s0", { answer: true, peer: { address: "192.0.2.1", what: "the EIP of the NAT64 in eu-north-1a" } }],
      ["server Web[1] -> IPv4-only host 100.64.0.20 as 64:ff9b::6440:14 tcp/80 via the NAT64 in eu-north-1b", "s1", { answer: true, peer: { address: "192.0.2.2", what: "the EIP of the NAT64 in eu-north-1b" } }],
      ["server Web[2] -> IPv4-only host 100.64.0.20 as 64:ff9b::6440:14 tcp/80 via the NAT64 in eu-north-1a", "s2", { answer: true, peer: { address: "192.0.2.1", what: "the EIP of the NAT64 in eu-north-1a" } }],
    ]);
  });

  test("failover: with a translator stopped, the other addresses answer and the stopped one does not; a single-address service is n/a", () => {
    expect(checks.checks.filter((c) => c.phase === 2).map((c) => [c.kind, c.title, c.expect.answer])).toEqual([
      ["failover", "www via EIP 203.0.113.1 (translator a0) tcp/80 with translator b0 stopped", true],
      ["stopped", "www via EIP 203.0.113.2 (translator b0) tcp/80 while b0 is stopped", false],
      ["failover", "api via EIP 203.0.113.3 (translator a0) tcp/443 with translator b0 stopped", true],
      ["stopped", "api via EIP 203.0.113.4 (translator b0) tcp/443 while b0 is stopped", false],
      ["failover", "ntp with translator b0 stopped", true],
      ["stopped", "ntp via EIP 203.0.113.5 (translator b0) udp/123 while b0 is stopped", false],
    ]);
    expect(find(checks, "ntp with translator b0 stopped").notApplicable).toBe("ntp has no other address: only translator b0 carries it");
  });
});

describe("a broken plan fails with a message naming the service, the address and the hop", () => {
  const answerless = { outcome: "timeout" as const, ms: 2000 };

  test("(i) a missing EAM entry", () => {
    const c = find(checksOf([{ kind: "drop-eam", translator: "a0", service: "www" }]), "www via EIP 203.0.113.1 (translator a0) tcp/80");
    const r = evaluate(c, answerless, countsExcept(...c.hops.slice(5)));
    expect(r.status).toBe("fail");
    expect(r.message).toBe(
      "www via EIP 203.0.113.1 (translator a0) tcp/80: no answer within 2000 ms; hop: translator a0 EAM 10.0.0.65 -> 2001:db8:100:10::10 missing (without it, denylist4 10.0.0.64/31 drops the packet)",
    );
  });

  test("(ii) a missing /96 route: the reply takes ::/0 to the internet gateway", () => {
    const c = find(checksOf([{ kind: "drop-route", translator: "a0", subnet: "servers-eu-north-1a" }]), "www via EIP 203.0.113.1 (translator a0) tcp/80");
    const r = evaluate(c, answerless, countsExcept(...c.hops.slice(12)));
    expect(r.message).toBe(
      "www via EIP 203.0.113.1 (translator a0) tcp/80: no answer within 2000 ms; hop: VPC route table servers-eu-north-1a has no route for 2001:db8:64::/96 -> translator a0: the reply to 2001:db8:64::c633:6407 follows ::/0 to the internet gateway",
    );
  });

  test("(ii) a wrong /96 route: the reply goes to the other translator, and the return-path check says so", () => {
    const broken = checksOf([{ kind: "misroute", translator: "a0", to: "b0" }]);
    const c = find(broken, "www via EIP 203.0.113.1 (translator a0) tcp/80");
    expect(evaluate(c, answerless, countsExcept(...c.hops.slice(12))).message).toMatch(/; hop: VPC route table servers-eu-north-1a routes 2001:db8:64::\/96 to translator b0, not a0: the reply goes to the wrong translator$/);
    const ret = find(broken, "www via EIP 203.0.113.1 (translator a0) tcp/80: reply leaves through a0");
    const strayAtB0 = (hop: LabHop) => (ret.forbidden!.includes(hop) ? 2 : ret.required!.slice(1).includes(hop) ? 0 : 3);
    expect(evaluate(ret, undefined, strayAtB0).message).toBe(
      "www via EIP 203.0.113.1 (translator a0) tcp/80: reply leaves through a0: no reply left through the translator it entered; hop: VPC route table servers-eu-north-1a routes 2001:db8:64::/96 to translator b0, not a0: the reply goes to the wrong translator",
    );
  });

  test("(iii) a missing security group rule: the port is not admitted on the server", () => {
    const c = find(checksOf([{ kind: "drop-server-rule", port: "tcp/80" }]), "www via EIP 203.0.113.1 (translator a0) tcp/80");
    const r = evaluate(c, answerless, countsExcept(...c.hops.slice(9)));
    expect(r.message).toBe("www via EIP 203.0.113.1 (translator a0) tcp/80: no answer within 2000 ms; hop: server security group test/Web/SecurityGroup admits no tcp/80 from 2001:db8:64::/96 (translator a0's prefix)");
  });

  test("an undeclared port that answers names the group that let it through", () => {
    const c = find(checks, "www via EIP 203.0.113.1 (translator a0) undeclared tcp/8080");
    const r = evaluate(c, { outcome: "answer", peer: "2001:db8:64::c633:6407", ms: 3 }, () => 1);
    expect(r.message).toBe(
      "www via EIP 203.0.113.1 (translator a0) undeclared tcp/8080: answered although www does not declare tcp/8080; hop: translator security group test/Edge/SecurityGroup admitted undeclared tcp/8080; server security group test/Web/SecurityGroup admitted undeclared tcp/8080 from 2001:db8:64::/96",
    );
    expect(evaluate(c, { outcome: "timeout", ms: 600 }, () => 0).status).toBe("pass");
    expect(evaluate(c, { outcome: "refused", ms: 1 }, () => 0).status).toBe("pass");
  });

  test("the server seeing the client outside the translator's /96 fails, naming both", () => {
    const c = find(checks, "www via EIP 203.0.113.2 (translator b0) tcp/80");
    expect(evaluate(c, { outcome: "answer", peer: "2001:db8:64::c633:6407", ms: 2 }, () => 1).message).toBe(
      "www via EIP 203.0.113.2 (translator b0) tcp/80: answered, but the far end saw 2001:db8:64::c633:6407, not 2001:db8:64:1::c633:6407 (the client inside translator b0's 2001:db8:64:1::/96)",
    );
  });

  test("the table: one section per phase, and a summary", () => {
    const c = find(checks, "www via EIP 203.0.113.1 (translator a0) tcp/80");
    const results = [evaluate(c, { outcome: "answer", peer: "2001:db8:64::c633:6407", ms: 4 }, () => 1), evaluate(find(checks, "ntp with translator b0 stopped"), undefined, () => 0)];
    const lines = resultLines(checks.phases, results);
    expect(lines[1]).toBe("phase 1: all translators up");
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}1 +PASS +www via EIP 203\.0\.113\.1 \(translator a0\) tcp\/80 +answered; the far end saw 2001:db8:64::c633:6407 .* \[4 ms\]$/));
    expect(lines).toContainEqual(expect.stringMatching(/N\/A +ntp with translator b0 stopped +ntp has no other address/));
    expect(summaryLine(results)).toBe("2 checks: 1 passed, 0 failed, 0 skipped, 1 not applicable");
  });
});
