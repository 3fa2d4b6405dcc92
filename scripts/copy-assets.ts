import * as fs from "fs";
import * as path from "path";

/** Part of `npm run build`: copies the non-TypeScript files the library reads at run time (shell scripts, generated validators) into dist/. */
const root = path.resolve(__dirname, "../..");

function copy(dir: string): void {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copy(rel);
    else if (/\.(sh|py)$|^jool-validators\.js$/.test(entry.name)) {
      fs.mkdirSync(path.join(root, "dist", dir), { recursive: true });
      fs.copyFileSync(path.join(root, rel), path.join(root, "dist", rel));
    }
  }
}

copy("lib");
