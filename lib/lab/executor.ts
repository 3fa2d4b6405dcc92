import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { createInterface } from "readline";
import { AGENT_SOURCE, PYTHON_PING_SOURCE } from "./agent";
import type { LabAgent, LabDaemon, LabJoolInstance, LabTaygaDaemon } from "./model/build";
import type { LabProbe } from "./model/checks";
import type { ProbeOutcome } from "./model/report";

/**
 * The packet lab's executor: runs a lab plan (JSON: scripts, files, translators to start, probes
 * per phase) and reports what it saw (probe outcomes, trace counters), judging nothing. It imports
 * only Node's built-ins and the agent sources, so the VM tier transpiles this file and agent.ts
 * alone and runs them inside the guest, with the guest's Node, on a plan the host made
 * (`node executor.js plan.json result.json`). Always removes what it made (its namespaces and
 * processes, and only those), also on SIGINT/SIGTERM.
 */

export interface LabExecPlan {
  /** Unique per run; every namespace is `<prefix>-<role>` (see LAB_NAMESPACE). */
  readonly prefix: string;
  /** Absolute directory for configs, pid files and logs (created if missing). */
  readonly runDir: string;
  readonly namespaces: readonly (readonly [role: string, namespace: string])[];
  readonly files: readonly (readonly [name: string, content: string])[];
  readonly namespaceScript: string;
  readonly networkScript: string;
  readonly daemons: readonly LabDaemon[];
  readonly agents: readonly LabAgent[];
  readonly phases: readonly { readonly name: string; readonly stop?: string; readonly probes: readonly { readonly id: string; readonly probe: LabProbe }[] }[];
  /** How ICMP echo is sent; default: iputils ping, else python3 (a raw socket), else skipped. */
  readonly icmpTool?: "ping" | "python3";
  /** Multiplies every probe's timeout (a guest under TCG answers more slowly). @default 1 */
  readonly timeoutScale?: number;
  /** How long the small servers may take to start (Node in a TCG guest: tens of seconds). @default 5000 */
  readonly startTimeoutMs?: number;
  readonly keepFiles?: boolean;
}

export interface LabExecResult {
  /** Trace counters (counter id -> packets): before the first phase, then after each phase. */
  readonly counters: readonly Record<string, number>[];
  /** Probe outcomes by check id, one map per phase. */
  readonly outcomes: readonly Record<string, ProbeOutcome>[];
  readonly timings: { readonly buildMs: number; readonly checksMs: number; readonly cleanupMs: number; readonly phaseMs: readonly number[] };
}

export interface LabExecOptions {
  readonly log?: (line: string) => void;
  /** After SIGINT/SIGTERM and clean-up: exit with this code (default process.exit; tests replace it). */
  readonly exit?: (code: number) => void;
}

/** Every lab namespace is named `sdlab-<pid base 36><4 hex>-<role>`: the run's process id is in the name. */
export const LAB_NAMESPACE = /^sdlab-([0-9a-z]+)[0-9a-f]{4}-[a-z0-9]+$/;

export function missingCommands(commands: readonly string[]): string[] {
  return commands.filter((c) => spawnSync("sh", ["-c", `command -v ${c}`], { stdio: "ignore" }).status !== 0);
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

export function isAlive(pid: number): boolean {
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LabExecutor {
  private readonly namespaces: ReadonlyMap<string, string>;
  private readonly children = new Set<ChildProcess>();
  private readonly daemons = new Map<string, ChildProcess>();
  private readonly agents = new Map<string, Agent>();
  private created = false;
  private cleaned = false;
  private readonly log: (line: string) => void;
  private readonly scale: number;

  constructor(
    readonly plan: LabExecPlan,
    private readonly options: LabExecOptions = {},
  ) {
    this.namespaces = new Map(plan.namespaces);
    this.log = options.log ?? (() => {});
    this.scale = plan.timeoutScale ?? 1;
  }

  /** A timeout of the lab's, scaled, in whole milliseconds (timers and spawnSync take integers only). */
  private scaled(ms: number): number {
    return Math.ceil(ms * this.scale);
  }

  /** Builds, probes phase by phase and cleans up. Never leaves namespaces or processes behind. */
  async run(): Promise<LabExecResult> {
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
    const counters: Record<string, number>[] = [];
    const outcomes: Record<string, ProbeOutcome>[] = [];
    const phaseMs: number[] = [];
    let buildMs = 0;
    let checksMs = 0;
    let cleanupMs = 0;
    try {
      await this.up();
      buildMs = performance.now() - t0;
      this.log(`lab built in ${Math.round(buildMs)} ms (namespaces ${this.plan.prefix}-*)`);
      // Counters only move with probe traffic, so one phase's closing snapshot opens the next.
      counters.push(await this.counters());
      for (const phase of this.plan.phases) {
        if (this.cleaned) throw new Error("the lab was interrupted and cleaned up");
        const daemon = phase.stop ? this.plan.daemons.find((d) => d.translator === phase.stop) : undefined;
        if (daemon) await this.stopDaemon(daemon);
        const p0 = performance.now();
        outcomes.push(Object.fromEntries(await this.probe(phase.probes)));
        counters.push(await this.counters());
        phaseMs.push(performance.now() - p0);
        this.log(`phase "${phase.name}": ${phase.probes.length} probes in ${Math.round(performance.now() - p0)} ms`);
        if (daemon) await this.startDaemon(daemon);
      }
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
    return { counters, outcomes, timings: { buildMs, checksMs, cleanupMs, phaseMs } };
  }

  private async up(): Promise<void> {
    fs.mkdirSync(this.plan.runDir, { recursive: true });
    for (const [name, content] of this.plan.files) fs.writeFileSync(path.join(this.plan.runDir, name), content);
    const part1 = path.join(this.plan.runDir, "setup-1-namespaces.sh");
    const part2 = path.join(this.plan.runDir, "setup-2-network.sh");
    fs.writeFileSync(part1, this.plan.namespaceScript);
    fs.writeFileSync(part2, this.plan.networkScript);
    this.created = true;
    const t0 = performance.now();
    const r = spawnSync("bash", [part1], { encoding: "utf8", timeout: this.scaled(30_000) });
    if (r.status !== 0) throw new Error(`lab setup failed: ${(r.stderr || r.error?.message || "").trim()}`);
    // The small servers start (Node takes a while) while the network is built.
    for (const a of this.plan.agents) this.agents.set(a.role, new Agent(this.ns(a.role), a.listen, (c) => this.track(c), this.plan.startTimeoutMs ?? 5000, this.scaled(3000)));
    await this.script(part2);
    const t1 = performance.now();
    for (const d of this.plan.daemons) await this.startDaemon(d);
    await Promise.all([...this.agents.values()].map((a) => a.ready));
    this.log(`setup scripts ${Math.round(t1 - t0)} ms, translators and the small servers ready ${Math.round(performance.now() - t1)} ms later`);
  }

  private script(file: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn("bash", [file], { stdio: ["ignore", "ignore", "pipe"] });
      this.track(child);
      let stderr = "";
      child.stderr!.on("data", (d) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), this.scaled(60_000));
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`lab setup failed: ${stderr.trim() || `exit status ${code}`}`));
      });
    });
  }

  private ns(role: string): string {
    return this.namespaces.get(role)!;
  }

  private track(child: ChildProcess): void {
    this.children.add(child);
    child.on("exit", () => this.children.delete(child));
  }

  private async startDaemon(d: LabDaemon): Promise<void> {
    if (d.kind === "command") return runCommand(d, d.start, "apply its file");
    fs.rmSync(d.pidFile, { force: true });
    const log = fs.openSync(d.logFile, "a");
    const child = spawn(d.argv[0], d.argv.slice(1), { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    this.track(child);
    this.daemons.set(d.role, child);
    await this.waitDaemon(d);
  }

  /** Ready when tayga wrote its pid file and attached to its TUN (carrier up). */
  private async waitDaemon(d: LabTaygaDaemon): Promise<void> {
    const deadline = Date.now() + this.scaled(5000);
    while (Date.now() < deadline) {
      const child = this.daemons.get(d.role);
      if (child && child.exitCode !== null) throw new Error(`${d.label} exited (${child.exitCode}): ${tail(d.logFile)}`);
      if (fs.existsSync(d.pidFile) && fs.readFileSync(d.pidFile, "utf8").trim()) {
        const link = spawnSync("ip", ["-n", this.ns(d.role), "-o", "link", "show", "dev", d.tun], { encoding: "utf8" }).stdout;
        if (link.includes("LOWER_UP")) return;
      }
      await sleep(10);
    }
    throw new Error(`${d.label} did not start within ${this.scaled(5000) / 1000} s: ${tail(d.logFile)}`);
  }

  private async stopDaemon(d: LabDaemon): Promise<void> {
    if (d.kind === "command") return runCommand(d, d.stop, "remove its instance");
    const child = this.daemons.get(d.role);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(2000)]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }

  /** Sends every probe of a phase at once: TCP/UDP through the namespace's agent, ICMP with ping. */
  private async probe(probes: readonly { readonly id: string; readonly probe: LabProbe }[]): Promise<Map<string, ProbeOutcome>> {
    const outcomes = new Map<string, ProbeOutcome>();
    const byRole = new Map<string, { id: string; probe: LabProbe }[]>();
    const pings: Promise<void>[] = [];
    const tool = this.plan.icmpTool ?? (missingCommands(["ping"]).length === 0 ? "ping" : missingCommands(["python3"]).length === 0 ? "python3" : undefined);
    for (const { id, probe } of probes) {
      const scaled = { ...probe, timeoutMs: this.scaled(probe.timeoutMs) };
      if (probe.protocol === "icmp") {
        if (!tool) outcomes.set(id, { outcome: "skipped", text: "neither ping nor python3 is installed to send ICMP echo (apt-get install -y iputils-ping)" });
        else if (tool === "python3" && (probe.size || probe.fragment || probe.count)) outcomes.set(id, { outcome: "skipped", text: "sizes and DF need iputils ping (apt-get install -y iputils-ping)" });
        else pings.push(this.ping(scaled, tool).then((o) => void outcomes.set(id, o)));
        continue;
      }
      byRole.set(probe.from, [...(byRole.get(probe.from) ?? []), { id, probe: scaled }]);
    }
    const requests = [...byRole].map(async ([role, list]) => {
      const agent = this.agents.get(role);
      if (!agent) throw new Error(`internal: no agent in ${role}`);
      const results = await agent.request(list.map((p) => ({ id: p.id, ...p.probe })));
      for (const r of results) outcomes.set(r.id, r);
    });
    await Promise.all([...requests, ...pings]);
    return outcomes;
  }

  private ping(probe: LabProbe, tool: "ping" | "python3"): Promise<ProbeOutcome> {
    const started = performance.now();
    const wait = Math.max(1, Math.ceil(probe.timeoutMs / 1000));
    const count = probe.count ?? 1;
    const options = [...(count > 1 ? ["-i", "0.3"] : []), ...(probe.size ? ["-s", String(probe.size)] : []), ...(probe.fragment ? ["-M", probe.fragment] : [])];
    const command = tool === "ping" ? ["ping", "-n", "-c", String(count), ...options, "-W", String(wait), probe.destination] : ["python3", "-c", PYTHON_PING_SOURCE, probe.destination, String(probe.timeoutMs / 1000)];
    return new Promise((resolve) => {
      const child = spawn("ip", ["netns", "exec", this.ns(probe.from), ...command], { stdio: ["ignore", "pipe", "pipe"] });
      this.track(child);
      let text = "";
      child.stdout!.on("data", (d) => (text += d));
      child.stderr!.on("data", (d) => (text += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), probe.timeoutMs + count * 300 + 1000);
      child.on("close", (code) => {
        clearTimeout(timer);
        const ms = Math.round(performance.now() - started);
        const line = text.split("\n").find((l) => /bytes from|Unreachable|Prohibited|unreachable|Packet too big|Frag needed/.test(l))?.trim();
        resolve(code === 0 ? { outcome: "answer", text: line, ms } : { outcome: /nreachable|rohibited|too big|Frag needed/.test(text) ? "refused" : "timeout", text: line, ms });
      });
    });
  }

  /** All trace counters: counter id -> packets. */
  private async counters(): Promise<Record<string, number>> {
    const all: Record<string, number> = {};
    await Promise.all(
      [...this.namespaces].map(
        ([role, ns]) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn("ip", ["netns", "exec", ns, "nft", "-j", "list", "table", "inet", "lab_trace"], { stdio: ["ignore", "pipe", "pipe"] });
            this.track(child);
            let text = "";
            child.stdout!.on("data", (d) => (text += d));
            const timer = setTimeout(() => child.kill("SIGKILL"), this.scaled(10_000));
            child.on("close", (code) => {
              clearTimeout(timer);
              try {
                if (code !== 0) throw new Error(`exit status ${code}`);
                const parsed = JSON.parse(text) as { nftables: { rule?: { comment?: string; expr: { counter?: { packets: number } }[] } }[] };
                for (const item of parsed.nftables) {
                  const rule = item.rule;
                  const counter = rule?.expr.find((e) => e.counter)?.counter;
                  if (rule?.comment && counter) all[rule.comment] = counter.packets;
                }
                resolve();
              } catch (e) {
                reject(new Error(`cannot read the trace counters of ${role}: ${e instanceof Error ? e.message : String(e)}`));
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
        [...this.namespaces.values()],
        [...this.children].flatMap((c) => (c.pid ? [c.pid] : [])),
      );
    }
    if (!this.plan.keepFiles) fs.rmSync(this.plan.runDir, { recursive: true, force: true });
  }
}

/** A Jool instance's start or stop command; a failure names the node and Jool's own words. */
function runCommand(d: LabJoolInstance, argv: readonly string[], what: string): void {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${d.label} did not ${what} (${argv.join(" ")}): ${(r.stderr || r.stdout || r.error?.message || `status ${r.status}`).trim()}`);
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
    startMs: number,
    /** How long past its longest probe's timeout a request may take to report (scaled like the timeouts: a TCG guest on a loaded host is slow to answer). */
    private readonly slackMs: number,
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
      const timer = setTimeout(() => reject(new Error(`the lab's server in ${ns} did not start within ${startMs / 1000} s ${stderr}`)), startMs);
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
    const bound = Math.max(...probes.map((p) => p.timeoutMs)) + this.slackMs;
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

/** `node executor.js PLAN.json RESULT.json`: the VM tier's guest runs a plan the host made. */
if (require.main === module) {
  const [planFile, resultFile] = process.argv.slice(2);
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as LabExecPlan;
  new LabExecutor(plan, { log: (l) => console.log(l) }).run().then(
    (result) => fs.writeFileSync(resultFile, JSON.stringify(result)),
    (e) => {
      fs.writeFileSync(resultFile, JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exitCode = 1;
    },
  );
}
