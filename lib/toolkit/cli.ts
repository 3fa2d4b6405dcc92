#!/usr/bin/env node
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CostError } from "../plan/cost/estimate";
import { TerraformJson } from "../plan/policy/stack-view";
import { AppBuildError, AppLoadError, loadApp, LoadedApp } from "./app-loader";
import { cleanStale, LAB_OPTIONS, labPreflight, LabUsageError, parseLabArgs, runLab } from "./lab";
import { runPolicy } from "./policy";
import { renderCostReport, stackAddressReport, stackCost, stackDiagram, stackReportMarkdown, svgToPng, writeOut } from "./reports";
import { pickStacks } from "./stack-model";
import { clearOutdir, Io, readPreviousPlans, runSynth, synthesize } from "./synth";

/**
 * `siit-dc`, the command of the package (docs/guides/command.md): synth, report, diagram, cost,
 * lab and policy on any app module. Results go to stdout (or files), progress and errors to
 * stderr. Exit status: 0 success; 1 errors in the app or findings; 2 usage.
 */

/** The usage text of `siit-dc --help`. */
export const USAGE = `usage: siit-dc <command> [--app <module.js>] [--export <name>] [options]

commands:
  synth    [--out <dir>] [--previous <dir>]    synthesize; stacks, resource counts, warnings, errors
  report   [--stack <name>] [--json] [--out <dir>]   address plan (Markdown or JSON) and packet paths
  diagram  [--stack <name>] [--out <dir>]      topology SVG (and PNG with rsvg-convert)
  cost     [--stack <name>] [--outbound-gb <n>] [--inbound-gb <n>] [--price <type>=<usd/h>] [--json]
  lab      ${LAB_OPTIONS}
  policy   [--json] [--rules] [cdktf.out | stack dir | cdk.tf.json ...]

The app: --app <module.js>, else the JavaScript file cdktf.json's "app" runs with node. The
module exports an App or a function returning one (as app, default, the only function, or
--export <name>), or synthesizes an App when loaded.`;

class UsageError extends Error {}

interface Common {
  app?: string;
  exportName?: string;
  stack?: string;
  out?: string;
  json: boolean;
  rest: string[];
}

type Shared = "--stack" | "--out" | "--json";

/**
 * Splits the app options (--app, --export) and the shared options the command takes (`shared`)
 * from the rest, which the command reads; a shared option the command does not take is refused.
 */
function parseCommon(argv: readonly string[], valueOptions: readonly string[], shared: readonly Shared[]): Common {
  const c: Common = { json: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if ((a === "--stack" || a === "--out" || a === "--json") && !shared.includes(a)) throw new UsageError(`${a} does not apply to this command`);
    if (a === "--app") c.app = value();
    else if (a === "--export") c.exportName = value();
    else if (a === "--stack") c.stack = value();
    else if (a === "--out") c.out = value();
    else if (a === "--json") c.json = true;
    else if (valueOptions.includes(a)) c.rest.push(a, value());
    else c.rest.push(a);
  }
  return c;
}

function number(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${option} ${JSON.stringify(text)}: give a number of GB a month, 0 or more`);
  return n;
}

const defaultIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l), progress: (l) => console.error(`siit-dc: ${l}`) };

/** Runs the command; returns the exit status. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "synth":
        return await synthCommand(args, io);
      case "report":
        return await reportCommand(args, io);
      case "diagram":
        return await diagramCommand(args, io);
      case "cost":
        return await costCommand(args, io);
      case "lab":
        return await labCommand(args, io);
      case "policy":
        return await policyCommand(args, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof LabUsageError) {
      io.err(`siit-dc: ${e.message}`);
      io.err(USAGE);
      return 2;
    }
    if (e instanceof AppBuildError) {
      io.err("Synthesis failed:");
      io.err(e.message);
      return 1;
    }
    if (e instanceof AppLoadError || e instanceof CostError) {
      io.err(`siit-dc: ${e.message}`);
      return e instanceof AppLoadError ? 2 : 1;
    }
    throw e;
  }
}

function noRest(c: Common): void {
  if (c.rest.length) throw new UsageError(`unknown argument ${c.rest[0]}`);
}

async function load(c: Common, outdir: string, io: Io): Promise<LoadedApp> {
  io.progress(`loading the app ${c.app ?? "(from cdktf.json)"} ...`);
  return loadApp({ app: c.app, exportName: c.exportName, outdir });
}

/** Loads and synthesizes the app into a scratch directory (removed afterwards), then runs `f`. */
async function withSynthesizedApp(c: Common, io: Io, f: (loaded: LoadedApp) => Promise<number>): Promise<number> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-dc-"));
  try {
    const loaded = await load(c, outdir, io);
    io.progress("synthesizing (validations run here) ...");
    const result = synthesize(loaded.app, loaded.synthesized, { ...io, out: () => undefined }, false);
    if (!result.ok) return 1;
    return await f(loaded);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

async function synthCommand(args: readonly string[], io: Io): Promise<number> {
  const c = parseCommon(args, ["--previous"], ["--out"]);
  const at = c.rest.indexOf("--previous");
  const previousDir = at >= 0 ? c.rest.splice(at, 2)[1] : undefined;
  noRest(c);
  const outdir = c.out ?? "cdktf.out";
  if (previousDir !== undefined && !fs.existsSync(previousDir)) throw new UsageError(`--previous ${previousDir}: no such directory`);
  // What the last synth planned, read before its output is emptied.
  const previous = readPreviousPlans(previousDir ?? outdir);
  try {
    clearOutdir(outdir);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const loaded = await load(c, outdir, io);
  if (c.out && path.resolve(loaded.app.outdir) !== path.resolve(c.out)) {
    io.err(`siit-dc: the app writes to ${path.relative(process.cwd(), loaded.app.outdir) || "."}, not to --out ${c.out}: its App sets outdir (drop it, or read the output there)`);
  }
  return runSynth(loaded.app, loaded.synthesized, io, previous);
}

async function reportCommand(args: readonly string[], io: Io): Promise<number> {
  const c = parseCommon(args, [], ["--stack", "--out", "--json"]);
  noRest(c);
  return withSynthesizedApp(c, io, async ({ app }) => {
    const stacks = pickStacks(app, c.stack);
    const reports = stacks.map((s) => stackAddressReport(s));
    if (c.out) {
      for (const [i, s] of stacks.entries()) {
        io.out(`address plan of stack ${s.node.id} -> ${writeOut(c.out, `${s.node.id}.address-plan.json`, JSON.stringify(reports[i], null, 2) + "\n")}`);
        io.out(`address plan and packet paths of stack ${s.node.id} -> ${writeOut(c.out, `${s.node.id}.address-plan.md`, stackReportMarkdown(s))}`);
      }
    } else if (c.json) io.out(JSON.stringify(c.stack ? reports[0] : reports, null, 2));
    else io.out(stacks.map((s) => stackReportMarkdown(s)).join("\n"));
    return 0;
  });
}

async function diagramCommand(args: readonly string[], io: Io): Promise<number> {
  const c = parseCommon(args, [], ["--stack", "--out"]);
  noRest(c);
  return withSynthesizedApp(c, io, async ({ app }) => {
    for (const s of pickStacks(app, c.stack)) {
      io.progress(`laying out stack ${s.node.id} (elkjs) ...`);
      const started = performance.now();
      const d = await stackDiagram(s);
      const svg = writeOut(c.out ?? ".", `${s.node.id}.topology.svg`, d.svg);
      io.progress(`laid out ${d.boxes.length} boxes and ${d.edges.length} edges in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      io.out(`topology of stack ${s.node.id} -> ${svg} (${d.width}x${d.height})`);
      const png = svgToPng(path.resolve(svg));
      io.out(png ? `  PNG -> ${path.relative(process.cwd(), png)}` : "  no PNG: rsvg-convert is not installed (Debian package librsvg2-bin)");
    }
    return 0;
  });
}

async function costCommand(args: readonly string[], io: Io): Promise<number> {
  const c = parseCommon(args, ["--outbound-gb", "--inbound-gb", "--price"], ["--stack", "--json"]);
  let outboundGb = 0;
  let inboundGb = 0;
  const extraInstancePrices: Record<string, number> = {};
  for (let i = 0; i < c.rest.length; i += 2) {
    const [option, value] = [c.rest[i], c.rest[i + 1]];
    if (option === "--outbound-gb") outboundGb = number(value, option);
    else if (option === "--inbound-gb") inboundGb = number(value, option);
    else if (option === "--price") {
      const m = /^([a-z0-9-]+\.[a-z0-9]+)=(\d+(\.\d+)?)$/.exec(value ?? "");
      if (!m) throw new UsageError(`--price ${JSON.stringify(value)}: give <instance type>=<USD per hour>, e.g. c8gn.medium=0.07`);
      extraInstancePrices[m[1]] = Number(m[2]);
    } else throw new UsageError(`unknown argument ${option}`);
  }
  return withSynthesizedApp(c, io, async ({ app }) => {
    const stacks = pickStacks(app, c.stack);
    const reports = stacks.map((s) => {
      const file = path.join(app.outdir, "stacks", s.node.id, "cdk.tf.json");
      return stackCost(s, JSON.parse(fs.readFileSync(file, "utf8")) as TerraformJson, { outboundGb, inboundGb, extraInstancePrices });
    });
    io.out(c.json ? JSON.stringify(c.stack ? reports[0] : reports, null, 2) : reports.map(renderCostReport).join("\n"));
    return 0;
  });
}

async function labCommand(args: readonly string[], io: Io): Promise<number> {
  const c = parseCommon(args, ["--phase"], ["--stack"]);
  const lab = parseLabArgs([...c.rest, ...(c.stack ? ["--stack", c.stack] : [])]);
  const why = labPreflight(lab);
  if (why) {
    io.err(`siit-dc lab: ${why}`);
    return 2;
  }
  if (lab.cleanStale) return cleanStale(io.out);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-dc-lab-"));
  try {
    const loaded = await load(c, outdir, io);
    return await runLab(loaded.app, lab, io.out, io.err);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

async function policyCommand(args: readonly string[], io: Io): Promise<number> {
  const c = parseCommon(args, [], ["--json"]);
  const argv = [...(c.json ? ["--json"] : []), ...c.rest];
  return runPolicy(argv, io.out, io.err, async (outdir) => {
    const loaded = await load(c, outdir, io);
    io.progress("synthesizing ...");
    return synthesize(loaded.app, loaded.synthesized, { ...io, out: () => undefined }, false).ok;
  });
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
