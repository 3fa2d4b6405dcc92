import * as path from "path";
import { main } from "../lib/toolkit/cli";

/**
 * `npm run synth`: the package's `siit-dc synth` on the bundled examples (dist/examples/main.js).
 * An argument names the output directory (default cdktf.out).
 */
if (require.main === module) {
  const out = process.argv[2] ?? "cdktf.out";
  main(["synth", "--app", path.join(__dirname, "../examples/main.js"), "--out", out]).then((code) => (process.exitCode = code));
}
