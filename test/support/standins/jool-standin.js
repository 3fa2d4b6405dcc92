"use strict";
// The body of the jool_siit and jool stand-ins:
// - `file handle <path>`: the file is checked with the project's own validator (compiled, dist/); a
//   valid file is "applied" (logged to $STANDIN_DIR/jool.log), an invalid one is refused with exit
//   234 as Jool's userspace parser does;
// - `[-i <instance>] stats display --all --csv --no-headers`: prints
//   $STANDIN_DIR/stats-<command>-<instance>.txt; without -i the instance is "default", as in Jool's
//   own client (src/usr/nl/core.c), and an instance without a file is "not found" (exit 1).
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

module.exports = function joolStandin(command, flavour) {
  let args = process.argv.slice(2);
  const dir = process.env.STANDIN_DIR;
  if (!dir) fail(2, "STANDIN_DIR is not set");
  fs.appendFileSync(path.join(dir, "calls.log"), `${command} ${args.join(" ")}\n`);
  let instance = "default";
  if (args[0] === "-i") {
    instance = args[1];
    args = args.slice(2);
  }
  if (args.join(" ") === "stats display --all --csv --no-headers") {
    const stats = path.join(dir, `stats-${command}-${instance}.txt`);
    if (!fs.existsSync(stats)) fail(1, `This namespace lacks an instance named '${instance}'.`);
    process.stdout.write(fs.readFileSync(stats));
    process.exit(0);
  }
  if (args.length !== 3 || args[0] !== "file" || args[1] !== "handle") fail(2, `unsupported call: ${command} ${args.join(" ")}`);

  const validator = path.resolve(__dirname, "../../../dist/lib/plan/jool/validate.js");
  if (!fs.existsSync(validator)) fail(3, `${validator} is missing: run \`npm run build\` first`);
  let bytes;
  try {
    bytes = fs.readFileSync(args[2]);
  } catch (e) {
    fail(1, `cannot read ${args[2]}: ${e.message}`);
  }
  const errors = require(validator).validateJoolFile(bytes.toString("utf8"), flavour);
  if (errors.length) fail(234, errors.join("\n"));
  fs.appendFileSync(path.join(dir, "jool.log"), `applied ${crypto.createHash("sha256").update(bytes).digest("hex")}\n`);

  function fail(status, message) {
    process.stderr.write(`${command}: ${message}\n`);
    process.exit(status);
  }
};
