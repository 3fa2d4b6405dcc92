import * as path from "path";
import { IConstruct } from "constructs";
import { exampleApp } from "../examples/main";
import { TerraformStack } from "../lib/cdktf";
import { labInputFromStack } from "../lib/lab/extract";
import { labUnavailable, PacketLab, removeNamespaces, staleLabNamespaces } from "../lib/lab/runner";
import { resultLines, summaryLine, topologyLines } from "../lib/lab/model/report";
import { buildLabTopology, CannotEmulateError } from "../lib/lab/model/topology";

/**
 * `npm run lab`: the packet lab. Rebuilds a stack's data plane in network namespaces on this host
 * (tayga standing in for Jool) and sends real TCP, UDP and ICMP through it. Root required.
 *
 *   npm run lab                                   the bundled reference example
 *   npm run lab -- --app dist/examples/main.js --stack reference
 *   npm run lab -- --print                        the substitution, setup script and configs; runs nothing
 *   npm run lab -- --clean-stale                  removes namespaces left by lab runs killed with SIGKILL
 *
 * `--app <module>` is a compiled JavaScript module that exports an App factory: a function that
 * takes no required argument and returns a cdktf App (like examples/main.ts `exampleApp`), named
 * by `--export` or else the module's only exported function. `--stack` picks the stack (required
 * when the app has several). Nothing is synthesized to disk; stack validations run first.
 *
 * Exit status: 0 all checks passed; 1 a check failed, the stack does not validate, or the lab
 * cannot emulate it; 2 usage, not root, or missing tools; 130/143 interrupted (after clean-up).
 */

interface Args {
  app?: string;
  exportName?: string;
  stack?: string;
  keep: boolean;
  print: boolean;
  strict: boolean;
  cleanStale: boolean;
  phases?: number[];
}

const USAGE = `usage: npm run lab [-- --app <module.js> [--export <name>] [--stack <name>] [--keep] [--print] [--strict] [--phase <n>] | --clean-stale]`;

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { keep: false, print: false, strict: process.env.CI === "true", cleanStale: false };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case "--app":
        args.app = value();
        break;
      case "--export":
        args.exportName = value();
        break;
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
      case "--help":
      case "-h":
        throw new UsageError("");
      default:
        throw new UsageError(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

class UsageError extends Error {}

interface AppLike {
  node: { findAll(): IConstruct[] };
}

function loadApp(args: Args): AppLike {
  if (!args.app) return exampleApp();
  const file = path.resolve(args.app);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as Record<string, unknown>;
  const functions = Object.entries(mod).filter(([, v]) => typeof v === "function");
  const chosen = args.exportName ? functions.find(([k]) => k === args.exportName) : functions.length === 1 ? functions[0] : functions.find(([k]) => k === "default");
  if (!chosen) {
    throw new UsageError(`${args.app} must export an App factory; name it with --export (exported functions: ${functions.map(([k]) => k).join(", ") || "none"})`);
  }
  const app = (chosen[1] as () => unknown)();
  if (!app || typeof app !== "object" || !("node" in app)) throw new UsageError(`${args.app} ${chosen[0]}() did not return a cdktf App`);
  return app as AppLike;
}

function pickStack(app: AppLike, args: Args): TerraformStack {
  const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  const wanted = args.stack ?? (args.app ? undefined : "reference");
  if (wanted) {
    const stack = stacks.find((s) => s.node.id === wanted);
    if (!stack) throw new UsageError(`no stack ${wanted}; the app has ${stacks.map((s) => s.node.id).join(", ") || "no stacks"}`);
    return stack;
  }
  if (stacks.length !== 1) throw new UsageError(`the app has ${stacks.length} stacks (${stacks.map((s) => s.node.id).join(", ")}): pick one with --stack`);
  return stacks[0];
}

export async function main(argv: readonly string[], print: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const started = performance.now();
  const out = (...lines: string[]) => lines.forEach((l) => print(l));
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) err(e.message);
      err(USAGE);
      return 2;
    }
    throw e;
  }
  if (!args.print) {
    const why = labUnavailable();
    if (why) {
      err(`npm run lab: ${why}`);
      return 2;
    }
  }
  if (args.cleanStale) {
    const stale = staleLabNamespaces();
    removeNamespaces(stale);
    out(stale.length ? `removed ${stale.length} namespace(s) of lab runs that are gone: ${stale.join(", ")}` : "no namespaces of dead lab runs");
    return 0;
  }
  let stack: TerraformStack;
  try {
    stack = pickStack(loadApp(args), args);
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  try {
    stack.runAllValidations();
  } catch (e) {
    err(`stack ${stack.node.id} does not validate, so the lab does not run it:\n${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  let lab: PacketLab;
  try {
    const topology = buildLabTopology(labInputFromStack(stack));
    lab = new PacketLab(topology, { keepFiles: args.keep, strict: args.strict, phases: args.phases, log: (l) => out(`  ${l}`) });
  } catch (e) {
    if (e instanceof CannotEmulateError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
  const t = lab.topology;
  out(`SIIT-DC packet lab: stack ${stack.node.id}`);
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

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
