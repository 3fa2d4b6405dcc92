import { ChildProcess, spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createInterface } from "readline";
import { hopKey, LabBuild, labBuild, LabDaemon } from "./model/build";
import { LabCheck, labChecks, LabChecks, LabHop, LabProbe } from "./model/checks";
import { evaluate } from "./model/evaluate";
import { LabInput } from "./model/input";
import { LabLayout } from "./model/layout";
import { LabCheckResult, ProbeOutcome } from "./model/report";
import { buildLabTopology, LabOptions, LabTopology } from "./model/topology";
import { AGENT_SOURCE, PYTHON_PING_SOURCE } from "./agent";

/**
 * The packet lab runner: builds the topology's data plane in network namespaces, starts tayga
 * and the small servers, sends the probes phase by phase, reads the trace counters, and always
 * removes what it made (its namespaces and processes, and only those), also on SIGINT/SIGTERM.
 */

export interface LabRunOptions extends LabOptions {
  /** Only these phases (indexes), e.g. [0] for the "all translators up" phase. */
  readonly phases?: readonly number[];
  /** Keep the run directory (configs, rulesets, logs) after the run. */
  readonly keepFiles?: boolean;
  /** Count skipped checks (no `ping` for ICMP) as failures. */
  readonly strict?: boolean;
  /** Progress lines (build, phases). */
  readonly log?: (line: string) => void;
  /** After SIGINT/SIGTERM and clean-up: exit with this code (default process.exit; tests replace it). */
  readonly exit?: (code: number) => void;
  /** How ICMP echo is sent: iputils ping, else python3 (a raw socket), else the ICMP checks are skipped. */
  readonly icmpTool?: "ping" | "python3";
}

export interface LabRunResult {
  readonly topology: LabTopology;
  readonly checks: LabChecks;
  readonly results: readonly LabCheckResult[];
  readonly timings: { readonly buildMs: number; readonly checksMs: number; readonly cleanupMs: number; readonly totalMs: number };
  readonly runDir: string;
  readonly prefix: string;
  /** Whether every check passed (skipped checks count as failures when strict). */
  readonly ok: boolean;
}

/** Tools the lab needs on PATH; `ping` is optional (ICMP checks are skipped without it). */
export const REQUIRED_COMMANDS = ["ip", "nft", "tayga", "stdbuf", "bash"] as const;

export function missingCommands(commands: readonly string[] = REQUIRED_COMMANDS): string[] {
  return commands.filter((c) => spawnSync("sh", ["-c", `command -v ${c}`], { stdio: "ignore" }).status !== 0);
}

/** Why the lab cannot run on this host (not root, missing tools), or undefined. */
export function labUnavailable(): string | undefined {
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "the packet lab needs root (network namespaces, TUN devices, nftables): run it as root, e.g. sudo npm run lab";
  const missing = missingCommands();
  if (missing.length) return `${missing.join(", ")} not found: apt-get install -y tayga nftables iproute2 coreutils`;
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every lab namespace is named `sdlab-<pid base 36><4 hex>-<role>`: the run's process id is in the name. */
export const LAB_NAMESPACE = /^sdlab-([0-9a-z]+)[0-9a-f]{4}-[a-z0-9]+$/;

/**
 * Namespaces of lab runs whose process is gone (killed with SIGKILL, so it could not clean up).
 * Only names the lab makes are considered; a running lab's namespaces are never stale.
 */
export function staleLabNamespaces(): string[] {
  const names = spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout.split("\n").map((l) => l.split(" ")[0]);
  return names.filter((n) => {
    const m = LAB_NAMESPACE.exec(n);
    return m !== null && !isAlive(parseInt(m[1], 36));
  });
}

/** Kills the processes in `names` (namespaces) and deletes them. Synchronous. */
export function removeNamespaces(names: readonly string[], extraPids: readonly number[] = []): void {
  const pids = new Set<number>(extraPids);
  for (const n of names) {
    const r = spawnSync("ip", ["netns", "pids", n], { encoding: "utf8" });
    for (const p of r.stdout?.split(/\s+/) ?? []) if (p) pids.add(Number(p));
  }
  const alive = () => [...pids].filter((p) => isAlive(p));
  for (const p of pids) kill(p, "SIGTERM");
  const deadline = Date.now() + 1000;
  while (alive().length && Date.now() < deadline) spawnSync("sleep", ["0.01"]);
  for (const p of alive()) kill(p, "SIGKILL");
  for (const n of names) spawnSync("ip", ["netns", "del", n], { stdio: "ignore" });
}

export class PacketLab {
  /** Unique per run; see LAB_NAMESPACE. */
  readonly prefix = `sdlab-${process.pid.toString(36)}${randomBytes(2).toString("hex")}`;
  readonly runDir: string;
  private readonly layout: LabLayout;
  private readonly checks: LabChecks;
  private readonly build: LabBuild;
  private readonly children = new Set<ChildProcess>();
  private readonly daemons = new Map<string, ChildProcess>();
  private readonly agents = new Map<string, Agent>();
  private created = false;
  private cleaned = false;
  private readonly log: (line: string) => void;

  constructor(
    readonly topology: LabTopology,
    private readonly options: LabRunOptions = {},
  ) {
    this.layout = new LabLayout(topology);
    this.checks = labChecks(topology, this.layout);
    this.runDir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-dc-lab-"));
    this.build = labBuild(this.layout, this.checks, { prefix: this.prefix, runDir: this.runDir });
    this.log = options.log ?? (() => {});
  }

  /** Builds, checks and cleans up. Never leaves namespaces or processes behind. */
  async run(): Promise<LabRunResult> {
    const t0 = performance.now();
    const onSignal = (signal: NodeJS.Signals) => {
      this.log(`${signal}: cleaning up the lab's namespaces and processes`);
      this.cleanup();
      (this.options.exit ?? process.exit)(signal === "SIGINT" ? 130 : 143);
    };
    const onExit = () => this.cleanup();
    const onSigint = () => onSignal("SIGINT");
    const onSigterm = () => onSignal("SIGTERM");
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigterm);
    process.on("exit", onExit);
    let results: LabCheckResult[] = [];
    let buildMs = 0;
    let checksMs = 0;
    let cleanupMs = 0;
    try {
      await this.up();
      buildMs = performance.now() - t0;
      this.log(`lab built in ${Math.round(buildMs)} ms (namespaces ${this.prefix}-*)`);
      results = await this.runPhases();
      checksMs = performance.now() - t0 - buildMs;
    } catch (e) {
      // Whatever failed after an interrupt failed because the lab was already taken down.
      if (this.cleaned) throw new Error("the lab was interrupted and cleaned up");
      throw e;
    } finally {
      const c0 = performance.now();
      this.cleanup();
      cleanupMs = performance.now() - c0;
      process.removeListener("SIGINT", onSigint);
      process.removeListener("SIGTERM", onSigterm);
      process.removeListener("exit", onExit);
    }
    const failed = results.some((r) => r.status === "fail" || (this.options.strict && r.status === "skip"));
    return {
      topology: this.topology,
      checks: this.checks,
      results,
      timings: { buildMs, checksMs, cleanupMs, totalMs: performance.now() - t0 },
      runDir: this.runDir,
      prefix: this.prefix,
      ok: !failed,
    };
  }

  /** The setup script and files, for inspection (`npm run lab -- --print`). */
  get plan(): LabBuild {
    return this.build;
  }

  private async up(): Promise<void> {
    for (const [name, content] of this.build.files) fs.writeFileSync(path.join(this.runDir, name), content);
    const part1 = path.join(this.runDir, "setup-1-namespaces.sh");
    const part2 = path.join(this.runDir, "setup-2-network.sh");
    fs.writeFileSync(part1, this.build.namespaceScript);
    fs.writeFileSync(part2, this.build.networkScript);
    this.created = true;
    const t0 = performance.now();
    const r = spawnSync("bash", [part1], { encoding: "utf8", timeout: 30_000 });
    if (r.status !== 0) throw new Error(`lab setup failed: ${(r.stderr || r.error?.message || "").trim()}`);
    // The small servers start (Node takes a while) while the network is built.
    for (const a of this.build.agents) this.agents.set(a.role, new Agent(this.ns(a.role), a.listen, (c) => this.track(c)));
    await this.script(part2);
    const t1 = performance.now();
    for (const d of this.build.daemons) this.startDaemon(d);
    await Promise.all([...this.build.daemons.map((d) => this.waitDaemon(d)), ...[...this.agents.values()].map((a) => a.ready)]);
    this.log(`setup scripts ${Math.round(t1 - t0)} ms, tayga and the small servers ready ${Math.round(performance.now() - t1)} ms later`);
  }

  private script(file: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn("bash", [file], { stdio: ["ignore", "ignore", "pipe"] });
      this.track(child);
      let stderr = "";
      child.stderr!.on("data", (d) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`lab setup failed: ${stderr.trim() || `exit status ${code}`}`));
      });
    });
  }

  private ns(role: string): string {
    return this.build.namespaces.get(role)!;
  }

  private track(child: ChildProcess): void {
    this.children.add(child);
    child.on("exit", () => this.children.delete(child));
  }

  private startDaemon(d: LabDaemon): void {
    fs.rmSync(d.pidFile, { force: true });
    const log = fs.openSync(d.logFile, "a");
    const child = spawn(d.argv[0], d.argv.slice(1), { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    this.track(child);
    this.daemons.set(d.role, child);
  }

  /** Ready when tayga wrote its pid file and attached to its TUN (carrier up). */
  private async waitDaemon(d: LabDaemon): Promise<void> {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const child = this.daemons.get(d.role);
      if (child && child.exitCode !== null) throw new Error(`${d.label} exited (${child.exitCode}): ${tail(d.logFile)}`);
      if (fs.existsSync(d.pidFile) && fs.readFileSync(d.pidFile, "utf8").trim()) {
        const link = spawnSync("ip", ["-n", this.ns(d.role), "-o", "link", "show", "dev", d.tun], { encoding: "utf8" }).stdout;
        if (link.includes("LOWER_UP")) return;
      }
      await sleep(10);
    }
    throw new Error(`${d.label} did not start within 5 s: ${tail(d.logFile)}`);
  }

  private async stopDaemon(d: LabDaemon): Promise<void> {
    const child = this.daemons.get(d.role);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(2000)]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }

  private async runPhases(): Promise<LabCheckResult[]> {
    const results: LabCheckResult[] = [];
    const phases = this.options.phases ?? this.checks.phases.map((_, i) => i);
    // Counters only move with probe traffic, so one phase's closing snapshot opens the next.
    let before = await this.counters();
    for (const p of phases) {
      if (this.cleaned) throw new Error("the lab was interrupted and cleaned up");
      const phase = this.checks.phases[p];
      const checks = this.checks.checks.filter((c) => c.phase === p);
      const daemon = phase.stop ? this.build.daemons.find((d) => d.translator === phase.stop) : undefined;
      if (daemon) await this.stopDaemon(daemon);
      const t0 = performance.now();
      const outcomes = await this.probe(checks);
      const after = await this.counters();
      const delta = (hop: LabHop) => (after.get(this.build.counters.get(hopKey(hop))!) ?? 0) - (before.get(this.build.counters.get(hopKey(hop))!) ?? 0);
      for (const c of checks) results.push(evaluate(c, outcomes.get(c.id), delta));
      before = after;
      this.log(`phase "${phase.name}": ${checks.length} checks in ${Math.round(performance.now() - t0)} ms`);
      if (daemon) {
        this.startDaemon(daemon);
        await this.waitDaemon(daemon);
      }
    }
    return results;
  }

  /** Sends every probe of `checks` at once: TCP/UDP through the namespace's agent, ICMP with ping. */
  private async probe(checks: readonly LabCheck[]): Promise<Map<string, ProbeOutcome>> {
    const outcomes = new Map<string, ProbeOutcome>();
    const byRole = new Map<string, { id: string; probe: LabProbe }[]>();
    const pings: Promise<void>[] = [];
    const tool = this.options.icmpTool ?? (missingCommands(["ping"]).length === 0 ? "ping" : missingCommands(["python3"]).length === 0 ? "python3" : undefined);
    for (const c of checks) {
      if (!c.probe || c.notApplicable) continue;
      if (c.probe.protocol === "icmp") {
        if (!tool) outcomes.set(c.id, { outcome: "skipped", text: "neither ping nor python3 is installed to send ICMP echo (apt-get install -y iputils-ping)" });
        else pings.push(this.ping(c.probe, tool).then((o) => void outcomes.set(c.id, o)));
        continue;
      }
      byRole.set(c.probe.from, [...(byRole.get(c.probe.from) ?? []), { id: c.id, probe: c.probe }]);
    }
    const requests = [...byRole].map(async ([role, probes]) => {
      const agent = this.agents.get(role);
      if (!agent) throw new Error(`internal: no agent in ${role}`);
      const results = await agent.request(probes.map((p) => ({ id: p.id, ...p.probe })));
      for (const r of results) outcomes.set(r.id, r);
    });
    await Promise.all([...requests, ...pings]);
    return outcomes;
  }

  private ping(probe: LabProbe, tool: "ping" | "python3"): Promise<ProbeOutcome> {
    const started = performance.now();
    const wait = Math.max(1, Math.ceil(probe.timeoutMs / 1000));
    const command = tool === "ping" ? ["ping", "-n", "-c", "1", "-W", String(wait), probe.destination] : ["python3", "-c", PYTHON_PING_SOURCE, probe.destination, String(probe.timeoutMs / 1000)];
    return new Promise((resolve) => {
      const child = spawn("ip", ["netns", "exec", this.ns(probe.from), ...command], { stdio: ["ignore", "pipe", "pipe"] });
      this.track(child);
      let text = "";
      child.stdout!.on("data", (d) => (text += d));
      child.stderr!.on("data", (d) => (text += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), probe.timeoutMs + 1000);
      child.on("close", (code) => {
        clearTimeout(timer);
        const ms = Math.round(performance.now() - started);
        const line = text.split("\n").find((l) => /bytes from|Unreachable|Prohibited|unreachable/.test(l))?.trim();
        resolve(code === 0 ? { outcome: "answer", text: line, ms } : { outcome: /nreachable|rohibited/.test(text) ? "refused" : "timeout", text: line, ms });
      });
    });
  }

  /** All trace counters: counter id -> packets. */
  private async counters(): Promise<Map<string, number>> {
    const all = new Map<string, number>();
    await Promise.all(
      this.layout.roles.map(
        (r) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn("ip", ["netns", "exec", this.ns(r.role), "nft", "-j", "list", "table", "inet", "lab_trace"], { stdio: ["ignore", "pipe", "pipe"] });
            this.track(child);
            let text = "";
            child.stdout!.on("data", (d) => (text += d));
            const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
            child.on("close", (code) => {
              clearTimeout(timer);
              try {
                if (code !== 0) throw new Error(`exit status ${code}`);
                const parsed = JSON.parse(text) as { nftables: { rule?: { comment?: string; expr: { counter?: { packets: number } }[] } }[] };
                for (const item of parsed.nftables) {
                  const rule = item.rule;
                  const counter = rule?.expr.find((e) => e.counter)?.counter;
                  if (rule?.comment && counter) all.set(rule.comment, counter.packets);
                }
                resolve();
              } catch (e) {
                reject(new Error(`cannot read the trace counters of ${r.role}: ${e instanceof Error ? e.message : String(e)}`));
              }
            });
          }),
      ),
    );
    return all;
  }

  /** Kills every process in the lab's namespaces, deletes them, removes the run directory. Synchronous. */
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const a of this.agents.values()) a.close();
    if (this.created) {
      removeNamespaces(
        [...this.build.namespaces.values()],
        [...this.children].flatMap((c) => (c.pid ? [c.pid] : [])),
      );
    }
    if (!this.options.keepFiles) fs.rmSync(this.runDir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie child of this process counts as gone.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-5).join(" | ");
  } catch {
    return "(no log)";
  }
}

/** A node agent in one namespace: its small servers, and a client that runs probes on request. */
class Agent {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (results: (ProbeOutcome & { id: string })[]) => void; reject: (e: Error) => void }>();
  private exited = false;

  constructor(
    private readonly ns: string,
    listen: readonly unknown[],
    track: (c: ChildProcess) => void,
  ) {
    this.child = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", AGENT_SOURCE], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, LAB_AGENT: JSON.stringify({ listen }) },
    });
    track(this.child);
    this.child.stdin!.on("error", () => {});
    this.child.on("exit", () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`the lab's small server in ${ns} is gone`));
      this.pending.clear();
    });
    let stderr = "";
    this.child.stderr!.on("data", (d) => (stderr += d));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the lab's server in ${ns} did not start within 5 s ${stderr}`)), 5000);
      this.child.on("exit", (code) => reject(new Error(`the lab's server in ${ns} exited (${code}): ${stderr.trim()}`)));
      createInterface({ input: this.child.stdout! }).on("line", (line) => {
        let msg: { ready?: boolean; error?: string; id?: number; results?: (ProbeOutcome & { id: string })[] };
        try {
          msg = JSON.parse(line);
        } catch {
          return;
        }
        if (msg.error) {
          clearTimeout(timer);
          reject(new Error(`the lab's server in ${ns}: ${msg.error}`));
        } else if (msg.ready) {
          clearTimeout(timer);
          resolve();
        } else if (msg.id !== undefined && msg.results) {
          this.pending.get(msg.id)?.resolve(msg.results);
          this.pending.delete(msg.id);
        }
      });
    });
    this.ready.catch(() => {});
  }

  request(probes: readonly (LabProbe & { id: string })[]): Promise<(ProbeOutcome & { id: string })[]> {
    const id = this.next++;
    const bound = Math.max(...probes.map((p) => p.timeoutMs)) + 3000;
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error(`the lab's small server in ${this.ns} is gone`));
      const timer = setTimeout(() => reject(new Error(`the lab's client in ${this.ns} did not report within ${bound} ms`)), bound);
      this.pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.stdin!.write(`${JSON.stringify({ id, probes })}\n`);
    });
  }

  close(): void {
    this.child.stdin?.end();
  }
}

/** Extract, build and run in one step. */
export async function runLab(input: LabInput, options: LabRunOptions = {}): Promise<LabRunResult> {
  const topology = buildLabTopology(input, options);
  return new PacketLab(topology, options).run();
}
