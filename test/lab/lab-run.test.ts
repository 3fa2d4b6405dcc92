import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labUnavailable, PacketLab, removeNamespaces, staleLabNamespaces } from "../../lib/lab/runner";
import { LabFault } from "../../lib/lab/model/input";
import { buildLabTopology } from "../../lib/lab/model/topology";
import { gate } from "../support/tiers";
import { referenceInput } from "./support";

/**
 * The packet lab tier: the whole lab on the bundled example, as root with tayga, nftables and
 * iproute2. Without them it skips loudly; under CI=true it fails. Every run must leave no
 * namespace and no process behind, also when checks fail or the run is interrupted.
 */

const root = path.resolve(__dirname, "../..");
const tier = gate("packet lab", labUnavailable());
const input = referenceInput();

function namespacesWith(prefix: string): string[] {
  return spawnSync("ip", ["netns", "list"], { encoding: "utf8" })
    .stdout.split("\n")
    .map((l) => l.split(" ")[0])
    .filter((n) => n.startsWith(`${prefix}-`));
}

function processesIn(names: readonly string[]): string {
  return names.map((n) => spawnSync("ip", ["netns", "pids", n], { encoding: "utf8" }).stdout.trim()).join(" ").trim();
}

function lab(faults: LabFault[] = [], options: ConstructorParameters<typeof PacketLab>[1] = {}): PacketLab {
  return new PacketLab(buildLabTopology(input, { faults }), { strict: process.env.CI === "true", ...options });
}

/**
 * How much longer than the lab's own timeouts a probe may take on this machine now: on an
 * oversubscribed machine (the other tiers side by side) a healthy answer can miss 2 s, and a fault
 * test would then list a failure its fault did not cause. The messages keep the unscaled timeouts.
 */
function loadScale(): number {
  return Math.max(1, os.loadavg()[0] / os.cpus().length);
}

async function failuresOf(faults: LabFault[], options: ConstructorParameters<typeof PacketLab>[1] = {}): Promise<string[]> {
  const l = lab(faults, { phases: [0], timeoutScale: loadScale(), ...options });
  const result = await l.run();
  expect(namespacesWith(l.prefix)).toEqual([]);
  expect(result.ok).toBe(false);
  return result.results.filter((r) => r.status === "fail").map((r) => r.message);
}

tier("packet lab: the bundled example in network namespaces (root, tayga, nft, ip)", () => {
  test("every check passes, in under 10 s, and the lab leaves nothing behind", async () => {
    const l = lab();
    const loadBefore = os.loadavg()[0];
    const started = performance.now();
    const result = await l.run();
    const seconds = (performance.now() - started) / 1000;
    const failed = result.results.filter((r) => r.status === "fail" || r.status === "skip").map((r) => r.message);
    expect(failed).toEqual([]);
    expect(result.results.filter((r) => r.status === "pass")).toHaveLength(62);
    expect(result.results.filter((r) => r.status === "n/a").map((r) => r.message)).toEqual(["ntp with translator b0 stopped: ntp has no other address: only translator b0 carries it"]);
    expect(result.ok).toBe(true);
    // The budget is 10 s on this 2-core machine. When the machine is oversubscribed (other test
    // tiers, terraform, other jobs: load above the core count), the budget grows with the load,
    // and the test says so loudly rather than failing for someone else's CPU use.
    const busy = Math.max(loadBefore, os.loadavg()[0]) / os.cpus().length;
    const budget = 10 * Math.max(1, busy);
    const line = `packet lab: ${result.results.length} checks in ${seconds.toFixed(2)} s (build ${(result.timings.buildMs / 1000).toFixed(2)} s, checks ${(result.timings.checksMs / 1000).toFixed(2)} s); budget ${budget.toFixed(1)} s`;
    if (busy > 1) console.warn(`${line}: the machine is oversubscribed (load ${(busy * os.cpus().length).toFixed(1)} on ${os.cpus().length} cores), so the 10 s budget is scaled`);
    else console.log(line);
    expect(seconds).toBeLessThan(budget);
    expect(namespacesWith(l.prefix)).toEqual([]);
    expect(fs.existsSync(result.runDir)).toBe(false);
  });

  test("server-initiated IPv4 through a translator: only mail (outboundIpv4) gets out, from its own EIPs, and back through the translator filter", async () => {
    const withMail = referenceInput({ services: ["www", "api", "ntp", "mail"], translatorInstanceType: "c7gn.large" });
    const l = new PacketLab(buildLabTopology(withMail), { strict: process.env.CI === "true", phases: [0], timeoutScale: loadScale() });
    const result = await l.run();
    expect(namespacesWith(l.prefix)).toEqual([]);
    expect(result.results.filter((r) => r.status !== "pass" && r.status !== "n/a").map((r) => r.message)).toEqual([]);
    const outbound = result.results.filter((r) => r.check.kind === "ipv4-outbound").map((r) => r.message);
    expect(outbound).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mail: server Web\[3\] -> IPv4-only host 100\.64\.\S+ through translator a0 tcp\/80 \(outboundIpv4\): answered; the far end saw 203\.0\.113\.\d+ \(mail's EIP via translator a0\)$/),
        expect.stringMatching(/^mail: .* through translator b0 .*\(outboundIpv4\): answered; the far end saw 203\.0\.113\.\d+ \(mail's EIP via translator b0\)$/),
        expect.stringMatching(/^api: server Web\[1\] -> .* through translator a0 .*\(no outboundIpv4\): no answer within \d+ ms, as expected \(api does not set outboundIpv4\)$/),
      ]),
    );
    expect(outbound).toHaveLength(7);
  });

  test("(i) a missing EAM entry fails, naming the service, the address and the hop (ICMP sent with python3 here)", async () => {
    const failures = await failuresOf([{ kind: "drop-eam", translator: "a0", service: "www" }], { icmpTool: "python3" });
    expect(failures).toEqual([
      "www via EIP 203.0.113.1 (translator a0) tcp/80: no answer within 2000 ms; hop: translator a0 EAM 10.0.0.65 -> 2001:db8:100:10::10 missing (without it, denylist4 10.0.0.64/31 drops the packet)",
      "www via EIP 203.0.113.1 (translator a0) tcp/443: no answer within 2000 ms; hop: translator a0 EAM 10.0.0.65 -> 2001:db8:100:10::10 missing (without it, denylist4 10.0.0.64/31 drops the packet)",
      "www via EIP 203.0.113.1 (translator a0) icmp/echo: no answer within 2000 ms; hop: translator a0 EAM 10.0.0.65 -> 2001:db8:100:10::10 missing (without it, denylist4 10.0.0.64/31 drops the packet)",
      'www via EIP 203.0.113.1 (translator a0) tcp/80: reply leaves through a0: no reply left through the translator it entered; hop: server Web[0] sent no reply to 2001:db8:64::c633:6407: the request did not get through (see the check "www via EIP 203.0.113.1 (translator a0) tcp/80")',
    ]);
  });

  test("(ii) a missing /96 route (the return path) fails, naming the route table and the translator", async () => {
    const failures = await failuresOf([{ kind: "drop-route", translator: "a0", subnet: "servers-eu-north-1b" }]);
    expect(failures).toEqual([
      "api via EIP 203.0.113.3 (translator a0) tcp/443: no answer within 2000 ms; hop: VPC route table servers-eu-north-1b has no route for 2001:db8:64::/96 -> translator a0: the reply to 2001:db8:64::c633:6407 follows ::/0 to the internet gateway",
      "api via EIP 203.0.113.3 (translator a0) tcp/443: reply leaves through a0: no reply left through the translator it entered; hop: VPC route table servers-eu-north-1b has no route for 2001:db8:64::/96 -> translator a0: the reply to 2001:db8:64::c633:6407 follows ::/0 to the internet gateway",
    ]);
  });

  test("(ii) a /96 routed to the wrong translator fails the same way, and the reply is seen at the wrong one", async () => {
    const failures = await failuresOf([{ kind: "misroute", translator: "b0", to: "a0", subnet: "servers-eu-north-1a" }]);
    expect(failures).toContainEqual(
      "ntp via EIP 203.0.113.5 (translator b0) udp/123: no answer within 2000 ms; hop: VPC route table servers-eu-north-1a routes 2001:db8:64:1::/96 to translator a0, not b0: the reply goes to the wrong translator",
    );
    expect(failures).toContainEqual(expect.stringMatching(/^ntp via EIP 203\.0\.113\.5 \(translator b0\) udp\/123: reply leaves through b0: no reply left through the translator it entered; hop: VPC route table servers-eu-north-1a routes/));
    expect(failures.every((f) => /^(www|ntp) via EIP 203\.0\.113\.[25] \(translator b0\)/.test(f))).toBe(true);
  });

  test("(iii) a missing security group rule (a port not admitted on the server) fails, naming the group", async () => {
    // A fractional timeout scale, as loadScale() gave on a CI run: the lab's timers take whole milliseconds.
    const failures = await failuresOf([{ kind: "drop-server-rule", port: "udp/123" }], { timeoutScale: 2.095 });
    expect(failures).toEqual([
      "ntp via EIP 203.0.113.5 (translator b0) udp/123: no answer within 2000 ms; hop: server security group test/Web/SecurityGroup admits no udp/123 from 2001:db8:64:1::/96 (translator b0's prefix)",
      "ntp direct from IPv6 client to 2001:db8:100:10::11 udp/123: no answer within 2000 ms; hop: server security group test/Web/SecurityGroup admits no udp/123 from the IPv6 client 2001:db8:ffff::7",
      'ntp via EIP 203.0.113.5 (translator b0) udp/123: reply leaves through b0: no reply left through the translator it entered; hop: server Web[2] sent no reply to 2001:db8:64:1::c633:6407: the request did not get through (see the check "ntp via EIP 203.0.113.5 (translator b0) udp/123")',
    ]);
  });

  test("an interrupt (SIGINT) removes the lab's namespaces and processes at once", async () => {
    const exits: number[] = [];
    const l = lab([], { exit: (code) => exits.push(code), log: (line) => line.startsWith("lab built") && process.emit("SIGINT") });
    const names = [...l.plan.namespaces.values()];
    await expect(l.run()).rejects.toThrow(/interrupted/);
    expect(exits).toEqual([130]);
    expect(namespacesWith(l.prefix)).toEqual([]);
    expect(processesIn(names)).toBe("");
  });

  test("namespaces of a lab run killed with SIGKILL are found by name and removed with their processes; a live run's are not", () => {
    let dead = 4_000_000;
    while (fs.existsSync(`/proc/${dead}`)) dead++;
    const stale = `sdlab-${dead.toString(36)}beef-x0`;
    const live = `sdlab-${process.pid.toString(36)}beef-x0`;
    for (const n of [stale, live]) expect(spawnSync("ip", ["netns", "add", n]).status).toBe(0);
    const sleeper = spawn("ip", ["netns", "exec", stale, "sleep", "30"], { stdio: "ignore" });
    try {
      const deadline = Date.now() + 2000;
      while (!processesIn([stale]) && Date.now() < deadline) spawnSync("sleep", ["0.01"]);
      expect(processesIn([stale])).not.toBe("");
      expect(staleLabNamespaces()).toContain(stale);
      expect(staleLabNamespaces()).not.toContain(live);
      removeNamespaces(staleLabNamespaces().filter((n) => n === stale));
      expect(namespacesWith(`sdlab-${dead.toString(36)}beef`)).toEqual([]);
    } finally {
      sleeper.kill("SIGKILL");
      removeNamespaces([stale, live]);
    }
    expect(namespacesWith(`sdlab-${process.pid.toString(36)}beef`)).toEqual([]);
  });

  const cli = path.join(root, "dist/scripts/lab.js");
  const fresh = fs.existsSync(cli) && fs.statSync(cli).mtimeMs >= fs.statSync(path.join(root, "lib/lab/runner.ts")).mtimeMs;
  (fresh ? test : test.skip)("npm run lab (dist/scripts/lab.js), interrupted with SIGTERM, exits 143 and leaves nothing behind", async () => {
    const child = spawn(process.execPath, [cli], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let prefix = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d) => {
        output += d;
        const m = /lab built in \d+ ms \(namespaces (sdlab-[a-z0-9]+)-\*\)/.exec(output);
        if (m && !prefix) {
          prefix = m[1];
          child.kill("SIGTERM");
        }
      });
      child.on("close", () => resolve());
    });
    expect(child.exitCode ?? child.signalCode).toBe(143);
    expect(prefix).not.toBe("");
    expect(namespacesWith(prefix)).toEqual([]);
  });
  (fresh ? test : test.skip)("npm run lab as a user other than root: a clear message and exit status 2", () => {
    const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, cli], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("siit-dc lab: the packet lab needs root (network namespaces, TUN devices, nftables)");
  });
  if (!fresh) console.warn(`packet lab: the CLI interrupt test needs a fresh build (npm run build); ${cli} is missing or older than the sources`);
});
