import * as path from "path";
import { main } from "../lib/toolkit/cli";

/**
 * `npm run policy [-- options]`: the package's `siit-dc policy`; without a path it synthesizes
 * the bundled examples (dist/examples/main.js) and checks them.
 */
if (require.main === module) {
  const args = process.argv.slice(2);
  const app = args.includes("--app") ? [] : ["--app", path.join(__dirname, "../examples/main.js")];
  main(["policy", ...app, ...args]).then((code) => (process.exitCode = code));
}
