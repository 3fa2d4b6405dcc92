import * as fs from "fs";
import * as path from "path";
import { App } from "../cdktf";
import { constructsOf, stacksOf } from "./stack-model";

/**
 * `siit-dc synth`: synthesizes an app into its output directory without cdktf-cli or AWS
 * credentials, prints each stack with its resource counts and every warning and error with its
 * construct path, writes each stack's packet-path report beside it, and fails on errors.
 */

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
  return { ok: errors === 0, warnings, errors, stackFiles };
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

/** The synth command on a loaded app; returns the exit status. */
export function runSynth(app: App, alreadySynthesized: boolean, io: Io): number {
  io.progress(`synthesizing into ${path.relative(process.cwd(), app.outdir) || "."} ...`);
  const started = performance.now();
  const result = synthesize(app, alreadySynthesized, io);
  if (result.stackFiles.size === 0 && !result.ok) return 1;
  // Packet-path reports: how an IPv4 client's packets reach each published service and return.
  for (const stack of stacksOf(app)) {
    const sets = constructsOf(stack).translatorSets;
    const file = result.stackFiles.get(stack.node.id);
    if (!sets.length || !file) continue;
    const report = path.join(path.dirname(file), "siit-dc-paths.md");
    fs.writeFileSync(report, sets.map((s) => s.pathReport()).join("\n"));
    io.out(`packet paths of stack ${stack.node.id} -> ${path.relative(process.cwd(), report)}`);
  }
  io.progress(`synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!result.ok) {
    io.err(`${result.errors} error(s): synthesis output is not usable.`);
    return 1;
  }
  io.out(`${result.stackFiles.size} stack(s) synthesized, ${result.warnings} warning(s).`);
  return 0;
}
