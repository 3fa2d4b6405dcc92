import { spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { hopKey, LabBuild, labBuild } from "./model/build";
import { labChecks, LabChecks, LabHop } from "./model/checks";
import { evaluate } from "./model/evaluate";
import { LabInput } from "./model/input";
import { LabLayout } from "./model/layout";
import { LabCheckResult } from "./model/report";
import { buildLabTopology, LabOptions, LabTopology } from "./model/topology";
import { isAlive, LAB_NAMESPACE, LabExecPlan, LabExecResult, LabExecutor, missingCommands } from "./executor";

export { LAB_NAMESPACE, missingCommands, removeNamespaces } from "./executor";

/**
 * The packet lab runner: turns a topology into a plan for the executor (lib/lab/executor.ts:
 * namespaces, translators, the small servers, the probes phase by phase), runs it here, or lets
 * the VM tier run it in its guest on real Jool, and judges what the executor saw.
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
  /** Where the run's files go, on the machine that executes the plan (default: a new folder under the host's tmpdir). */
  readonly runDir?: string;
  /** Multiplies every probe's timeout (a VM guest under TCG). @default 1 */
  readonly timeoutScale?: number;
  /** How long the small servers may take to start. @default 5000 */
  readonly startTimeoutMs?: number;
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

/** Why the lab cannot run on this host (not root, missing tools), or undefined. */
export function labUnavailable(): string | undefined {
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "the packet lab needs root (network namespaces, TUN devices, nftables): run it as root, e.g. sudo npm run lab";
  const missing = missingCommands(REQUIRED_COMMANDS);
  if (missing.length) return `${missing.join(", ")} not found: apt-get install -y tayga nftables iproute2 coreutils`;
  return undefined;
}

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

export class PacketLab {
  /** Unique per run; see LAB_NAMESPACE. */
  readonly prefix = `sdlab-${process.pid.toString(36)}${randomBytes(2).toString("hex")}`;
  readonly runDir: string;
  private readonly layout: LabLayout;
  private readonly checks: LabChecks;
  private readonly build: LabBuild;
  private readonly phases: readonly number[];
  private executor?: LabExecutor;

  constructor(
    readonly topology: LabTopology,
    private readonly options: LabRunOptions = {},
  ) {
    this.layout = new LabLayout(topology);
    this.checks = labChecks(topology, this.layout);
    this.runDir = options.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "siit-dc-lab-"));
    this.build = labBuild(this.layout, this.checks, { prefix: this.prefix, runDir: this.runDir });
    this.phases = options.phases ?? this.checks.phases.map((_, i) => i);
  }

  /** The setup script and files, for inspection (`npm run lab -- --print`). */
  get plan(): LabBuild {
    return this.build;
  }

  /** What the executor runs: serializable, so the VM tier can hand it to its guest. */
  get execPlan(): LabExecPlan {
    return {
      prefix: this.prefix,
      runDir: this.runDir,
      namespaces: [...this.build.namespaces],
      files: [...this.build.files],
      namespaceScript: this.build.namespaceScript,
      networkScript: this.build.networkScript,
      daemons: this.build.daemons,
      agents: this.build.agents,
      phases: this.phases.map((p) => ({
        name: this.checks.phases[p].name,
        stop: this.checks.phases[p].stop,
        probes: this.checks.checks.filter((c) => c.phase === p && c.probe && !c.notApplicable).map((c) => ({ id: c.id, probe: c.probe! })),
      })),
      icmpTool: this.options.icmpTool,
      timeoutScale: this.options.timeoutScale,
      startTimeoutMs: this.options.startTimeoutMs,
      keepFiles: this.options.keepFiles,
    };
  }

  /** Builds, checks and cleans up, on this host. Never leaves namespaces or processes behind. */
  async run(): Promise<LabRunResult> {
    const t0 = performance.now();
    this.executor = new LabExecutor(this.execPlan, { log: this.options.log, exit: this.options.exit });
    const seen = await this.executor.run();
    return this.judge(seen, performance.now() - t0);
  }

  /** Judges what the executor saw (here, or in the VM tier's guest). */
  judge(seen: LabExecResult, totalMs = seen.timings.buildMs + seen.timings.checksMs + seen.timings.cleanupMs): LabRunResult {
    const results: LabCheckResult[] = [];
    this.phases.forEach((p, i) => {
      const before = seen.counters[i];
      const after = seen.counters[i + 1];
      const delta = (hop: LabHop) => {
        const id = this.build.counters.get(hopKey(hop))!;
        return (after[id] ?? 0) - (before[id] ?? 0);
      };
      for (const c of this.checks.checks.filter((x) => x.phase === p)) results.push(evaluate(c, seen.outcomes[i][c.id], delta));
    });
    const failed = results.some((r) => r.status === "fail" || (this.options.strict && r.status === "skip"));
    const { buildMs, checksMs, cleanupMs } = seen.timings;
    return { topology: this.topology, checks: this.checks, results, timings: { buildMs, checksMs, cleanupMs, totalMs }, runDir: this.runDir, prefix: this.prefix, ok: !failed };
  }

  /** Kills every process in the lab's namespaces, deletes them, removes the run directory. Synchronous. */
  cleanup(): void {
    if (this.executor) this.executor.cleanup();
    else if (!this.options.keepFiles && !this.options.runDir) fs.rmSync(this.runDir, { recursive: true, force: true });
  }
}

/** Extract, build and run in one step. */
export async function runLab(input: LabInput, options: LabRunOptions = {}): Promise<LabRunResult> {
  const topology = buildLabTopology(input, options);
  return new PacketLab(topology, options).run();
}
