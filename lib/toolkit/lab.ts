import { App, TerraformStack } from "../cdktf";
import { labInputFromStack, labInputFromStacks } from "../lab/extract";
import { labUnavailable, PacketLab, removeNamespaces, staleLabNamespaces } from "../lab/runner";
import { resultLines, summaryLine, topologyLines } from "../lab/model/report";
import { buildLabTopology, CannotEmulateError } from "../lab/model/topology";
import { constructsOf, pickStacks } from "./stack-model";

/**
 * `siit-dc lab`: the packet lab. Rebuilds a stack's data plane in network namespaces on this host
 * (tayga standing in for Jool) and sends real TCP, UDP and ICMP through it. Root required.
 *
 *   siit-dc lab [--app <module>] [--stack <name>]  the app's stack (--stack when it has several);
 *                                                  an app whose stacks share one VPC (a platform
 *                                                  and its teams' stacks) runs as one topology
 *   siit-dc lab --print                            the substitution, setup script and configs; runs nothing
 *   siit-dc lab --clean-stale                      removes namespaces left by lab runs killed with SIGKILL
 *   --keep (keep configs and logs), --strict (missing tools fail), --phase <n> (only phase n)
 *
 * Nothing is synthesized to disk; stack validations run first.
 *
 * Exit status: 0 all checks passed; 1 a check failed, the stack does not validate, or the lab
 * cannot emulate it; 2 usage, not root, or missing tools; 130/143 interrupted (after clean-up).
 */

export interface LabArgs {
  stack?: string;
  keep: boolean;
  print: boolean;
  strict: boolean;
  cleanStale: boolean;
  phases?: number[];
}

/** The lab's options, for the usage text. */
export const LAB_OPTIONS = "[--stack <name>] [--keep] [--print] [--strict] [--phase <n>] | --clean-stale";

/** A lab option the command does not know, or a value missing. */
export class LabUsageError extends Error {}

/** The lab's own options; the app options (--app, --export) are the command's. */
export function parseLabArgs(argv: readonly string[]): LabArgs {
  const args: LabArgs = { keep: false, print: false, strict: process.env.CI === "true", cleanStale: false };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new LabUsageError(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case "--stack":
        args.stack = value();
        break;
      case "--keep":
        args.keep = true;
        break;
      case "--print":
        args.print = true;
        break;
      case "--strict":
        args.strict = true;
        break;
      case "--clean-stale":
        args.cleanStale = true;
        break;
      case "--phase":
        args.phases = [...(args.phases ?? []), Number(value()) - 1];
        break;
      default:
        throw new LabUsageError(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

/** Whether the lab can run here; undefined when it can (or when only printing). */
export function labPreflight(args: LabArgs): string | undefined {
  return args.print ? undefined : labUnavailable();
}

/** Removes namespaces of dead lab runs (--clean-stale). */
export function cleanStale(out: (line: string) => void): number {
  const stale = staleLabNamespaces();
  removeNamespaces(stale);
  out(stale.length ? `removed ${stale.length} namespace(s) of lab runs that are gone: ${stale.join(", ")}` : "no namespaces of dead lab runs");
  return 0;
}

/**
 * Runs the lab on one stack of `app`, or on all its stacks together when exactly one of them holds
 * a VPC (a platform's stack and its teams' stacks); returns the exit status.
 */
export async function runLab(app: App, args: LabArgs, print: (line: string) => void, err: (line: string) => void): Promise<number> {
  const started = performance.now();
  const out = (...lines: string[]) => lines.forEach((l) => print(l));
  let stacks: TerraformStack[];
  try {
    stacks = pickStacks(app, args.stack);
    const withVpc = stacks.filter((s) => constructsOf(s).vpcs.length > 0);
    if (stacks.length !== 1 && withVpc.length !== 1) throw new LabUsageError(`the app has ${stacks.length} stacks (${stacks.map((s) => s.node.id).join(", ")}): pick one with --stack`);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  for (const stack of stacks) {
    try {
      stack.runAllValidations();
    } catch (e) {
      err(`stack ${stack.node.id} does not validate, so the lab does not run it:\n${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
  }
  let lab: PacketLab;
  try {
    const topology = buildLabTopology(stacks.length === 1 ? labInputFromStack(stacks[0]) : labInputFromStacks(stacks));
    lab = new PacketLab(topology, { keepFiles: args.keep, strict: args.strict, phases: args.phases, log: (l) => out(`  ${l}`) });
  } catch (e) {
    if (e instanceof CannotEmulateError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
  const t = lab.topology;
  out(`SIIT-DC packet lab: ${stacks.length === 1 ? "stack" : "stacks"} ${stacks.map((s) => s.node.id).join(", ")}`);
  out("", "Address substitution (deployed -> lab):", ...t.substitution.lines().map((l) => `  ${l}`));
  out("", "Topology:", ...topologyLines(t).map((l) => `  ${l}`));
  if (t.notes.length) out("", "Notes:", ...t.notes.map((n) => `  ${n}`));
  if (args.print) {
    lab.cleanup();
    out("", "# setup.sh", lab.plan.script);
    for (const [name, content] of lab.plan.files) out(`# ${name}`, content);
    return 0;
  }
  out("", "Running:");
  let result: Awaited<ReturnType<PacketLab["run"]>>;
  try {
    result = await lab.run();
  } catch (e) {
    err(`the packet lab could not run (its namespaces and processes are removed): ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  out(...resultLines(result.checks.phases, result.results));
  out("", summaryLine(result.results));
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  out(
    `Lab time ${s(result.timings.totalMs)} (build ${s(result.timings.buildMs)}, checks ${s(result.timings.checksMs)}, clean-up ${s(result.timings.cleanupMs)}); total ${s(performance.now() - started)} with loading the app.`,
  );
  if (args.keep) out(`Configs, rulesets and logs kept in ${result.runDir}`);
  out(result.ok ? "PACKET LAB PASSED" : "PACKET LAB FAILED");
  return result.ok ? 0 : 1;
}
