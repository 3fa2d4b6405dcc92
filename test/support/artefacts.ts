import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { decodeUserData, splitUserData, UserDataPart } from "../../lib/plan/boot/user-data";
import { SynthesizedStack } from "./stacks";

/** Every launch template's user data in a synthesized stack, decoded and split into parts. */
export function userDataOf(synth: SynthesizedStack): { template: string; text: string; bytes: number; parts: UserDataPart[] }[] {
  return Object.entries(synth.resource.aws_launch_template ?? {}).map(([template, lt]) => {
    const bytes = Buffer.from(String(lt.user_data), "base64").length;
    const text = decodeUserData(String(lt.user_data));
    return { template, text, bytes, parts: splitUserData(text) };
  });
}

/** Shell scripts inside a cloud-config document (`write_files` entries with a sh or bash shebang). */
export function scriptsInCloudConfig(cloudConfig: string): { path: string; content: string }[] {
  const doc = parse(cloudConfig) as { write_files?: { path: string; content: string }[] };
  return (doc.write_files ?? []).filter((f) => /^#!\S*\/(env )?(ba)?sh\b/.test(f.content)).map((f) => ({ path: f.path, content: f.content }));
}

export interface ToolResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs `command args... <file>` on `content` written to a temporary file. */
export function runOnFile(command: string, args: string[], content: string, suffix: string): ToolResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-artefact-"));
  try {
    const file = path.join(dir, `artefact${suffix}`);
    fs.writeFileSync(file, content);
    const r = spawnSync(command, [...args, file], { encoding: "utf8" });
    return { status: r.status, output: `${r.stdout}${r.stderr}`.split(file).join(`<artefact${suffix}>`) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `cloud-init schema -c` (offline, no datasource needed). */
export function cloudInitSchema(cloudConfig: string): ToolResult {
  return runOnFile("cloud-init", ["schema", "-c"], cloudConfig, ".cfg");
}

/** shellcheck at its default severity; the shebang picks the dialect. */
export function shellcheck(script: string): ToolResult {
  return runOnFile("shellcheck", [], script, ".sh");
}
