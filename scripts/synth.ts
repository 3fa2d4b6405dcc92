import * as fs from "fs";
import * as path from "path";
import { exampleApp } from "../examples/main";
import { SiitDcTranslators } from "../lib";
import { App, TerraformStack } from "../lib/cdktf";

/**
 * `npm run synth`: synthesizes the bundled examples into cdktf.out/ without cdktf-cli or AWS
 * credentials, prints a summary (stacks, resource counts, construct warnings) and exits non-zero
 * with the construct errors if there are any.
 */

interface StackManifest {
  readonly name: string;
  readonly synthesizedStackPath: string;
  readonly annotations: { constructPath: string; level: string; message: string }[];
}

/** Synthesizes the app that `buildApp` makes into `outdir`; returns the exit code. */
export function runSynth(buildApp: (outdir: string) => App, outdir: string, out: (line: string) => void, err: (line: string) => void): number {
  fs.rmSync(outdir, { recursive: true, force: true });
  let app: App;
  try {
    app = buildApp(outdir);
    app.synth();
  } catch (e) {
    err("Synthesis failed:");
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, StackManifest> };
  let warnings = 0;
  for (const stack of Object.values(manifest.stacks)) {
    const file = path.join(outdir, stack.synthesizedStackPath);
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    const counts = Object.entries(config.resource ?? {})
      .map(([type, byName]) => [type, Object.keys(byName).length] as const)
      .sort(([a], [b]) => a.localeCompare(b));
    out(`stack ${stack.name}: ${counts.reduce((n, [, c]) => n + c, 0)} resources -> ${path.relative(process.cwd(), file)}`);
    for (const [type, count] of counts) out(`  ${String(count).padStart(4)}  ${type}`);
    for (const a of stack.annotations) {
      if (a.level.endsWith("warn")) warnings++;
      out(`  ${a.level.replace("@cdktf/", "").toUpperCase()} [${a.constructPath}] ${a.message}`);
    }
  }
  // Packet-path reports: how an IPv4 client's packets reach each published service and return.
  const reports = new Map<string, string[]>();
  for (const set of app.node.findAll().filter((c): c is SiitDcTranslators => c instanceof SiitDcTranslators)) {
    const stack = TerraformStack.of(set).node.id;
    reports.set(stack, [...(reports.get(stack) ?? []), set.pathReport()]);
  }
  for (const [stack, texts] of reports) {
    const file = path.join(outdir, "stacks", stack, "siit-dc-paths.md");
    fs.writeFileSync(file, texts.join("\n"));
    out(`packet paths of stack ${stack} -> ${path.relative(process.cwd(), file)}`);
  }
  out(`${Object.keys(manifest.stacks).length} stack(s) synthesized, ${warnings} warning(s).`);
  return 0;
}

if (require.main === module) {
  process.exitCode = runSynth(exampleApp, path.resolve(process.argv[2] ?? "cdktf.out"), console.log, console.error);
}
