import { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix } from "../../lib/plan/address/ip";
import { Ipv6OnlyVpc, VpcIpv6Cidr } from "../../lib/constructs/network/ipv6-only-vpc";
import { Ipv6ServerFleet } from "../../lib/constructs/fleet/ipv6-server-fleet";
import { SiitDcTranslators } from "../../lib/constructs/siit/siit-dc-translators";
import { Nat64Provider } from "../../lib/constructs/nat64/outbound-nat64";
import { Port } from "../../lib/plan/ports";
import { LabSubstitution, SubstitutionError, taygaRefusesIpv4, taygaRefusesIpv6 } from "../../lib/lab/model/substitution";
import { buildLabTopology, CannotEmulateError } from "../../lib/lab/model/topology";
import { referenceInput, referenceLab, stackInput } from "./support";

/**
 * The lab's one explicit substitution: unknown prefixes and EIPs, and the translation home tayga
 * refuses, become documentation values; everything known and usable is kept.
 */

describe("the reference example's substitution", () => {
  const { topology } = referenceLab();

  test("is exactly this mapping (printed by npm run lab)", () => {
    expect(topology.substitution.entries.map((e) => [e.kind, e.what, e.deployed, e.lab])).toEqual([
      ["vpc-prefix", "IPv6 prefix test/Net/ipv6", "Amazon-provided, known at apply", "2001:db8:100::/56"],
      ["translation-home", "translation prefix home of test/Edge", "64:ff9b:1::/48", "2001:db8:64::/48"],
      ["translator-prefix", "pool6 of translator a0 (test/Edge)", "64:ff9b:1::/96", "2001:db8:64::/96"],
      ["translator-prefix", "pool6 of translator b0 (test/Edge)", "64:ff9b:1:1::/96", "2001:db8:64:1::/96"],
      ["eip", "EIP of www in eu-north-1a (translator a0)", "EIP allocated at apply", "203.0.113.1"],
      ["eip", "EIP of www in eu-north-1b (translator b0)", "EIP allocated at apply", "203.0.113.2"],
      ["eip", "EIP of api in eu-north-1a (translator a0)", "EIP allocated at apply", "203.0.113.3"],
      ["eip", "EIP of api in eu-north-1b (translator b0)", "EIP allocated at apply", "203.0.113.4"],
      ["eip", "EIP of ntp in eu-north-1b (translator b0)", "EIP allocated at apply", "203.0.113.5"],
      ["nat64-eip", "EIP of the NAT64 in eu-north-1a (jool-instance)", "EIP allocated at apply", "192.0.2.1"],
      ["nat64-eip", "EIP of the NAT64 in eu-north-1b (jool-instance)", "EIP allocated at apply", "192.0.2.2"],
      ["ipv4-client", "IPv4 client", "any IPv4 internet host", "198.51.100.7"],
      ["ipv6-client", "IPv6 client", "any IPv6 internet host", "2001:db8:ffff::7"],
      ["ipv4-host", "IPv4-only host (reached through NAT64)", "any IPv4-only internet host", "100.64.0.20"],
    ]);
    const lines = topology.substitution.lines();
    expect(lines[0]).toMatch(/^substituted\s+deployed\s+lab\s+why$/);
    expect(lines).toContainEqual(expect.stringMatching(/^translation prefix home of test\/Edge\s+64:ff9b:1::\/48\s+2001:db8:64::\/48\s+tayga refuses addresses under ::\/8/));
  });

  test("keeps what is known and usable: the VPC IPv4 block, private addresses, the NAT64's 64:ff9b::/96", () => {
    expect(topology.vpc.ipv4.toString()).toBe("10.0.0.0/16");
    expect(topology.translators.map((t) => [t.key, t.primaryIpv4.toString(), t.secondaryIpv4.map(String)])).toEqual([
      ["a0", "10.0.0.10", ["10.0.0.65", "10.0.0.66"]],
      ["b0", "10.0.16.10", ["10.0.16.65", "10.0.16.66", "10.0.16.67"]],
    ]);
    expect(topology.nat64.map((n) => [n.zone, n.prefix.toString(), n.ipv4.toString(), n.eip.toString()])).toEqual([
      ["eu-north-1a", "64:ff9b::/96", "10.0.0.8", "192.0.2.1"],
      ["eu-north-1b", "64:ff9b::/96", "10.0.16.8", "192.0.2.2"],
    ]);
  });

  test("moves each translator /96 to the same offset in the documentation /48, and nothing else", () => {
    const s = topology.substitution;
    expect(s.prefix(Ipv6Prefix.parse("64:ff9b:1:1::/96")).toString()).toBe("2001:db8:64:1::/96");
    expect(s.prefix(Ipv6Prefix.parse("64:ff9b:1:2:0:3::/96")).toString()).toBe("2001:db8:64:2:0:3::/96");
    expect(s.prefix(Ipv6Prefix.parse("64:ff9b::/96")).toString()).toBe("64:ff9b::/96");
    expect(s.prefix(Ipv6Prefix.parse("::/0")).toString()).toBe("::/0");
  });

  test("every lab address tayga must handle is one it accepts", () => {
    for (const t of topology.translators) expect(taygaRefusesIpv6(t.prefix)).toBeUndefined();
    for (const s of topology.servers) expect(taygaRefusesIpv6(s.address)).toBeUndefined();
    expect(taygaRefusesIpv6(Ipv6Prefix.parse("64:ff9b::/96"))).toBeUndefined();
  });
});

describe("what tayga refuses (tayga 0.9.2 addrmap.c, measured in research/tayga-lab.md)", () => {
  test.each([
    ["64:ff9b:1::/48", /under ::\/8/],
    ["64:ff9b:1::/96", /under ::\/8/],
    ["::ffff:0:0/96", /under ::\/8/],
    ["fe80::/96", /link-local/],
    ["ff02::/96", /multicast/],
  ])("IPv6 %s", (text, why) => expect(taygaRefusesIpv6(Ipv6Prefix.parse(text))).toMatch(why));

  test.each(["64:ff9b::/96", "2001:db8:64::/96", "fd00:64::/96", "2a05:d016::/96"])("accepts IPv6 %s", (text) => expect(taygaRefusesIpv6(Ipv6Prefix.parse(text))).toBeUndefined());

  test("IPv4: loopback, link-local and class D/E are refused; 0/8 and RFC 1918 are not", () => {
    expect(taygaRefusesIpv4(Ipv4Address.parse("127.0.0.5"))).toMatch(/loopback/);
    expect(taygaRefusesIpv4(Ipv4Prefix.parse("169.254.0.0/16"))).toMatch(/link-local/);
    expect(taygaRefusesIpv4(Ipv4Address.parse("224.0.0.1"))).toMatch(/multicast/);
    expect(taygaRefusesIpv4(Ipv4Address.parse("10.0.0.65"))).toBeUndefined();
    expect(taygaRefusesIpv4(Ipv4Address.parse("0.0.0.1"))).toBeUndefined();
  });
});

describe("other topologies", () => {
  test("a literal (BYOIP) VPC prefix and a translation home tayga accepts are kept as they are", () => {
    const input = stackInput((stack) => {
      const net = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: ["eu-north-1a"], ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123456789abcdef0", "2001:db8:1200::/56") });
      const web = new Ipv6ServerFleet(stack, "Web", { vpc: net, servers: 1, instanceType: "c7g.large" });
      const edge = new SiitDcTranslators(stack, "Edge", { vpc: net, translationPrefix: "2001:db8:4600::/48" });
      edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)] });
    });
    const t = buildLabTopology(input);
    expect(t.substitution.entries.filter((e) => e.kind === "vpc-prefix" || e.kind === "translation-home" || e.kind === "translator-prefix")).toEqual([]);
    expect(t.translators[0].prefix.toString()).toBe("2001:db8:4600::/96");
    expect(t.servers[0].address.toString()).toBe("2001:db8:1200:10::10");
  });

  test("a NAT gateway's private addresses (picked by AWS) get the first free edge host, stated in the substitution", () => {
    const { topology } = referenceLab({}, referenceInput({ nat64Provider: Nat64Provider.natGateway() }));
    expect(topology.substitution.entries.filter((e) => e.kind === "nat64-device").map((e) => [e.what, e.lab])).toEqual([
      ["NAT gateway in eu-north-1a", "10.0.0.4, 2001:db8:100::4"],
      ["NAT gateway in eu-north-1b", "10.0.16.4, 2001:db8:100:1::4"],
    ]);
    expect(topology.nat64.map((n) => n.provider)).toEqual(["nat-gateway", "nat-gateway"]);
  });

  test("a VPC IPv4 block that overlaps a lab address cannot be emulated, and says which", () => {
    const input = stackInput((stack) => {
      const net = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: ["eu-north-1a"], ipv4Cidr: "203.0.112.0/20" });
      const web = new Ipv6ServerFleet(stack, "Web", { vpc: net, servers: 1, instanceType: "c7g.large" });
      new SiitDcTranslators(stack, "Edge", { vpc: net }).publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)] });
    });
    expect(() => buildLabTopology(input)).toThrow(CannotEmulateError);
    expect(() => buildLabTopology(input)).toThrow(/cannot emulate: address substitution: the plan's 203\.0\.112\.0\/20 overlaps the lab's service EIPs 203\.0\.113\.0\/24/);
  });

  test("the substitution refuses more EIPs than its documentation block holds", () => {
    const eips = Array.from({ length: 201 }, (_, i) => ({ key: `k${i}`, label: `EIP ${i}` }));
    expect(() => new LabSubstitution({ references: [], translationHomes: [], eips, nat64Eips: [], keptIpv4: [], keptIpv6: [] })).toThrow(SubstitutionError);
  });

  test("the IPv6 client is an address the lab can route (not inside any VPC binding)", () => {
    const s = new LabSubstitution({ references: [{ name: "a", length: 56 }, { name: "b", length: 56 }], translationHomes: [], eips: [], nat64Eips: [], keptIpv4: [], keptIpv6: [] });
    for (const p of s.bindings.values()) expect(p.contains(Ipv6Address.parse("2001:db8:ffff::7"))).toBe(false);
  });
});

describe("a prefix reference with a given value (a platform manifest as applied)", () => {
  test("is bound to it and printed as applied; the others still get documentation prefixes", () => {
    const base = referenceInput();
    const given = { ...base, bindings: [{ reference: "test/Net/ipv6", prefix: "2a05:d016:abc:de00::/56", source: "the manifest" }] };
    const { topology } = referenceLab({}, given);
    expect(topology.substitution.entries[0]).toEqual({ kind: "vpc-prefix", what: "IPv6 prefix test/Net/ipv6", deployed: "Amazon-provided, known at apply", lab: "2a05:d016:abc:de00::/56", why: "as applied: the manifest" });
    expect(topology.vpc.ipv6.toString()).toBe("2a05:d016:abc:de00::/56");
    expect(topology.servers.map((s) => s.address.toString())).toEqual(referenceLab().topology.servers.map((s) => s.address.toString().replace("2001:db8:100:", "2a05:d016:abc:de")));
  });

  test("that collides with the lab's own addresses cannot be emulated", () => {
    const given = { ...referenceInput(), bindings: [{ reference: "test/Net/ipv6", prefix: "2001:db8:ffff::/56", source: "the manifest" }] };
    expect(() => buildLabTopology(given)).toThrow(CannotEmulateError);
    expect(() => buildLabTopology(given)).toThrow(/address substitution: the plan's 2001:db8:ffff::\/56 overlaps the lab's internet link 2001:db8:ffff::\/64/);
  });
});
