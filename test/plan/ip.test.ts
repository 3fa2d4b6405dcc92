import { execFileSync } from "child_process";
import * as path from "path";
import { AddressSyntaxError, Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix, WELL_KNOWN } from "../../lib/plan/address/ip";

describe("parsing", () => {
  test("IPv6 prefixes print in RFC 5952 form", () => {
    expect(Ipv6Prefix.parse("2001:DB8:0:0::/56").toString()).toBe("2001:db8::/56");
    expect(Ipv6Prefix.parse("64:ff9b:1::/48").length).toBe(48);
  });

  test.each([
    ["2001:db8::1/56", /host bits are set; the prefix is 2001:db8::\/56/],
    ["2001:db8::/129", /not a valid IPv6/],
    ["2001:db8:::/48", /not a valid IPv6/],
    ["2001:db8::", /CIDR form/],
    ["fe80::/64%eth0", /zone identifiers/],
  ])("IPv6 prefix %s is rejected", (text, message) => {
    expect(() => Ipv6Prefix.parse(text)).toThrow(AddressSyntaxError);
    expect(() => Ipv6Prefix.parse(text)).toThrow(message);
  });

  test.each([
    ["10.0.0.1/16", /host bits are set; the prefix is 10.0.0.0\/16/],
    ["10.0.0.0/33", /not a valid IPv4/],
    ["010.0.0.0/8", /not a valid IPv4/],
    ["10.0.0.0", /CIDR form/],
  ])("IPv4 prefix %s is rejected", (text, message) => {
    expect(() => Ipv4Prefix.parse(text)).toThrow(message);
  });

  test("addresses refuse a prefix length", () => {
    expect(() => Ipv6Address.parse("2001:db8::1/128")).toThrow(/without a prefix length/);
    expect(() => Ipv4Address.parse("192.0.2.1/32")).toThrow(/without a prefix length/);
    expect(Ipv4Address.parse("192.0.2.1").toString()).toBe("192.0.2.1");
  });
});

describe("containment and overlap", () => {
  const vpc = Ipv6Prefix.parse("2001:db8:1200::/56");
  test("a /56 contains its /64s and addresses, not its neighbours", () => {
    expect(vpc.contains(Ipv6Prefix.parse("2001:db8:1200:ff::/64"))).toBe(true);
    expect(vpc.contains(Ipv6Prefix.parse("2001:db8:1201::/64"))).toBe(false);
    expect(vpc.contains(Ipv6Address.parse("2001:db8:1200:10::5"))).toBe(true);
    expect(vpc.contains(Ipv6Prefix.parse("2001:db8:1200::/48"))).toBe(false);
  });

  test("overlap is symmetric and includes equality", () => {
    const a = Ipv6Prefix.parse("64:ff9b::/96");
    const b = Ipv6Prefix.parse("64:ff9b::/64");
    expect(a.overlaps(b)).toBe(true);
    expect(b.overlaps(a)).toBe(true);
    expect(a.overlaps(a)).toBe(true);
    expect(WELL_KNOWN.nat64.overlaps(WELL_KNOWN.localUseTranslation)).toBe(false);
    expect(Ipv4Prefix.parse("10.0.0.0/16").overlaps(Ipv4Prefix.parse("10.0.255.0/24"))).toBe(true);
    expect(Ipv4Prefix.parse("10.0.0.0/16").overlaps(Ipv4Prefix.parse("10.1.0.0/24"))).toBe(false);
  });
});

describe("carving (Terraform cidrsubnet / cidrhost semantics)", () => {
  test("/64s from a /56 by index", () => {
    const vpc = Ipv6Prefix.parse("2001:db8:1200::/56");
    expect(vpc.subnet(64, 0).toString()).toBe("2001:db8:1200::/64");
    expect(vpc.subnet(64, 17).toString()).toBe("2001:db8:1200:11::/64");
    expect(vpc.subnet(64, 255).toString()).toBe("2001:db8:1200:ff::/64");
    expect(() => vpc.subnet(64, 256)).toThrow(/outside 0..255/);
    expect(() => vpc.subnet(48, 0)).toThrow(/cannot carve a \/48 from a \/56/);
  });

  test("/96 translation prefixes from a /48 by index", () => {
    const home = WELL_KNOWN.localUseTranslation;
    expect(home.subnet(96, 0).toString()).toBe("64:ff9b:1::/96");
    expect(home.subnet(96, 1).toString()).toBe("64:ff9b:1::1:0:0/96");
    expect(home.subnet(96, 0x10002).toString()).toBe("64:ff9b:1:0:1:2::/96");
  });

  test("hosts by index", () => {
    expect(Ipv6Prefix.parse("2001:db8:1200:10::/64").host(16).toString()).toBe("2001:db8:1200:10::10");
    expect(Ipv4Prefix.parse("10.0.1.0/24").host(10).toString()).toBe("10.0.1.10");
    expect(() => Ipv4Prefix.parse("10.0.1.0/24").host(256)).toThrow(/outside 0..255/);
    expect(() => Ipv4Prefix.parse("10.0.1.0/24").host(-1)).toThrow(/outside/);
  });
});

describe("exclusion (a block minus addresses, as prefixes)", () => {
  const p = (t: string) => Ipv4Prefix.parse(t);
  test("one address out of a /29 leaves three prefixes; none leaves the block; all of it leaves nothing", () => {
    expect(p("10.0.0.0/29").without([Ipv4Address.parse("10.0.0.5")]).map(String)).toEqual(["10.0.0.0/30", "10.0.0.4/32", "10.0.0.6/31"]);
    expect(p("10.0.0.0/29").without([]).map(String)).toEqual(["10.0.0.0/29"]);
    expect(p("10.0.0.0/29").without([p("10.0.0.0/28")])).toEqual([]);
  });
  test("holes outside the block are ignored; two adjacent holes", () => {
    expect(p("10.0.0.0/30").without([Ipv4Address.parse("10.1.0.1")]).map(String)).toEqual(["10.0.0.0/30"]);
    expect(p("10.0.0.0/30").without([Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2")]).map(String)).toEqual(["10.0.0.0/32", "10.0.0.3/32"]);
  });
  test("a /16 minus one /32 is 16 prefixes covering every other address exactly once", () => {
    const out = p("10.0.0.0/16").without([Ipv4Address.parse("10.0.200.9")]);
    expect(out).toHaveLength(16);
    expect(out.reduce((n, x) => n + x.size, 0n)).toBe(65535n);
    expect(out.some((x) => x.contains(Ipv4Address.parse("10.0.200.9")))).toBe(false);
  });
});

describe("RFC 6052 section 2.2 embedding, with the RFC's own examples (section 2.4)", () => {
  const v4 = Ipv4Address.parse("192.0.2.33");
  test.each([
    ["2001:db8::/32", "2001:db8:c000:221::"],
    ["2001:db8:100::/40", "2001:db8:1c0:2:21::"],
    ["2001:db8:122::/48", "2001:db8:122:c000:2:2100::"],
    ["2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"],
    ["2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100::"],
    ["2001:db8:122:344::/96", "2001:db8:122:344::192.0.2.33"],
    ["64:ff9b::/96", "64:ff9b::192.0.2.33"],
  ])("%s embeds 192.0.2.33 as %s and extracts it back", (prefix, embedded) => {
    const p = Ipv6Prefix.parse(prefix);
    const expected = Ipv6Address.parse(embedded);
    expect(p.embedIpv4(v4).equals(expected)).toBe(true);
    expect(p.extractIpv4(expected).toString()).toBe("192.0.2.33");
  });

  test("other lengths and foreign addresses are refused", () => {
    expect(() => Ipv6Prefix.parse("2001:db8::/80").embedIpv4(v4)).toThrow(/only for \/32, \/40, \/48, \/56, \/64, \/96/);
    expect(() => WELL_KNOWN.nat64.extractIpv4(Ipv6Address.parse("2001:db8::1"))).toThrow(/not inside 64:ff9b::\/96/);
  });
});

describe("well-known prefixes (built from numbers, so that importing the library parses nothing)", () => {
  test.each([
    ["nat64", "64:ff9b::/96"],
    ["localUseTranslation", "64:ff9b:1::/48"],
    ["documentation", "2001:db8::/32"],
  ] as const)("%s is %s", (name, text) => {
    expect(WELL_KNOWN[name].equals(Ipv6Prefix.parse(text))).toBe(true);
    expect(WELL_KNOWN[name].toString()).toBe(text);
  });
});

test("importing the library loads no ip-address module (it loads on the first parse)", () => {
  const script = `require(${JSON.stringify(path.resolve(__dirname, "../../dist/lib"))}); console.log(Object.keys(require.cache).some((k) => /node_modules[\\\\/]ip-address[\\\\/]/.test(k)))`;
  expect(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim()).toBe("false");
});
