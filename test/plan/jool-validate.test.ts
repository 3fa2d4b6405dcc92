import { validateJoolFile } from "../../lib/plan/jool/validate";

/**
 * Our validator for Jool 4.1 files, rule by rule (NICMx/Jool v4.1.9 src/usr/nl/file.c,
 * src/common/global.c, src/mod/common/db/*). `jool_siit` cannot parse without the kernel module.
 */
const siit = {
  instance: "siit-dc",
  framework: "netfilter",
  global: { "manually-enabled": true, pool6: "64:ff9b:1::/96", "lowest-ipv6-mtu": 1500, "eam-hairpin-mode": "intrinsic" },
  eamt: [
    { "ipv6 prefix": "2001:db8:1200:10::10/128", "ipv4 prefix": "10.0.0.65/32" },
    { "ipv6 prefix": "2001:db8:1200:10::11", "ipv4 prefix": "10.0.0.66" },
  ],
  denylist4: ["10.0.0.0/16"],
};
const nat64 = {
  instance: "nat64",
  framework: "netfilter",
  global: { pool6: "64:ff9b::/96", "udp-timeout": "0:05:00" },
  pool4: [{ protocol: "TCP", prefix: "10.0.0.20/32", "port range": "61001-65535" }],
};

const text = (doc: unknown) => JSON.stringify(doc);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke arbitrary JSON
const patch = (base: object, change: (d: any) => void) => {
  const copy = JSON.parse(JSON.stringify(base));
  change(copy);
  return text(copy);
};

describe("valid files", () => {
  test("the library's SIIT and NAT64 shapes", () => {
    expect(validateJoolFile(text(siit), "siit")).toEqual([]);
    expect(validateJoolFile(text(nat64), "nat64")).toEqual([]);
  });

  test("like Jool: key names case-insensitive, comment anywhere, blacklist4 alias, iptables framework, the docs' minimal files", () => {
    expect(validateJoolFile('{"Instance":"x","FRAMEWORK":"netfilter","comment":1,"eamt":[{"comment":"w","ipv6 prefix":"2001:db8::/120","ipv4 prefix":"192.0.2.0/24"}]}', "siit")).toEqual([]);
    expect(validateJoolFile('{"instance":"x","framework":"iptables","blacklist4":["192.0.2.0/24"]}', "siit")).toEqual([]);
    expect(validateJoolFile('{ "instance": "siit-minimal", "framework": "netfilter" }', "siit")).toEqual([]);
    expect(validateJoolFile('{ "instance": "nat64-minimal", "framework": "netfilter", "global": { "pool6": "64:ff9b::/96" } }', "nat64")).toEqual([]);
  });
});

describe("refused, with the reason", () => {
  test.each<[string, string, "siit" | "nat64", RegExp]>([
    ["truncated JSON", text(siit).slice(0, 80), "siit", /^not valid JSON/],
    ["unknown root key", patch(siit, (d) => (d.eamt2 = [])), "siit", /\(root\): unknown key "eamt2"/],
    ["a NAT64 section in a SIIT file", patch(siit, (d) => (d.pool4 = [])), "siit", /unknown key "pool4"/],
    ["a SIIT section in a NAT64 file", patch(nat64, (d) => (d.eamt = [])), "nat64", /unknown key "eamt"/],
    ["a NAT64 global in a SIIT file", patch(siit, (d) => (d.global["udp-timeout"] = "0:05:00")), "siit", /global: unknown key "udp-timeout"/],
    ["the pre-4.1.2 trace key", patch(siit, (d) => (d.global.trace = true)), "siit", /global: unknown key "trace"/],
    ["missing framework", patch(siit, (d) => delete d.framework), "siit", /\(root\): missing "framework"/],
    ["missing instance", patch(siit, (d) => delete d.instance), "siit", /missing "instance"/],
    ["unknown framework", patch(siit, (d) => (d.framework = "nftables")), "siit", /framework: must be one of "netfilter", "iptables"/],
    ["instance name over 15 characters", patch(siit, (d) => (d.instance = "siit-dc-translator")), "siit", /instance: "siit-dc-translator" must be 1 to 15 characters/],
    ["instance name not printable", patch(siit, (d) => (d.instance = "a\tb")), "siit", /must be printable ASCII/],
    ["eam-hairpin-mode none (the docs' typo)", patch(siit, (d) => (d.global["eam-hairpin-mode"] = "none")), "siit", /eam-hairpin-mode: must be one of "off", "simple", "intrinsic"/],
    ["pool6 length", patch(siit, (d) => (d.global.pool6 = "64:ff9b:1::/80")), "siit", /global.pool6: \/80 is not a valid pool6 length/],
    ["pool6 host bits", patch(siit, (d) => (d.global.pool6 = "64:ff9b:1::1/96")), "siit", /global.pool6: "64:ff9b:1::1\/96" host bits are set/],
    ["pool6 u-octet", patch(siit, (d) => (d.global.pool6 = "64:ff9b:1:0:ff00::/96")), "siit", /nonzero u-octet/],
    ["lowest-ipv6-mtu below 1280", patch(siit, (d) => (d.global["lowest-ipv6-mtu"] = 1000)), "siit", /lowest-ipv6-mtu: must be >= 1280/],
    ["boolean as a string", patch(siit, (d) => (d.global["manually-enabled"] = "yes")), "siit", /manually-enabled: must be boolean/],
    ["EAM entry with an extra key", patch(siit, (d) => (d.eamt[0].port = 80)), "siit", /eamt\[0\]: unknown key "port"/],
    ["EAM entry missing its IPv4 side", patch(siit, (d) => delete d.eamt[0]["ipv4 prefix"]), "siit", /eamt\[0\]: missing "ipv4 prefix"/],
    ["EAM IPv4 host bits", patch(siit, (d) => (d.eamt[0]["ipv4 prefix"] = "10.0.0.65/24")), "siit", /eamt\[0\]."ipv4 prefix": "10.0.0.65\/24" host bits are set/],
    ["EAM suffix lengths", patch(siit, (d) => (d.eamt[0] = { "ipv6 prefix": "2001:db8::/124", "ipv4 prefix": "192.0.2.0/24" })), "siit", /IPv4 suffix \(\/24\) is longer than the IPv6 suffix/],
    ["overlapping EAM IPv4 sides", patch(siit, (d) => d.eamt.push({ "ipv6 prefix": "2001:db8::1", "ipv4 prefix": "10.0.0.64/30" })), "siit", /eamt\[2\]."ipv4 prefix" 10.0.0.64\/30 overlaps eamt\[0\] 10.0.0.65\/32/],
    ["overlapping EAM IPv6 sides", patch(siit, (d) => d.eamt.push({ "ipv6 prefix": "2001:db8:1200:10::10", "ipv4 prefix": "10.0.0.99" })), "siit", /eamt\[2\]."ipv6 prefix" 2001:db8:1200:10::10\/128 overlaps eamt\[0\]/],
    ["denylist4 of a scope-subnet block", patch(siit, (d) => d.denylist4.push("169.254.0.0/16")), "siit", /denylist4\[1\]: 169.254.0.0\/16 intersects 169.254.0.0\/16, which Jool never translates/],
    ["denylist4 entry not a string", patch(siit, (d) => d.denylist4.push(7)), "siit", /denylist4\[1\]: must be string/],
    ["duplicate key", '{"instance":"a","framework":"netfilter","Instance":"b"}', "siit", /\(root\): key "instance" appears twice/],
    ["NAT64 without global", patch(nat64, (d) => delete d.global), "nat64", /missing "global"/],
    ["NAT64 without pool6", patch(nat64, (d) => delete d.global.pool6), "nat64", /global: missing "pool6"/],
    ["NAT64 pool6 null", patch(nat64, (d) => (d.global.pool6 = null)), "nat64", /pool6: is mandatory in NAT64 instances/],
    ["pool4 without protocol", patch(nat64, (d) => delete d.pool4[0].protocol), "nat64", /pool4\[0\]: missing "protocol"/],
    ["pool4 protocol", patch(nat64, (d) => (d.pool4[0].protocol = "SCTP")), "nat64", /pool4\[0\].protocol: must match pattern/],
    ["pool4 port range as a number", patch(nat64, (d) => (d.pool4[0]["port range"] = 61001)), "nat64", /"port range": must be string/],
    ["pool4 port above 65535", patch(nat64, (d) => (d.pool4[0]["port range"] = "61001-70000")), "nat64", /pool4\[0\]."port range": 61001-70000 has a port above 65535/],
    ["udp-timeout below Jool's minimum", patch(nat64, (d) => (d.global["udp-timeout"] = "0:01:00")), "nat64", /udp-timeout: 0:01:00 is below Jool's minimum of 120 s/],
    ["bib entry address format", patch(nat64, (d) => (d.bib = [{ protocol: "TCP", "ipv6 address": "2001:db8::1", "ipv4 address": "10.0.0.20#80" }])), "nat64", /bib\[0\]."ipv6 address": 2001:db8::1 is not address#port/],
  ])("%s", (_name, file, flavour, message) => {
    const errors = validateJoolFile(file, flavour);
    expect(errors.join("\n")).toMatch(message);
  });
});
