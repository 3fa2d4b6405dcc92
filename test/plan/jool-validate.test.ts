import * as fs from "fs";
import * as path from "path";
import { validateJoolFile } from "../../lib/plan/jool/validate";
import { GENERATED_VALIDATORS, joolValidatorsSource } from "../../scripts/generate";
import { ACCEPTED, NAT64_BASE, patch, REFUSED, SIIT_BASE, text } from "../fixtures/jool-files";

/**
 * Our validator for Jool 4.1 files, rule by rule (NICMx/Jool v4.1.9 src/usr/nl/file.c,
 * src/common/global.c, src/mod/common/db/*). `jool_siit` cannot parse without the kernel module;
 * the VM tier (test/vm) runs the same fixtures through the real Jool 4.1.9.
 */
const siit = SIIT_BASE;
const nat64 = NAT64_BASE;

test.each(ACCEPTED)("accepted like Jool 4.1.9: %s", (_name, file, flavour) => {
  expect(validateJoolFile(file, flavour)).toEqual([]);
});

describe("follows the Jool version of the image", () => {
  const withSessions = patch(nat64, (d) => (d.global["ss-max-sessions-per-packet"] = 10));
  const ephemeral = patch(nat64, (d) => (d.pool4[0]["port range"] = "32768-40000"));

  test("ss-max-sessions-per-packet exists since 4.1.11 (src/common/global.c of v4.1.11)", () => {
    expect(validateJoolFile(withSessions, "nat64", "4.1.9").join()).toMatch(/unknown key "ss-max-sessions-per-packet"/);
    expect(validateJoolFile(withSessions, "nat64", "4.1.10").join()).toMatch(/unknown key/);
    expect(validateJoolFile(withSessions, "nat64", "4.1.11")).toEqual([]);
    expect(validateJoolFile(withSessions, "nat64", "4.1.15")).toEqual([]);
  });

  test("4.1.15 refuses TCP/UDP pool4 ranges that intersect the ephemeral ports; 4.1.9 takes them", () => {
    expect(validateJoolFile(ephemeral, "nat64", "4.1.9")).toEqual([]);
    expect(validateJoolFile(ephemeral, "nat64", "4.1.15").join()).toMatch(/pool4\[0\]."port range": 32768-40000 intersects Linux's ephemeral ports 32768-60999/);
    // Ends in either order, port 0 read as 1, and the default range (61001-65535) is outside.
    expect(validateJoolFile(patch(nat64, (d) => (d.pool4[0]["port range"] = "61000-0")), "nat64", "4.1.15").join()).toMatch(/1-61000 intersects/);
    expect(validateJoolFile(patch(nat64, (d) => delete d.pool4[0]["port range"]), "nat64", "4.1.15")).toEqual([]);
    expect(validateJoolFile(patch(nat64, (d) => (d.pool4[0] = { protocol: "ICMP", prefix: "10.0.0.20", "port range": "40000-40100" })), "nat64", "4.1.15")).toEqual([]);
  });

  test("an unknown version is an error, not a guess", () => {
    expect(validateJoolFile(text(siit), "siit", "4.2.0")).toEqual(["Jool 4.2.0: this validator knows Jool 4.1.9 to 4.1.15"]);
  });
});

describe("refused, with the reason", () => {
  test.each(REFUSED.map((r) => [r.name, r.file, r.flavour, r.validator] as const))("%s", (_name, file, flavour, message) => {
    const errors = validateJoolFile(file, flavour);
    expect(errors.join("\n")).toMatch(message);
  });
});

test("the committed precompiled validators are what npm run generate makes of the schemas", () => {
  const committed = fs.readFileSync(path.join(__dirname, "../..", GENERATED_VALIDATORS), "utf8");
  expect(committed === joolValidatorsSource()).toBe(true);
});

test("a key given twice is found also when a colon inside a string could hide the count", () => {
  const twice = text(siit).replace('"framework"', '"comment": "a \\": b", "Framework": "netfilter", "framework"');
  expect(validateJoolFile(twice, "siit")).toEqual(['(root): key "framework" appears twice']);
});
