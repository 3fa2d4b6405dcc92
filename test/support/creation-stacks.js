/**
 * Jest setup (setupFilesAfterEnv): creation stacks without source maps.
 *
 * cdktf records a full stack trace for every token it makes, and constructs for every piece of
 * metadata; each is a plain object passed to `Error.captureStackTrace`. Under jest, formatting
 * those traces goes through source-map-support, which maps every frame of every trace: more than
 * half the CPU time of a synth-heavy test file. Those traces are only read when cdktf reports a
 * token it cannot resolve. Here they are formatted as V8 formats them outside jest (positions in
 * the transpiled code); everything else (errors of any realm) keeps its source-mapped stack, so
 * a failing test still points into the TypeScript.
 */
const mapped = Error.prepareStackTrace;
if (typeof mapped === "function") {
  Error.prepareStackTrace = function prepareStackTrace(error, frames) {
    // cdktf's and constructs' captures: `{ stack: "" }`, a plain object.
    if (error === null || typeof error !== "object" || Object.getPrototypeOf(error) !== Object.prototype) return mapped.call(this, error, frames);
    return ["Error", ...frames.map((frame) => `    at ${frame}`)].join("\n");
  };
}
