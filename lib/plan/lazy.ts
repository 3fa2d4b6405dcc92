/**
 * Packages loaded on first use, not at import: yaml (about 70 modules) is needed only to render
 * user data and image recipes and to check Jool files, so importing the library stays near the
 * cost of importing cdktf itself.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a require() in a function is what defers the load */

let yamlModule: typeof import("yaml") | undefined;

/** The `yaml` package. */
export function yaml(): typeof import("yaml") {
  return (yamlModule ??= require("yaml") as typeof import("yaml"));
}
