// @ts-check
/**
 * Prints, after every jest run, the time of each test tier (the folders under test/): its files,
 * tests and the summed time of its files, and the run's wall time. Files of different tiers run
 * side by side on the two workers, so a tier's sum is its share of the run, not a wall time of
 * its own; `npm run test:fast` gives the fast tiers' wall time. A plain-JS reporter: jest loads
 * reporters without a transform.
 */
const path = require("path");

/** The tiers README.md and CONTRIBUTING.md describe, fast ones first. */
const FAST = ["plan", "constructs", "examples", "artefacts", "toolkit", "architecture", "docs", "package"];
const SLOW = ["terraform", "lab", "vm"];

class TierTimesReporter {
  /** @param {unknown} _globalConfig */
  constructor(_globalConfig) {
    this.started = Date.now();
  }

  /**
   * @param {unknown} _contexts
   * @param {{ testResults: { testFilePath: string; numPassingTests: number; numFailingTests: number; numPendingTests: number; perfStats: { start: number; end: number } }[] }} results
   */
  onRunComplete(_contexts, results) {
    /** @type {Map<string, { files: number; tests: number; ms: number }>} */
    const tiers = new Map();
    for (const r of results.testResults) {
      const tier = path.relative(path.join(__dirname, ".."), r.testFilePath).split(path.sep)[0];
      const t = tiers.get(tier) ?? { files: 0, tests: 0, ms: 0 };
      t.files += 1;
      t.tests += r.numPassingTests + r.numFailingTests + r.numPendingTests;
      t.ms += r.perfStats.end - r.perfStats.start;
      tiers.set(tier, t);
    }
    const order = [...FAST, ...SLOW, ...[...tiers.keys()].filter((k) => !FAST.includes(k) && !SLOW.includes(k))].filter((k) => tiers.has(k));
    const rows = order.map((k) => {
      const t = /** @type {{ files: number; tests: number; ms: number }} */ (tiers.get(k));
      return `  ${k.padEnd(13)}${String(t.files).padStart(6)}${String(t.tests).padStart(7)}${(t.ms / 1000).toFixed(1).padStart(10)} s${FAST.includes(k) ? "   (fast)" : ""}`;
    });
    const sum = (keys) => keys.reduce((n, k) => n + (tiers.get(k)?.ms ?? 0), 0) / 1000;
    process.stderr.write(
      [
        "",
        "Time per test tier (summed file times; files run side by side on the workers):",
        `  ${"tier".padEnd(13)}${"files".padStart(6)}${"tests".padStart(7)}${"time".padStart(12)}`,
        ...rows,
        `  fast tiers ${sum(FAST).toFixed(1)} s, Terraform, lab and VM ${sum(SLOW).toFixed(1)} s; wall time of this run ${((Date.now() - this.started) / 1000).toFixed(1)} s`,
        "",
      ].join("\n") + "\n",
    );
  }
}

module.exports = TierTimesReporter;
