import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * Host side of the VM tier: the cached Debian 12 guest image (vm/image/image.sh) and boots of it
 * under QEMU TCG (vm/boot.sh), each with its own shared folder (the guest's /mnt/host).
 */
const root = path.resolve(__dirname, "../..");
export const IMAGE_SCRIPT = path.join(root, "vm/image/image.sh");
const BOOT_SCRIPT = path.join(root, "vm/boot.sh");

/** Why the tier cannot run here, or undefined. */
export function vmUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "not root (mmdebstrap --mode=root and the image cache need root)";
  const missing = ["qemu-system-x86_64", "mmdebstrap", "mke2fs", "apt-cache", "flock"].filter((c) => spawnSync("sh", ["-c", `command -v ${c}`]).status !== 0);
  if (missing.length) return `${missing.join(", ")} not found; install the Debian packages qemu-system-x86, mmdebstrap and e2fsprogs (.ci/run does)`;
  return undefined;
}

export interface ImageInfo {
  readonly dir: string;
  /** Seconds this call took (a build, or only the cache look-up). */
  readonly seconds: number;
  readonly built: boolean;
  readonly manifest: string;
}

/** The cached image, built first if its key (recipe + package versions) has no complete entry. */
export function ensureImage(): ImageInfo {
  const started = Date.now();
  const key = spawnSync(IMAGE_SCRIPT, ["dir"], { encoding: "utf8" });
  if (key.status !== 0) throw new Error(`image.sh dir failed: ${key.stderr}`);
  const cached = fs.existsSync(path.join(key.stdout.trim(), "manifest.txt"));
  const r = spawnSync(IMAGE_SCRIPT, ["ensure"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`building the VM image failed (status ${r.status}):\n${r.stderr.slice(-4000)}`);
  const dir = r.stdout.trim().split("\n").pop()!;
  return { dir, seconds: (Date.now() - started) / 1000, built: !cached, manifest: fs.readFileSync(path.join(dir, "manifest.txt"), "utf8") };
}

export interface BootResult {
  readonly status: number | null;
  readonly seconds: number;
  /** "PASS name" / "FAIL name: why" lines and "DONE phase n" markers the guest wrote. */
  readonly checks: string[];
  readonly console: string;
  /** What the early hook (sdvm-early, before cloud-init) wrote; empty when it did not run or could not mount the share. */
  readonly early: string;
}

/** Boots the image with `share` as /mnt/host; resolves when QEMU exits (guest power-off or timeout). */
export function boot(image: string, share: string, mode: "init" | "systemd", timeoutSeconds: number, kernelArgs: string[] = []): Promise<BootResult> {
  const started = Date.now();
  fs.rmSync(path.join(share, "out"), { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(BOOT_SCRIPT, [image, share, mode, String(timeoutSeconds), ...kernelArgs], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (status) => {
      const read = (f: string) => (fs.existsSync(path.join(share, "out", f)) ? fs.readFileSync(path.join(share, "out", f), "utf8") : "");
      resolve({
        status,
        seconds: (Date.now() - started) / 1000,
        checks: read("checks.log").split("\n").filter(Boolean),
        console: `${read("console.log")}${output}`,
        early: read("early.log"),
      });
    });
  });
}

/** Copies the guest scripts (test/vm/guest) into a share. */
export function copyGuestScripts(share: string, names: readonly string[]): void {
  for (const n of names) fs.copyFileSync(path.join(__dirname, "guest", n), path.join(share, n));
}

/** Writes `content` to `share/rel`, creating folders. */
export function put(share: string, rel: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(share, rel)), { recursive: true });
  fs.writeFileSync(path.join(share, rel), content);
}
