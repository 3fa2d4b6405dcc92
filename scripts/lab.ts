import * as path from "path";
import { main } from "../lib/toolkit/cli";

/**
 * `npm run lab [-- options]`: the package's `siit-dc lab` on the bundled examples, unless the
 * options name another `--app` (see `siit-dc lab --help`).
 */
if (require.main === module) {
  const args = process.argv.slice(2);
  const app = args.includes("--app") ? [] : ["--app", path.join(__dirname, "../examples/main.js")];
  main(["lab", ...app, ...args]).then((code) => process.exit(code));
}
