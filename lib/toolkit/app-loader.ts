import * as fs from "fs";
import * as path from "path";
import { App } from "../cdktf";

/**
 * How the command finds a user's cdktf App (docs/guides/command.md):
 *
 * 1. `--app <module>`, else the JavaScript file that cdktf.json's `app` command runs with `node`
 *    (e.g. `"app": "npm run build && node dist/main.js"`).
 * 2. In the module: the export named by `--export`; else an export `app` or `default`; else the
 *    only exported function. An export may be an App, or a function (sync or async) returning
 *    one, called with the output directory (it may ignore it).
 * 3. Else, a module that builds an App and calls `app.synth()` when loaded (cdktf's template
 *    main.ts): the command captures that App while the module loads.
 *
 * `CDKTF_OUTDIR` is set to the output directory while the module loads, so an App created without
 * an `outdir` writes there (cdktf's App reads it).
 */
export class AppLoadError extends Error {}

/** The app's own code threw while building the App (a construct error, typically). */
export class AppBuildError extends Error {}

export interface LoadedApp {
  readonly app: App;
  /** The module file. */
  readonly module: string;
  /** Whether the module synthesized the app itself while loading. */
  readonly synthesized: boolean;
  /** Where the app writes its output. */
  readonly outdir: string;
}

export interface LoadOptions {
  readonly app?: string;
  readonly exportName?: string;
  readonly outdir: string;
  /** Where cdktf.json is looked for. */
  readonly cwd?: string;
}

/** The module cdktf.json's `app` command runs with node, if it names one. */
export function appFromCdktfJson(cwd: string): string | undefined {
  const file = path.join(cwd, "cdktf.json");
  if (!fs.existsSync(file)) return undefined;
  const command = (JSON.parse(fs.readFileSync(file, "utf8")) as { app?: string }).app ?? "";
  const m = /(?:^|&&|;)\s*node\s+(?:-[^\s]+\s+)*([^\s;&]+\.c?js)\b/.exec(command);
  return m?.[1];
}

/** Loads the app module and finds its App (see above); errors say what was looked for. */
export async function loadApp(options: LoadOptions): Promise<LoadedApp> {
  const cwd = options.cwd ?? process.cwd();
  const given = options.app ?? appFromCdktfJson(cwd);
  if (!given) throw new AppLoadError("no --app <module.js> given, and cdktf.json has no `app` command that runs a JavaScript file with node");
  const file = path.resolve(cwd, given);
  if (!fs.existsSync(file)) throw new AppLoadError(`app module ${given} does not exist (${file}); build it first, or pass --app <module.js>`);
  const outdir = path.resolve(cwd, options.outdir);

  // cdktf as the user's module sees it: the App it constructs comes from that copy.
  const cdktf = requireFrom(file, "cdktf") as typeof import("cdktf");
  const captured: App[] = [];
  const originalSynth = cdktf.App.prototype.synth;
  cdktf.App.prototype.synth = function (this: App) {
    captured.push(this);
    return originalSynth.call(this);
  };
  let mod: Record<string, unknown> = {};
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    withOutdirEnv(outdir, () => (mod = require(file) as Record<string, unknown>));
  } catch (e) {
    throw new AppBuildError(`loading ${given} failed:\n${e instanceof Error ? e.message : String(e)}`);
  } finally {
    cdktf.App.prototype.synth = originalSynth;
  }

  const exported = chooseExport(mod, options.exportName, given);
  if (exported) {
    let value = exported[1];
    if (typeof value === "function") {
      try {
        withOutdirEnv(outdir, () => (value = (value as (outdir: string) => unknown)(outdir)));
        value = await value;
      } catch (e) {
        throw new AppBuildError(`${exported[0]}() of ${given} failed:\n${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!cdktf.App.isApp(value)) throw new AppLoadError(`${given}: export ${exported[0]} is ${typeof exported[1] === "function" ? "a function that did not return" : "not"} a cdktf App`);
    return { app: value as App, module: file, synthesized: false, outdir: (value as App).outdir };
  }
  if (captured.length === 1) return { app: captured[0], module: file, synthesized: true, outdir: captured[0].outdir };
  if (captured.length > 1) throw new AppLoadError(`${given} synthesized ${captured.length} Apps while loading; export the one to use as \`app\``);
  const functions = Object.entries(mod).filter(([, v]) => typeof v === "function").map(([k]) => k);
  throw new AppLoadError(
    `${given} neither exports an App (as \`app\`, \`default\`, or a function returning one) nor synthesizes one when loaded` +
      (functions.length ? `; it exports functions ${functions.join(", ")}: name one with --export <name>` : ""),
  );
}

function chooseExport(mod: Record<string, unknown>, name: string | undefined, given: string): [string, unknown] | undefined {
  if (name !== undefined) {
    if (!(name in mod)) throw new AppLoadError(`${given} has no export ${name} (exports: ${Object.keys(mod).join(", ") || "none"})`);
    return [name, mod[name]];
  }
  for (const k of ["app", "default"]) if (mod[k] !== undefined) return [k, mod[k]];
  const functions = Object.entries(mod).filter(([, v]) => typeof v === "function");
  return functions.length === 1 ? functions[0] : undefined;
}

/** Runs `f` with CDKTF_OUTDIR set, so a factory's `new App()` writes to `outdir`. */
function withOutdirEnv(outdir: string, f: () => void): void {
  const before = process.env.CDKTF_OUTDIR;
  process.env.CDKTF_OUTDIR = outdir;
  try {
    f();
  } finally {
    if (before === undefined) delete process.env.CDKTF_OUTDIR;
    else process.env.CDKTF_OUTDIR = before;
  }
}

function requireFrom(file: string, id: string): unknown {
  let resolved: string;
  try {
    resolved = require.resolve(id, { paths: [path.dirname(file)] });
  } catch {
    throw new AppLoadError(`${id} cannot be resolved from ${path.dirname(file)}: install the app's dependencies (npm install)`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved);
}
