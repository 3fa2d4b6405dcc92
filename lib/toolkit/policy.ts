import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkStack, Finding, formatFinding, rulesTable, TerraformJson } from "../plan/policy/policy-pass";

/**
 * `siit-dc policy`: the policy pass over synthesized stacks.
 *
 *   siit-dc policy [--app <module>]                synthesizes the app into a scratch directory and checks it
 *   siit-dc policy cdktf.out                       every stack of a synthesized app (stacks/<name>/cdk.tf.json)
 *   siit-dc policy path/to/cdk.tf.json ...         given stack files (or directories holding one)
 *   siit-dc policy --json | --rules
 *
 * Exit status: 0 no findings; 1 findings; 2 usage error or unreadable input.
 */

interface StackFile {
  readonly name: string;
  readonly file: string;
}

/** Stack files under `target`: a .tf.json file, a stack directory, or a cdktf output directory. */
export function stackFiles(target: string): StackFile[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [{ name: path.basename(path.dirname(path.resolve(target))), file: target }];
  const own = path.join(target, "cdk.tf.json");
  if (fs.existsSync(own)) return [{ name: path.basename(path.resolve(target)), file: own }];
  const stacks = path.join(target, "stacks");
  if (fs.existsSync(stacks)) {
    return fs
      .readdirSync(stacks)
      .sort()
      .map((name) => ({ name, file: path.join(stacks, name, "cdk.tf.json") }))
      .filter((s) => fs.existsSync(s.file));
  }
  throw new Error(`${target}: no cdk.tf.json and no stacks/ directory`);
}

/** Runs the pass; returns the exit status. */
export async function runPolicy(argv: string[], out: (line: string) => void, err: (line: string) => void, synthApp?: (outdir: string) => Promise<boolean>): Promise<number> {
  const json = argv.includes("--json");
  if (argv.includes("--rules")) {
    out(rulesTable());
    return 0;
  }
  const unknown = argv.filter((a) => a.startsWith("--") && a !== "--json");
  if (unknown.length) {
    err(`unknown option ${unknown[0]}; usage: policy [--json] [--rules] [cdktf.out | stack dir | cdk.tf.json ...]`);
    return 2;
  }
  const targets = argv.filter((a) => !a.startsWith("--"));
  if (targets.length > 0) return checkTargets(targets, json, out, err);
  if (!synthApp) {
    err("usage: policy [--json] [--rules] cdktf.out | stack dir | cdk.tf.json ...");
    return 2;
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-dc-policy-"));
  try {
    if (!(await synthApp(outdir))) return 1;
    return checkTargets([outdir], json, out, err);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function checkTargets(targets: string[], json: boolean, out: (line: string) => void, err: (line: string) => void): number {
  let files: StackFile[];
  try {
    files = targets.flatMap(stackFiles);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const results: { stack: string; file: string; findings: Finding[] }[] = [];
  for (const f of files) {
    let doc: TerraformJson;
    try {
      doc = JSON.parse(fs.readFileSync(f.file, "utf8")) as TerraformJson;
    } catch (e) {
      err(`${f.file}: ${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    results.push({ stack: f.name, file: f.file, findings: checkStack(doc) });
  }
  if (json) {
    out(JSON.stringify(results.map((r) => ({ stack: r.stack, findings: r.findings })), null, 2));
  } else {
    for (const r of results) {
      out(`stack ${r.stack}: ${r.findings.length} finding(s)`);
      for (const f of r.findings) out(`  ${formatFinding(f)}`);
    }
  }
  return results.some((r) => r.findings.length > 0) ? 1 : 0;
}
