import * as fs from "fs";
import * as path from "path";
import { App } from "../cdktf";
import { addressReportChanges } from "../plan/report/address-changes";
import { AddressReport } from "../plan/report/address-report";
import { validateAddressPlan } from "../testing";
import { stackAddressReport } from "./reports";
import { constructsOf, stacksOf } from "./stack-model";

/**
 * `siit-dc synth`: synthesizes an app into its output directory without cdktf-cli or AWS
 * credentials, prints each stack with its resource counts and every warning and error with its
 * construct path, writes each stack's packet-path report and address plan beside it, warns about
 * what moved against the previous synth's address plan, and fails on errors.
 */

/** File name of the address plan `siit-dc synth` keeps beside each stack (the `report --json` data). */
export const ADDRESS_PLAN_FILE = "siit-dc-addresses.json";

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Progress of long-running steps (stderr). */
  readonly progress: (line: string) => void;
}

interface StackManifest {
  readonly name: string;
  readonly synthesizedStackPath: string;
  readonly annotations: { constructPath: string; level: string; message: string }[];
  /** Stacks this one reads through cross-stack references (their state must exist first). */
  readonly dependencies?: string[];
}

export interface SynthResult {
  readonly ok: boolean;
  readonly warnings: number;
  readonly errors: number;
  /** Stack name -> synthesized Terraform JSON file. */
  readonly stackFiles: ReadonlyMap<string, string>;
}

/**
 * Synthesizes `app` (unless its module already did) and reads the manifest. Construct errors
 * (thrown by validation, or error annotations) make `ok` false; each is printed with its path.
 */
export function synthesize(app: App, alreadySynthesized: boolean, io: Io, print = true): SynthResult {
  const outdir = app.outdir;
  if (!alreadySynthesized) {
    try {
      app.synth();
    } catch (e) {
      io.err("Synthesis failed:");
      io.err(e instanceof Error ? e.message : String(e));
      return { ok: false, warnings: 0, errors: 1, stackFiles: new Map() };
    }
  }
  const manifestFile = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    io.err(`the app wrote no ${manifestFile}: did it synthesize into another directory (App outdir)?`);
    return { ok: false, warnings: 0, errors: 1, stackFiles: new Map() };
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { stacks: Record<string, StackManifest> };
  let warnings = 0;
  let errors = 0;
  const stackFiles = new Map<string, string>();
  for (const stack of Object.values(manifest.stacks)) {
    const file = path.join(outdir, stack.synthesizedStackPath);
    stackFiles.set(stack.name, file);
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    const counts = Object.entries(config.resource ?? {})
      .map(([type, byName]) => [type, Object.keys(byName).length] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    if (print) {
      io.out(`stack ${stack.name}: ${counts.reduce((n, [, c]) => n + c, 0)} resources -> ${path.relative(process.cwd(), file)}`);
      for (const [type, count] of counts) io.out(`  ${String(count).padStart(4)}  ${type}`);
    }
    for (const a of stack.annotations) {
      const level = a.level.replace("@cdktf/", "").toUpperCase();
      if (level === "WARN") warnings++;
      if (level === "ERROR") errors++;
      (level === "ERROR" ? io.err : io.out)(`  ${level} [${a.constructPath}] ${a.message}`);
    }
  }
  const order = deployOrder(Object.values(manifest.stacks));
  if (print && order.some((s) => s.dependencies?.length)) {
    io.out(`deploy order (a stack reads the state of those before it): ${order.map((s) => (s.dependencies?.length ? `${s.name} (after ${s.dependencies.join(", ")})` : s.name)).join(", ")}`);
  }
  return { ok: errors === 0, warnings, errors, stackFiles };
}

/** Stacks in an order where each comes after the stacks it depends on (cdktf's manifest lists them). */
function deployOrder(stacks: readonly StackManifest[]): StackManifest[] {
  const done = new Set<string>();
  const order: StackManifest[] = [];
  const visit = (s: StackManifest, path: string[]) => {
    if (done.has(s.name)) return;
    if (path.includes(s.name)) throw new Error(`stacks depend on each other in a cycle: ${[...path, s.name].join(" -> ")}`);
    for (const d of s.dependencies ?? []) {
      const dep = stacks.find((x) => x.name === d);
      if (dep) visit(dep, [...path, s.name]);
    }
    done.add(s.name);
    order.push(s);
  };
  for (const s of stacks) visit(s, []);
  return order;
}

/**
 * Empties a previous output directory, so stacks removed from the app leave no files behind; a
 * directory that is not a cdktf output (no manifest.json) is refused rather than deleted.
 */
export function clearOutdir(outdir: string): void {
  if (!fs.existsSync(outdir) || fs.readdirSync(outdir).length === 0) return;
  if (!fs.existsSync(path.join(outdir, "manifest.json"))) throw new Error(`${outdir} exists and is not a cdktf output directory (no manifest.json): choose another --out`);
  fs.rmSync(outdir, { recursive: true, force: true });
}

/** Address plans of an earlier synth, by stack name, and where they were read from. */
export interface PreviousPlans {
  readonly from: string;
  readonly plans: ReadonlyMap<string, AddressReport>;
  /** Files that were not a valid address plan (not JSON, or not the schema): not compared, and said so. */
  readonly unreadable: readonly string[];
}

/**
 * The address plans a cdktf output directory holds from an earlier `siit-dc synth`
 * (`stacks/<stack>/siit-dc-addresses.json`), or that a directory of `siit-dc report --json --out`
 * files holds (`<stack>.address-plan.json`). Read before the directory is emptied.
 */
export function readPreviousPlans(dir: string): PreviousPlans {
  const plans = new Map<string, AddressReport>();
  const unreadable: string[] = [];
  const read = (stack: string, file: string) => {
    let plan: unknown;
    try {
      plan = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      unreadable.push(`${file}: ${(e as Error).message}`);
      return;
    }
    const problems = validateAddressPlan(plan);
    if (problems.length) unreadable.push(`${file}: ${problems.join("; ")}`);
    else plans.set(stack, plan as AddressReport);
  };
  const stacks = path.join(dir, "stacks");
  if (fs.existsSync(stacks)) {
    for (const name of fs.readdirSync(stacks)) {
      const file = path.join(stacks, name, ADDRESS_PLAN_FILE);
      if (fs.existsSync(file)) read(name, file);
    }
  } else if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".address-plan.json"))) read(f.slice(0, -".address-plan.json".length), path.join(dir, f));
  }
  return { from: dir, plans, unreadable };
}

/**
 * The synth command on a loaded app; returns the exit status. With `previous`, every translator
 * interface that will be replaced and every address of a kept service that moved is a warning.
 */
export function runSynth(app: App, alreadySynthesized: boolean, io: Io, previous?: PreviousPlans): number {
  io.progress(`synthesizing into ${path.relative(process.cwd(), app.outdir) || "."} ...`);
  const started = performance.now();
  const result = synthesize(app, alreadySynthesized, io);
  if (result.stackFiles.size === 0 && !result.ok) return 1;
  let warnings = result.warnings;
  for (const u of previous?.unreadable ?? []) {
    warnings++;
    io.out(`  WARN previous address plan not compared, it is not one: ${u}`);
  }
  for (const stack of stacksOf(app)) {
    const sets = constructsOf(stack).translatorSets;
    const file = result.stackFiles.get(stack.node.id);
    if (!sets.length || !file) continue;
    // Packet-path reports: how an IPv4 client's packets reach each published service and return.
    const report = path.join(path.dirname(file), "siit-dc-paths.md");
    fs.writeFileSync(report, sets.map((s) => s.pathReport()).join("\n"));
    io.out(`packet paths of stack ${stack.node.id} -> ${path.relative(process.cwd(), report)}`);
    // The address plan, which the next synth compares against (synth has no other memory).
    const plan = stackAddressReport(stack);
    fs.writeFileSync(path.join(path.dirname(file), ADDRESS_PLAN_FILE), JSON.stringify(plan, null, 2) + "\n");
    const before = previous?.plans.get(stack.node.id);
    if (!before) continue;
    for (const change of addressReportChanges(before, plan)) {
      warnings++;
      const consequence = change.kind === "interface" ? "; the plan stops on its prevent_destroy unless the set sets allowInterfaceReplacement" : "";
      io.out(`  WARN [${change.path}] against the previous synth (${previous!.from}): ${change.message}${consequence}`);
    }
  }
  io.progress(`synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!result.ok) {
    io.err(`${result.errors} error(s): synthesis output is not usable.`);
    return 1;
  }
  io.out(`${result.stackFiles.size} stack(s) synthesized, ${warnings} warning(s).`);
  return 0;
}
