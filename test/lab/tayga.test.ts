import { Ipv4Address, Ipv4Prefix, Ipv6Prefix } from "../../lib/plan/address/ip";
import { convertNat64Jool, convertSiitJool, embeddedRange, renderTaygaConf, SiitConversionOptions } from "../../lib/lab/model/tayga";
import { referenceLab } from "./support";

/**
 * Jool -> tayga: the translators' rendered Jool files become tayga configurations, so the lab's
 * packets exercise the files the constructs deliver; what tayga cannot do is named.
 */

const { topology } = referenceLab();

describe("the reference example's translators", () => {
  test("a0: exactly this tayga.conf", () => {
    expect(renderTaygaConf(topology.translators[0].tayga)).toBe(
      [
        '# tayga.conf of translator a0, converted by the packet lab from its Jool file (instance "siit-dc")',
        "# Jool comment: SIIT-DC border relay a0 (eu-north-1a); generated, do not edit",
        "tun-device siit",
        "ipv4-addr 192.0.0.8",
        "# pool6 64:ff9b:1::/96, substituted by the lab",
        "prefix 2001:db8:64::/96",
        "map 10.0.0.65 2001:db8:100:10::10",
        "map 10.0.0.66 2001:db8:100:11::10",
        "# lowest-ipv6-mtu 1500: not emulated (tayga has no such setting; the lab's probes are far smaller than any MTU)",
        "# eam-hairpin-mode intrinsic: not emulated (tayga has no EAM hairpinning; the lab sends no hairpin traffic)",
        "# denylist4 10.0.0.0/26, 10.0.0.64/32, 10.0.0.67/32, 10.0.0.68/30, 10.0.0.72/29, 10.0.0.80/28, 10.0.0.96/27, 10.0.0.128/25, 10.0.1.0/24, 10.0.2.0/23, 10.0.4.0/22, 10.0.8.0/21, 10.0.16.0/20, 10.0.32.0/19, 10.0.64.0/18, 10.0.128.0/17: emulated by routing (only mapped IPv4 addresses are routed into siit) and nftables drops",
        "",
      ].join("\n"),
    );
  });

  test("b0: exactly this tayga.conf (www, api and ntp)", () => {
    expect(renderTaygaConf(topology.translators[1].tayga)).toBe(
      [
        '# tayga.conf of translator b0, converted by the packet lab from its Jool file (instance "siit-dc")',
        "# Jool comment: SIIT-DC border relay b0 (eu-north-1b); generated, do not edit",
        "tun-device siit",
        "ipv4-addr 192.0.0.8",
        "# pool6 64:ff9b:1:1::/96, substituted by the lab",
        "prefix 2001:db8:64:1::/96",
        "map 10.0.16.65 2001:db8:100:10::10",
        "map 10.0.16.66 2001:db8:100:11::10",
        "map 10.0.16.67 2001:db8:100:10::11",
        "# lowest-ipv6-mtu 1500: not emulated (tayga has no such setting; the lab's probes are far smaller than any MTU)",
        "# eam-hairpin-mode intrinsic: not emulated (tayga has no EAM hairpinning; the lab sends no hairpin traffic)",
        "# denylist4 10.0.0.0/20, 10.0.16.0/26, 10.0.16.64/32, 10.0.16.68/30, 10.0.16.72/29, 10.0.16.80/28, 10.0.16.96/27, 10.0.16.128/25, 10.0.17.0/24, 10.0.18.0/23, 10.0.20.0/22, 10.0.24.0/21, 10.0.32.0/19, 10.0.64.0/18, 10.0.128.0/17: emulated by routing (only mapped IPv4 addresses are routed into siit) and nftables drops",
        "",
      ].join("\n"),
    );
  });

  test("converted from the Jool file as delivered (documentation prefix bound for the VPC's unknown /56)", () => {
    const jool = JSON.parse(topology.translators[0].joolFile);
    expect(jool.global.pool6).toBe("64:ff9b:1::/96");
    expect(jool.eamt).toEqual([
      { "ipv6 prefix": "2001:db8:100:10::10/128", "ipv4 prefix": "10.0.0.65/32" },
      { "ipv6 prefix": "2001:db8:100:11::10/128", "ipv4 prefix": "10.0.0.66/32" },
    ]);
    // The VPC block without a0's own EAM addresses 10.0.0.65 and 10.0.0.66 (hairpinning).
    expect(topology.translators[0].denylist4.map(String)).toEqual("10.0.0.0/26, 10.0.0.64/32, 10.0.0.67/32, 10.0.0.68/30, 10.0.0.72/29, 10.0.0.80/28, 10.0.0.96/27, 10.0.0.128/25, 10.0.1.0/24, 10.0.2.0/23, 10.0.4.0/22, 10.0.8.0/21, 10.0.16.0/20, 10.0.32.0/19, 10.0.64.0/18, 10.0.128.0/17".split(", "));
    expect(topology.translators.every((t) => t.enabled)).toBe(true);
  });

  test("the NAT64 stand-in: tayga's dynamic pool on 64:ff9b::/96", () => {
    expect(renderTaygaConf({ ...topology.nat64[0].tayga, dataDir: "/run/lab/n0.data" })).toBe(
      [
        "# tayga.conf of the NAT64 stand-in in eu-north-1a (jool-instance): tayga's dynamic pool + nftables masquerade = a stateful NAT64",
        "tun-device nat64",
        "ipv4-addr 192.0.0.8",
        "prefix 64:ff9b::/96",
        "dynamic-pool 192.168.255.0/24",
        "data-dir /run/lab/n0.data",
        "",
      ].join("\n"),
    );
    expect(topology.nat64[0].pool4).toEqual([]);
  });
});

const options: SiitConversionOptions = {
  translator: "t0",
  tunDevice: "siit",
  labPrefix: (p) => (Ipv6Prefix.parse("64:ff9b:1::/48").contains(p) ? Ipv6Prefix.parse("2001:db8:64::/96") : p),
  selfIpv6: "2001:db8:ffff:1::8",
};

function jool(overrides: Record<string, unknown> = {}, global: Record<string, unknown> = {}): string {
  return JSON.stringify({
    instance: "siit-dc",
    framework: "netfilter",
    global: { "manually-enabled": true, pool6: "64:ff9b:1::/96", ...global },
    eamt: [{ "ipv6 prefix": "2001:db8:1::10/128", "ipv4 prefix": "10.0.0.65/32" }],
    denylist4: ["10.0.0.0/16"],
    ...overrides,
  });
}

describe("conversion rules", () => {
  test("an EAM prefix pair becomes a prefix map (RFC 7757; Debian's static-EAM patch)", () => {
    const c = convertSiitJool(jool({ eamt: [{ "ipv6 prefix": "2001:db8:1::/124", "ipv4 prefix": "10.0.0.64/28" }] }), options);
    expect(c.cannotEmulate).toEqual([]);
    expect(renderTaygaConf(c.config)).toContain("map 10.0.0.64/28 2001:db8:1::/124\n");
  });

  test("no pool6: tayga needs its own ipv6-addr, a lab-only address", () => {
    const c = convertSiitJool(jool({}, { pool6: null }), options);
    expect(c.cannotEmulate).toEqual([]);
    expect(renderTaygaConf(c.config)).toMatch(/\nipv6-addr 2001:db8:ffff:1::8\n/);
    expect(renderTaygaConf(c.config)).not.toMatch(/\nprefix /);
  });

  test("tayga's own IPv4 moves off 192.0.0.8 when an EAM entry maps it", () => {
    const c = convertSiitJool(jool({ eamt: [{ "ipv6 prefix": "2001:db8:1::8/128", "ipv4 prefix": "192.0.0.8/32" }] }), options);
    expect(c.config.ipv4Addr.toString()).toBe("192.0.0.9");
  });

  test("manually-enabled false: Jool translates nothing, so the lab runs no tayga, and says so", () => {
    const c = convertSiitJool(jool({}, { "manually-enabled": false }), options);
    expect(c.enabled).toBe(false);
    expect(c.notes).toEqual([expect.stringMatching(/translator t0: manually-enabled is false/)]);
  });

  test.each([
    ["an EAM pair of different sizes", jool({ eamt: [{ "ipv6 prefix": "2001:db8:1::/120", "ipv4 prefix": "10.0.0.64/28" }] }), "translator t0: Jool eamt[0]", /same size \(4 and 8 host bits\)/],
    ["an EAM entry inside 64:ff9b::/96", jool({ eamt: [{ "ipv6 prefix": "64:ff9b::a00:41/128", "ipv4 prefix": "10.0.0.65/32" }] }), "translator t0: Jool eamt[0]", /tayga refuses maps inside 64:ff9b::\/96/],
    ["an EAM entry under ::/8", jool({ eamt: [{ "ipv6 prefix": "::1:10/128", "ipv4 prefix": "10.0.0.65/32" }] }), "translator t0: Jool eamt[0]", /under ::\/8/],
    ["an EAM IPv6 side inside pool6", jool({ eamt: [{ "ipv6 prefix": "2001:db8:64::10/128", "ipv4 prefix": "10.0.0.65/32" }] }), "translator t0: Jool eamt[0]", /overlaps pool6 2001:db8:64::\/96/],
    [
      "two EAM entries whose IPv6 sides overlap",
      jool({
        eamt: [
          { "ipv6 prefix": "2001:db8:1::/124", "ipv4 prefix": "10.0.0.64/28" },
          { "ipv6 prefix": "2001:db8:1::5/128", "ipv4 prefix": "10.0.1.5/32" },
        ],
      }),
      "translator t0: Jool eamt[1]",
      /overlaps the earlier entry/,
    ],
    ["an EAM IPv4 side tayga refuses", jool({ eamt: [{ "ipv6 prefix": "2001:db8:1::10/128", "ipv4 prefix": "127.0.0.5/32" }] }), "translator t0: Jool eamt[0]", /loopback/],
    ["an unknown global", jool({}, { "rfc6791v4-prefix": "192.0.2.0/24" }), "translator t0: Jool global.rfc6791v4-prefix", /no tayga equivalent/],
    ["an unknown root key", jool({ pool4: [] }), "translator t0: Jool pool4", /no stand-in/],
    ["the iptables framework", jool({ framework: "iptables" }), "translator t0: Jool framework", /only "netfilter"/],
    ["a pool6 length tayga lacks", jool({}, { pool6: "2001:db8:64::/80" }), "translator t0: Jool global.pool6", /must be \/32, \/40, \/48, \/56, \/64 or \/96/],
    ["a pool6 tayga refuses (no substitution for it)", jool({}, { pool6: "::ffff:0:0/96" }), "translator t0: Jool global.pool6", /under ::\/8/],
    ["a file that is not JSON", "{ not json", "translator t0: Jool file", /is not JSON/],
  ])("cannot emulate %s: reported by name", (_what, text, subject, reason) => {
    const c = convertSiitJool(text, options);
    expect(c.cannotEmulate).toEqual([{ subject, reason: expect.stringMatching(reason) }]);
  });

  test("the library's own globals are notes, not failures: lowest-ipv6-mtu and eam-hairpin-mode are not exercised", () => {
    const c = convertSiitJool(jool({}, { "lowest-ipv6-mtu": 1500, "eam-hairpin-mode": "intrinsic" }), options);
    expect(c.cannotEmulate).toEqual([]);
    expect(c.notes).toEqual([expect.stringMatching(/lowest-ipv6-mtu 1500 is not exercised/), expect.stringMatching(/eam-hairpin-mode intrinsic is not exercised/)]);
  });
});

describe("denylist4 under pool6: the IPv6 range that embeds it (RFC 6052)", () => {
  test.each([
    ["2001:db8:64::/96", "10.0.0.0/16", "2001:db8:64::a00:0/112"],
    ["2001:db8:64::/64", "10.0.0.0/16", "2001:db8:64:0:a:0:0:0/88"],
    ["2001:db8::/32", "10.0.0.0/16", "2001:db8:a00::/48"],
    ["2001:db8:100::/40", "10.0.0.0/16", "2001:db8:10a::/56"],
    ["2001:db8:100::/40", "10.1.2.0/28", "2001:db8:10a:102::/76"],
  ])("%s with %s -> %s", (pool6, v4, expected) => {
    expect(embeddedRange(Ipv6Prefix.parse(pool6), Ipv4Prefix.parse(v4)).toString()).toBe(Ipv6Prefix.parse(expected).toString());
  });
});

describe("the NAT64 file", () => {
  const node = Ipv4Address.parse("10.0.0.8");
  const file = (pool4: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ instance: "nat64", framework: "netfilter", global: { "manually-enabled": true, pool6: "64:ff9b::/96", "lowest-ipv6-mtu": 1500 }, pool4, ...extra });

  test("pool4 port ranges of the node's address become masquerade ranges", () => {
    const c = convertNat64Jool(file([{ protocol: "TCP", prefix: "10.0.0.8/32", "port range": "61001-65535" }, { protocol: "UDP", prefix: "10.0.0.8/32", "port range": "61001-62000" }]), "eu-north-1a", node);
    expect(c.cannotEmulate).toEqual([]);
    expect(c.pool4).toEqual([
      { protocol: "tcp", ports: "61001-65535" },
      { protocol: "udp", ports: "61001-62000" },
    ]);
    expect(c.pool6?.toString()).toBe("64:ff9b::/96");
  });

  test.each([
    ["static BIB entries", file([], { bib: [{ protocol: "TCP", "ipv6 address": "2001:db8::1#80", "ipv4 address": "10.0.0.8#80" }] }), "NAT64 eu-north-1a: Jool bib", /static BIB/],
    ["a pool4 prefix other than the node's address", file([{ protocol: "TCP", prefix: "10.0.0.9/32" }]), "NAT64 eu-north-1a: Jool pool4[0].prefix", /only to the node's own address 10\.0\.0\.8/],
    [
      "two ranges of one protocol",
      file([
        { protocol: "TCP", prefix: "10.0.0.8/32", "port range": "61001-62000" },
        { protocol: "TCP", prefix: "10.0.0.8/32", "port range": "63001-64000" },
      ]),
      "NAT64 eu-north-1a: Jool pool4[1]",
      /one port range per protocol/,
    ],
  ])("cannot emulate %s", (_what, text, subject, reason) => {
    expect(convertNat64Jool(text, "eu-north-1a", node).cannotEmulate).toEqual([{ subject, reason: expect.stringMatching(reason) }]);
  });
});
