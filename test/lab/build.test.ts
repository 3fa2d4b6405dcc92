import { hopKey, labBuild } from "../../lib/lab/model/build";
import { labChecks } from "../../lib/lab/model/checks";
import { LabFault } from "../../lib/lab/model/input";
import { referenceInput, referenceLab } from "./support";

/**
 * The lab as commands: everything it creates lives in namespaces named with the run's prefix, so
 * no packet, address or process of the lab touches the host or anything outside.
 */

const input = referenceInput();
const PREFIX = "sdlab-test1";
const buildOf = (faults: LabFault[] = []) => {
  const { topology, layout } = referenceLab({ faults }, input);
  const checks = labChecks(topology, layout);
  return { build: labBuild(layout, checks, { prefix: PREFIX, runDir: "/tmp/lab-run" }), checks };
};
const { build, checks } = buildOf();

/** Command lines of a script, with `ip -batch` heredoc bodies attached to their `ip -n NS` line. */
function commands(script: string): { line: string; batch: string[] }[] {
  const out: { line: string; batch: string[] }[] = [];
  let batch: string[] | undefined;
  for (const line of script.split("\n")) {
    if (batch) {
      if (line === "EOF") batch = undefined;
      else batch.push(line);
      continue;
    }
    if (!line.trim() || line.startsWith("#") || line.startsWith("set ") || line.startsWith("trap ")) continue;
    const entry = { line, batch: [] as string[] };
    out.push(entry);
    if (line.endsWith("<<'EOF'")) batch = entry.batch;
  }
  return out;
}

describe("the setup script", () => {
  test("one namespace per role, all named with the run's prefix", () => {
    expect([...build.namespaces.entries()]).toEqual(
      ["inet", "igw", "vpc", "x0", "x1", "s0", "s1", "s2", "n0", "n1"].map((role) => [role, `${PREFIX}-${role}`]),
    );
  });

  test("every command acts inside the lab's own namespaces (never the host's)", () => {
    const ns = `${PREFIX}-[a-z0-9]+`;
    const allowed = [
      new RegExp(`^ip netns add ${ns}$`),
      new RegExp(`^ip netns exec ${ns} (sysctl -qw [a-z0-9_.=\\s]+|nft -f /tmp/lab-run/[a-z0-9]+\\.nft|tayga --mktun -c /tmp/lab-run/[a-z0-9]+\\.tayga\\.conf >/dev/null)$`),
      new RegExp(`^ip( -6)? -n ${ns} `),
      new RegExp(`^ip link add [a-z0-9]+ index \\d+ netns ${ns} type veth peer name [a-z0-9]+ index \\d+ netns ${ns}$`),
    ];
    const all = [...commands(build.namespaceScript), ...commands(build.networkScript)];
    expect(all.length).toBeGreaterThan(40);
    for (const c of all) expect([c.line, allowed.some((re) => re.test(c.line))]).toEqual([c.line, true]);
    for (const d of build.daemons) expect((d.kind === "process" ? d.argv : d.start).slice(0, 4)).toEqual(["ip", "netns", "exec", expect.stringMatching(new RegExp(`^${ns}$`))]);
  });

  test("DAD is off before any link exists, and every veth end has its own interface index", () => {
    const part1 = build.namespaceScript;
    for (const ns of build.namespaces.values()) expect(part1).toContain(`ip netns exec ${ns} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`);
    expect(part1).not.toContain("ip link add");
    const indexes = [...build.networkScript.matchAll(/ index (\d+) /g)].map((m) => Number(m[1]));
    expect(new Set(indexes).size).toBe(indexes.length);
  });

  test("VPC routing as planned: a table per server subnet, chosen by the incoming link", () => {
    const vpc = commands(build.networkScript).filter((c) => c.line.includes(`${PREFIX}-vpc`));
    // As `ip` runs them in the vpc namespace: `-6 ` for IPv6-only commands, batch lines as they are.
    const all = vpc.flatMap((c) => {
      const six = c.line.startsWith("ip -6") ? "-6 " : "";
      return c.batch.length ? c.batch.map((b) => `${six}${b}`) : [`${six}${c.line.replace(/^ip (-6 )?-n \S+ /, "")}`];
    });
    expect(all).toEqual(
      expect.arrayContaining([
        "route add 10.0.0.65/32 via 10.0.0.10 dev x0",
        "route add ::/0 via fe80::2 dev igw table 100",
        "route add 2001:db8:64::/96 via 2001:db8:100::a dev x0 table 100",
        "route add 2001:db8:64:1::/96 via 2001:db8:100:1::a dev x1 table 100",
        "route add 64:ff9b::/96 via 2001:db8:100::8 dev n0 table 100",
        "route add 64:ff9b::/96 via 2001:db8:100:1::8 dev n1 table 101",
        "-6 rule add pref 100 to 2001:db8:100::/56 lookup main",
        "-6 rule add pref 200 iif s0 lookup 100",
        "-6 rule add pref 300 iif s0 blackhole",
        "-6 rule add pref 200 iif s1 lookup 101",
        "-6 rule add pref 200 iif s2 lookup 100",
      ]),
    );
    const broken = buildOf([{ kind: "drop-route", translator: "a0", subnet: "servers-eu-north-1a" }]).build.networkScript;
    expect(broken).not.toContain("route add 2001:db8:64::/96 via 2001:db8:100::a dev x0 table 100");
    expect(broken).toContain("route add 2001:db8:64::/96 via 2001:db8:100::a dev x0 table 101");
  });

  test("translators: the private secondary IPv4s are routed to the namespace, never configured; only mapped IPv4 goes into the TUN", () => {
    const x0 = commands(build.networkScript).filter((c) => c.line.includes(`${PREFIX}-x0`));
    const lines = x0.flatMap((c) => (c.batch.length ? c.batch : [c.line]));
    expect(lines.filter((l) => l.startsWith("addr add"))).toEqual(["addr add 10.0.0.10/32 dev eni", "addr add 2001:db8:100::a/128 dev eni nodad"]);
    expect(lines).toEqual(expect.arrayContaining(["route add 10.0.0.65/32 dev siit", "route add 10.0.0.66/32 dev siit", "route add 192.0.0.8/32 dev siit", "route add 2001:db8:64::/96 dev siit"]));
    expect(build.files.get("x0.tayga.conf")).toContain("map 10.0.0.65 2001:db8:100:10::10\n");
    const noEam = buildOf([{ kind: "drop-eam", translator: "a0", service: "www" }]).build;
    expect(noEam.networkScript).not.toContain("route add 10.0.0.65/32 dev siit");
    expect(noEam.files.get("x0.tayga.conf")).not.toContain("map 10.0.0.65 ");
  });

  test("processes: tayga per translator and NAT64 (pid files absolute), a small server per published server and the internet", () => {
    expect(build.daemons.map((d) => [d.role, d.label, (d.kind === "process" ? d.argv : d.start).slice(4).join(" ")])).toEqual([
      ["x0", "tayga of translator a0", "stdbuf -oL tayga -d -c /tmp/lab-run/x0.tayga.conf -p /tmp/lab-run/x0.pid"],
      ["x1", "tayga of translator b0", "stdbuf -oL tayga -d -c /tmp/lab-run/x1.tayga.conf -p /tmp/lab-run/x1.pid"],
      ["n0", "tayga of the NAT64 in eu-north-1a", "stdbuf -oL tayga -d -c /tmp/lab-run/n0.tayga.conf -p /tmp/lab-run/n0.pid"],
      ["n1", "tayga of the NAT64 in eu-north-1b", "stdbuf -oL tayga -d -c /tmp/lab-run/n1.tayga.conf -p /tmp/lab-run/n1.pid"],
    ]);
    expect(build.agents.map((a) => [a.role, a.listen.map((l) => `${l.protocol} [${l.host}]:${l.port}`)])).toEqual([
      ["inet", ["tcp [100.64.0.20]:80"]],
      ["s0", ["tcp [::]:80", "tcp [::]:443", "udp [::]:123", "tcp [::]:8080"]],
      ["s1", ["tcp [::]:80", "tcp [::]:443", "udp [::]:123", "tcp [::]:8080"]],
      ["s2", ["tcp [::]:80", "tcp [::]:443", "udp [::]:123", "tcp [::]:8080"]],
    ]);
  });

  test("every hop of every check has a trace counter in its namespace's ruleset", () => {
    const hops = checks.checks.flatMap((c) => [...c.hops, ...(c.required ?? []), ...(c.forbidden ?? [])]);
    for (const hop of hops) {
      const id = build.counters.get(hopKey(hop));
      expect(id).toBeDefined();
      expect(build.files.get(`${hop.role}.nft`)).toContain(`${hop.match} counter comment "${id}"`);
    }
  });
});
