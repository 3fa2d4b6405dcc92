import { Ipv4Prefix, Ipv6Address } from "../../lib/plan/address/ip";
import { SymbolicIpv6Address } from "../../lib/plan/address/symbolic";
import { VpcAddressPlan } from "../../lib/plan/address/vpc-plan";
import { PlanError } from "../../lib/plan/errors";
import { EamHairpinMode, joolFileText } from "../../lib/plan/jool/config";
import { validateJoolFile } from "../../lib/plan/jool/validate";
import { Port } from "../../lib/plan/ports";
import { TranslationPlan, TranslationPlanInput } from "../../lib/plan/siit/translation-plan";

const ZONES = ["eu-north-1a", "eu-north-1b", "eu-north-1c"];

function vpc(zones = ZONES): VpcAddressPlan {
  return new VpcAddressPlan({ path: "app/Net", availabilityZones: zones, ipv4Cidr: "10.0.0.0/16", ipv6Cidr: { literal: "2001:db8:1200::/56" }, serverTiers: ["servers"] });
}

function plan(overrides: Partial<TranslationPlanInput> = {}, net = vpc()): TranslationPlan {
  return new TranslationPlan({
    path: "app/Edge",
    vpc: net,
    zones: ZONES,
    translatorsPerZone: 1,
    translationPrefix: "64:ff9b:1::/48",
    instanceType: "c7gn.large",
    lowestIpv6Mtu: 1500,
    eamHairpinMode: EamHairpinMode.INTRINSIC,
    firstHostIndex: 10,
    ...overrides,
  });
}

const server = (net: VpcAddressPlan, zone: string, host: number) => net.subnet("servers", zone, { path: "t", property: "t" }).ipv6.host(host);
const origin = (name: string) => ({ path: "app/Edge", property: `publish(${name})` });

/** The 3-AZ example: www on every zone, api on a and c, dns on b only. */
function threeZoneExample(): { net: VpcAddressPlan; p: TranslationPlan } {
  const net = vpc();
  const p = plan({}, net);
  const [a, b, c] = p.translators;
  p.addService({ origin: origin("www"), name: "www", number: 1, target: server(net, "eu-north-1a", 16), ports: [Port.tcp(80), Port.tcp(443)], carriers: [a, b, c] });
  p.addService({ origin: origin("api"), name: "api", number: 2, target: server(net, "eu-north-1b", 16), ports: [Port.tcp(443)], carriers: [a, c] });
  p.addService({ origin: origin("dns"), name: "dns", number: 7, target: server(net, "eu-north-1c", 32), ports: [Port.udp(53), Port.tcp(53)], carriers: [b] });
  return { net, p };
}

describe("translators", () => {
  test("each owns its /96 under the /48 (zone slot, ordinal), its interface addresses and nothing else", () => {
    const p = plan({ translatorsPerZone: 2 });
    expect(p.translators.map((t) => [t.id, t.prefix.toString(), t.primaryIpv4.toString(), t.ipv6.toString()])).toEqual([
      ["a0", "64:ff9b:1::/96", "10.0.0.10", "2001:db8:1200::a"],
      ["a1", "64:ff9b:1::1:0:0/96", "10.0.0.11", "2001:db8:1200::b"],
      ["b0", "64:ff9b:1:1::/96", "10.0.16.10", "2001:db8:1200:1::a"],
      ["b1", "64:ff9b:1:1:0:1::/96", "10.0.16.11", "2001:db8:1200:1::b"],
      ["c0", "64:ff9b:1:2::/96", "10.0.32.10", "2001:db8:1200:2::a"],
      ["c1", "64:ff9b:1:2:0:1::/96", "10.0.32.11", "2001:db8:1200:2::b"],
    ]);
  });

  test("adding translators or zones renumbers no existing prefix", () => {
    const before = plan({ zones: ["eu-north-1a", "eu-north-1c"] }, vpc(["eu-north-1a", "eu-north-1c"]));
    const after = plan({ translatorsPerZone: 3 });
    for (const t of before.translators) expect(after.translators.find((x) => x.id === t.id)!.prefix.equals(t.prefix)).toBe(true);
  });
});

describe("Jool configuration for the 3-AZ example", () => {
  const { p } = threeZoneExample();
  const files = Object.fromEntries(p.translators.map((t) => [t.id, p.joolConfig(t, (a) => a.toString())]));

  test("translator a0: its pool6, only the EAM entries of the addresses on its own interface, the VPC without them in denylist4", () => {
    expect(files.a0).toEqual({
      comment: "SIIT-DC border relay a0 (eu-north-1a); generated, do not edit",
      instance: "siit-dc",
      framework: "netfilter",
      global: { "manually-enabled": true, pool6: "64:ff9b:1::/96", "lowest-ipv6-mtu": 1500, "eam-hairpin-mode": "intrinsic" },
      eamt: [
        { "ipv6 prefix": "2001:db8:1200:10::10/128", "ipv4 prefix": "10.0.0.65/32" },
        { "ipv6 prefix": "2001:db8:1200:11::10/128", "ipv4 prefix": "10.0.0.66/32" },
      ],
      denylist4: "10.0.0.0/26, 10.0.0.64/32, 10.0.0.67/32, 10.0.0.68/30, 10.0.0.72/29, 10.0.0.80/28, 10.0.0.96/27, 10.0.0.128/25, 10.0.1.0/24, 10.0.2.0/23, 10.0.4.0/22, 10.0.8.0/21, 10.0.16.0/20, 10.0.32.0/19, 10.0.64.0/18, 10.0.128.0/17".split(", "),
    });
  });

  test("denylist4 is the whole VPC block except the translator's own EAM addresses: no pool6 loop, yet hairpinning", () => {
    const vpc4 = Ipv4Prefix.parse("10.0.0.0/16");
    for (const t of p.translators) {
      const file = files[t.id];
      const denied = file.denylist4.map((d) => Ipv4Prefix.parse(d));
      const eam = file.eamt.map((e) => Ipv4Prefix.parse(e["ipv4 prefix"]).network);
      // Inside the block, disjoint, and together exactly the block minus the EAM addresses.
      expect(denied.every((d) => vpc4.contains(d))).toBe(true);
      expect(denied.every((d, i) => denied.every((o, j) => i === j || !d.overlaps(o)))).toBe(true);
      expect(denied.reduce((n, d) => n + d.size, 0n)).toBe(vpc4.size - BigInt(eam.length));
      expect(eam.filter((a) => denied.some((d) => d.contains(a)))).toEqual([]);
      // Another translator's service addresses stay denied here.
      const others = p.translators.filter((o) => o !== t).flatMap((o) => files[o.id].eamt.map((e) => Ipv4Prefix.parse(e["ipv4 prefix"]).network));
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((a) => eam.some((m) => m.equals(a)) || denied.some((d) => d.contains(a)))).toBe(true);
    }
  });

  test("translator b0", () => {
    expect(files.b0.global.pool6).toBe("64:ff9b:1:1::/96");
    expect(files.b0.eamt).toEqual([
      { "ipv6 prefix": "2001:db8:1200:10::10/128", "ipv4 prefix": "10.0.16.65/32" },
      { "ipv6 prefix": "2001:db8:1200:12::20/128", "ipv4 prefix": "10.0.16.71/32" },
    ]);
  });

  test("translator c0", () => {
    expect(files.c0.global.pool6).toBe("64:ff9b:1:2::/96");
    expect(files.c0.eamt).toEqual([
      { "ipv6 prefix": "2001:db8:1200:10::10/128", "ipv4 prefix": "10.0.32.65/32" },
      { "ipv6 prefix": "2001:db8:1200:11::10/128", "ipv4 prefix": "10.0.32.66/32" },
    ]);
  });

  test("every file passes our Jool validator, and its text is stable JSON with a final newline", () => {
    for (const f of Object.values(files)) {
      const text = joolFileText(f);
      expect(validateJoolFile(text, "siit")).toEqual([]);
      expect(text.endsWith("}\n")).toBe(true);
      expect(JSON.parse(text)).toEqual(f);
    }
  });

  test("a symbolic server address renders through the caller's renderer", () => {
    const net = new VpcAddressPlan({ path: "app/Net", availabilityZones: ["eu-north-1a"], ipv4Cidr: "10.0.0.0/16", ipv6Cidr: { reference: { name: "vpc6", length: 56 } }, serverTiers: ["servers"] });
    const sp = plan({ zones: ["eu-north-1a"] }, net);
    sp.addService({ origin: origin("www"), name: "www", number: 1, target: server(net, "eu-north-1a", 16), ports: [Port.tcp(443)], carriers: [sp.translators[0]] });
    expect(sp.joolConfig(sp.translators[0], (a) => a.toString()).eamt).toEqual([{ "ipv6 prefix": "cidrhost(cidrsubnet(vpc6, 8, 16), 16)/128", "ipv4 prefix": "10.0.0.65/32" }]);
  });
});

describe("bad input", () => {
  const expectPlanError = (fn: () => unknown, message: RegExp) => {
    expect(fn).toThrow(PlanError);
    expect(fn).toThrow(message);
  };

  test("a translation prefix overlapping 64:ff9b::/96, the VPC prefix, or not a /48", () => {
    expectPlanError(() => plan({ translationPrefix: "64:ff9b::/48" }), /^app\/Edge: translationPrefix = "64:ff9b::\/48": overlaps 64:ff9b::\/96, the prefix AWS DNS64 and the outbound NAT64 use.*Fix: use 64:ff9b:1::\/48/);
    expectPlanError(() => plan({ translationPrefix: "2001:db8:1200::/48" }), /translationPrefix = "2001:db8:1200::\/48": overlaps the VPC prefix 2001:db8:1200::\/56/);
    expectPlanError(() => plan({ translationPrefix: "64:ff9b:1::/64" }), /is a \/64; translation prefixes are \/96s carved from a \/48/);
    expectPlanError(() => plan({ translationPrefix: "64:ff9b:1::1/48" }), /host bits are set/);
  });

  test("the same IPv4 address twice: two services with one number", () => {
    const { p } = threeZoneExample();
    expectPlanError(
      () => p.addService({ origin: origin("mail"), name: "mail", number: 2, target: SymbolicIpv6Address.literal(Ipv6Address.parse("2001:db8:1200:10::99")), ports: [Port.tcp(25)], carriers: [p.translators[0]] }),
      /^app\/Edge: publish\(mail\)\.number = 2: is already the number of service api; the number fixes the service's private IPv4 addresses/,
    );
  });

  test("the same IPv6 address as a second service, on any translator: each would expose the other's ports", () => {
    const { net, p } = threeZoneExample();
    for (const carrier of [p.translators[0], p.translators[2]]) {
      expectPlanError(
        () => p.addService({ origin: origin("www2"), name: "www2", number: 9, target: server(net, "eu-north-1a", 16), ports: [Port.tcp(8080)], carriers: [carrier] }),
        /publish\(www2\)\.target = "2001:db8:1200:10::10": is already the target of service www; two services on one server would each expose the other's ports\. Fix: publish the server once, as www, with all its ports and translators/,
      );
    }
  });

  test("more service addresses than the interface holds", () => {
    const net = vpc();
    const small = plan({ instanceType: "t4g.micro" }, net);
    const a = small.translators[0];
    small.addService({ origin: origin("one"), name: "one", number: 1, target: server(net, "eu-north-1a", 16), ports: [Port.tcp(443)], carriers: [a] });
    expectPlanError(
      () => small.addService({ origin: origin("two"), name: "two", number: 2, target: server(net, "eu-north-1a", 17), ports: [Port.tcp(443)], carriers: [a] }),
      /publish\(two\)\.translators\[0\] = "eu-north-1a\/0": would carry 2 service addresses, but its interface holds 1 secondary IPv4 addresses \(2 with the primary\)/,
    );
  });

  test("an instance type without a known address limit needs an override, which works", () => {
    expectPlanError(() => plan({ instanceType: "c8gn.large" }), /instanceType = "c8gn.large": has no known limit.*ipv4AddressesPerInterface: \{ "c8gn.large": N \}/);
    expect(plan({ instanceType: "c8gn.large", ipv4AddressesPerInterface: { "c8gn.large": 10 } }).addressLimit).toBe(9);
  });

  test.each([
    ["port 0", [Port.tcp(0)], /ports\[0\] = "tcp\/0": ports run from 1 to 65535/],
    ["port 65536", [Port.udp(65536)], /ports\[0\] = "udp\/65536": ports run from 1 to 65535/],
    ["reversed range", [Port.tcpRange(2000, 1000)], /ports\[0\] = "tcp\/2000-1000": the range ends before it starts/],
    ["sctp", [Port.of("sctp", 9)], /ports\[0\] = "sctp": is not a protocol SIIT translates for a published service\. Fix: use one of tcp, udp, icmp/],
    ["no ports", [], /ports = \[\]: is empty/],
  ])("%s", (_name, ports, message) => {
    const { net, p } = threeZoneExample();
    expectPlanError(() => p.addService({ origin: origin("x"), name: "x", number: 20, target: server(net, "eu-north-1a", 40), ports, carriers: [p.translators[0]] }), message);
  });

  test.each(["WWW", "web_1", "-www", "a".repeat(64), "mail."])("service name %s is not DNS-safe", (name) => {
    const { net, p } = threeZoneExample();
    expectPlanError(() => p.addService({ origin: origin(name), name, number: 20, target: server(net, "eu-north-1a", 40), ports: [Port.tcp(1)], carriers: [p.translators[0]] }), /\.name = .*: is not DNS-safe/);
  });

  test("numbers outside the edge subnet, two carriers in one zone, lowest-ipv6-mtu below 1500", () => {
    const { net, p } = threeZoneExample();
    expectPlanError(() => p.addService({ origin: origin("x"), name: "x", number: 0, target: server(net, "eu-north-1a", 40), ports: [Port.tcp(1)], carriers: [p.translators[0]] }), /number = 0: service numbers run from 1 to 4030/);
    const two = plan({ translatorsPerZone: 2 }, vpc());
    expectPlanError(
      () => two.addService({ origin: origin("x"), name: "x", number: 1, target: SymbolicIpv6Address.literal(Ipv6Address.parse("2001:db8::1")), ports: [Port.tcp(1)], carriers: [two.translators[0], two.translators[1]] }),
      /translators\[1\] = "eu-north-1a\/1": is a second carrier in one zone/,
    );
    expectPlanError(() => plan({ lowestIpv6Mtu: 1280 }), /lowestIpv6Mtu = 1280: must lie between 1500/);
  });
});
