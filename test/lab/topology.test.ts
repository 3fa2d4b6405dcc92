import { Fn } from "../../lib/cdktf";
import { Ipv6ServerFleet } from "../../lib/constructs/fleet/ipv6-server-fleet";
import { Ipv6OnlyVpc } from "../../lib/constructs/network/ipv6-only-vpc";
import { RouteTarget } from "../../lib/constructs/network/route-target";
import { SiitDcTranslators } from "../../lib/constructs/siit/siit-dc-translators";
import { LabInput } from "../../lib/lab/model/input";
import { buildLabTopology, CannotEmulateError, routeFor } from "../../lib/lab/model/topology";
import { Ipv6Address } from "../../lib/plan/address/ip";
import { Port } from "../../lib/plan/ports";
import { TranslationPlan } from "../../lib/plan/siit/translation-plan";
import { referenceInput, referenceLab, stackInput } from "./support";

/** The lab topology extracted from the plan objects, what it refuses by name, and the faults tests inject. */

const input = referenceInput();
const { topology } = referenceLab({}, input);

describe("the reference example as a lab topology", () => {
  test("one namespace's worth of data per translator, published server and NAT64 device", () => {
    expect(topology.translators.map((t) => [t.key, t.zone, t.prefix.toString(), t.ipv6.toString()])).toEqual([
      ["a0", "eu-north-1a", "2001:db8:64::/96", "2001:db8:100::a"],
      ["b0", "eu-north-1b", "2001:db8:64:1::/96", "2001:db8:100:1::a"],
    ]);
    expect(topology.servers.map((s) => [s.key, s.subnet, s.address.toString(), s.services, s.listen.map((l) => `${l.protocol}/${l.port}`)])).toEqual([
      ["Web[0]", "servers-eu-north-1a", "2001:db8:100:10::10", ["www"], ["tcp/80", "tcp/443", "udp/123", "tcp/8080"]],
      ["Web[1]", "servers-eu-north-1b", "2001:db8:100:11::10", ["api"], ["tcp/80", "tcp/443", "udp/123", "tcp/8080"]],
      ["Web[2]", "servers-eu-north-1a", "2001:db8:100:10::11", ["ntp"], ["tcp/80", "tcp/443", "udp/123", "tcp/8080"]],
    ]);
    expect(topology.services.map((s) => [s.key, s.server, s.addresses.map((a) => `${a.eip}=${a.privateIpv4}@${a.translator}`)])).toEqual([
      ["www", "Web[0]", ["203.0.113.1=10.0.0.65@a0", "203.0.113.2=10.0.16.65@b0"]],
      ["api", "Web[1]", ["203.0.113.3=10.0.0.66@a0", "203.0.113.4=10.0.16.66@b0"]],
      ["ntp", "Web[2]", ["203.0.113.5=10.0.16.67@b0"]],
    ]);
    expect(topology.nat64.map((n) => [n.zone, n.provider, n.ipv6.toString(), n.serves])).toEqual([
      ["eu-north-1a", "jool-instance", "2001:db8:100::8", ["eu-north-1a"]],
      ["eu-north-1b", "jool-instance", "2001:db8:100:1::8", ["eu-north-1b"]],
    ]);
    expect(topology.undeclaredPort).toBe(8080);
  });

  test("server route tables as the constructs built them: each translator's /96 to it, 64:ff9b::/96 to the zone's NAT64", () => {
    expect(topology.routeTables.map((t) => [t.subnet, t.routes.map((r) => `${r.destination} -> ${r.target.kind === "translator" ? r.target.id : r.target.kind === "nat64" ? `nat64 ${r.target.zone}` : r.target.kind}`)])).toEqual([
      ["servers-eu-north-1a", ["::/0 -> internet-gateway", "2001:db8:64::/96 -> a0", "2001:db8:64:1::/96 -> b0", "64:ff9b::/96 -> nat64 eu-north-1a"]],
      ["servers-eu-north-1b", ["::/0 -> internet-gateway", "2001:db8:64::/96 -> a0", "2001:db8:64:1::/96 -> b0", "64:ff9b::/96 -> nat64 eu-north-1b"]],
    ]);
    const table = topology.routeTables[0];
    expect(routeFor(table, Ipv6Address.parse("2001:db8:64:1::c633:6407"))?.target).toEqual({ kind: "translator", set: "test/Edge", id: "b0" });
    expect(routeFor(table, Ipv6Address.parse("2001:db8:ffff::7"))?.target).toEqual({ kind: "internet-gateway" });
  });

  test("states what it leaves out, never silently", () => {
    expect(topology.notes).toEqual([
      "not emulated: test/Workers (autoscaled: no fixed addresses, nothing can be published on it)",
      "translator a0: lowest-ipv6-mtu 1500 is not exercised (no probe needs fragmentation)",
      "translator a0: eam-hairpin-mode intrinsic is not exercised (no probe goes from a server to a published IPv4 address)",
      "translator b0: lowest-ipv6-mtu 1500 is not exercised (no probe needs fragmentation)",
      "translator b0: eam-hairpin-mode intrinsic is not exercised (no probe goes from a server to a published IPv4 address)",
      "not emulated: test/Web servers 3 (nothing is published on them)",
      "NAT64 eu-north-1a: lowest-ipv6-mtu 1500 is not exercised",
      "NAT64 eu-north-1b: lowest-ipv6-mtu 1500 is not exercised",
      "not filtered: egress rules (every security group of the plan allows all egress)",
    ]);
  });
});

describe("cannot emulate: reported by name, all at once, and the lab refuses to run", () => {
  test("a target outside the VPC, a route to an unknown interface, an extra edge route, a rule source only known at apply", () => {
    const odd = stackInput((stack) => {
      const net = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: ["eu-north-1a"] });
      const web = new Ipv6ServerFleet(stack, "Web", { vpc: net, servers: 1, instanceType: "c7g.large" });
      const edge = new SiitDcTranslators(stack, "Edge", { vpc: net });
      edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)] });
      edge.publish("ext", "2001:db8:ffff:1::10", { number: 2, ports: [Port.tcp(443)] });
      net.serverSubnet("eu-north-1a").addIpv6Route("ToPeering", "2001:db8:aaaa::/48", RouteTarget.networkInterface("eni-0123456789abcdef0"));
      net.edgeSubnet("eu-north-1a").addIpv4Route("ToPartner", "192.0.2.0/24", RouteTarget.internetGateway(net.internetGateway.id));
      web.allowInbound("Ssh", { port: Port.tcp(22), ipv6Cidr: Fn.cidrsubnet(net.vpc.ipv6CidrBlock, 8, 200), description: "ssh from the office" });
    });
    let error: CannotEmulateError | undefined;
    try {
      buildLabTopology(odd);
    } catch (e) {
      error = e as CannotEmulateError;
    }
    expect(error).toBeInstanceOf(CannotEmulateError);
    expect(error!.problems.map((p) => p.subject)).toEqual([
      'test/Web security group rule "ssh from the office"',
      "service ext: target 2001:db8:ffff:1::10",
      "route test/Net/edge-eu-north-1a/ToPartner (192.0.2.0/24 -> the internet gateway) in edge route table edge-eu-north-1a",
      "route test/Net/servers-eu-north-1a/ToPeering (2001:db8:aaaa::/48) in server route table servers-eu-north-1a",
    ]);
    expect(error!.message).toMatch(/^the packet lab cannot emulate stack test:\n {2}cannot emulate: test\/Web security group rule "ssh from the office": its source \$\{cidrsubnet\(aws_vpc\.Net_Vpc_[0-9A-F]+\.ipv6_cidr_block, 8, 200\)\} is not a literal prefix/);
    expect(error!.message).toContain("cannot emulate: service ext: target 2001:db8:ffff:1::10: is outside the VPC's server subnets");
    expect(error!.message).toContain('its target eni-0123456789abcdef0 is not a translator, NAT64 or gateway of this stack');
  });

  test("a Jool file with a global tayga has no equivalent for", () => {
    const set = input.translatorSets[0];
    const plan = Object.assign(Object.create(set.plan) as TranslationPlan, {
      joolConfig: (...args: Parameters<TranslationPlan["joolConfig"]>) => {
        const c = set.plan.joolConfig(...args);
        return { ...c, global: { ...c.global, "rfc6791v4-prefix": "192.0.2.0/24" } };
      },
    });
    const changed: LabInput = { ...input, translatorSets: [{ ...set, plan }] };
    expect(() => buildLabTopology(changed)).toThrow(/cannot emulate: translator a0: Jool global\.rfc6791v4-prefix: has no tayga equivalent\n {2}cannot emulate: translator b0: Jool global\.rfc6791v4-prefix/);
  });

  test("a second VPC in the stack", () => {
    const two = stackInput((stack) => {
      new Ipv6OnlyVpc(stack, "Net", { availabilityZones: ["eu-north-1a"] });
      new Ipv6OnlyVpc(stack, "Other", { availabilityZones: ["eu-north-1a"], ipv4Cidr: "10.1.0.0/16" });
    });
    expect(() => buildLabTopology(two)).toThrow(/cannot emulate: test\/Other: a second Ipv6OnlyVpc/);
  });
});

describe("faults, injected into the lab's copy of the plan (tests only)", () => {
  test("drop-eam removes exactly that EAM entry from the converted tayga config", () => {
    const { topology: t } = referenceLab({ faults: [{ kind: "drop-eam", translator: "a0", service: "www" }] }, input);
    expect(t.translators[0].tayga.maps.map((m) => `${m.ipv4} ${m.ipv6}`)).toEqual(["10.0.0.66/32 2001:db8:100:11::10/128"]);
    expect(t.translators[1].tayga.maps).toHaveLength(3);
    expect(t.faults).toEqual([{ kind: "drop-eam", translator: "a0", service: "www" }]);
  });

  test("drop-route and misroute change server route tables", () => {
    const dropped = referenceLab({ faults: [{ kind: "drop-route", translator: "a0", subnet: "servers-eu-north-1a" }] }, input).topology;
    expect(dropped.routeTables[0].routes.map((r) => r.destination.toString())).toEqual(["::/0", "2001:db8:64:1::/96", "64:ff9b::/96"]);
    expect(dropped.routeTables[1].routes).toHaveLength(4);
    const wrong = referenceLab({ faults: [{ kind: "misroute", translator: "a0", to: "b0" }] }, input).topology;
    expect(wrong.routeTables.map((t) => routeFor(t, Ipv6Address.parse("2001:db8:64::1"))?.target)).toEqual([
      { kind: "translator", set: "test/Edge", id: "b0" },
      { kind: "translator", set: "test/Edge", id: "b0" },
    ]);
  });

  test("drop-server-rule removes a port from the fleet's group", () => {
    const t = referenceLab({ faults: [{ kind: "drop-server-rule", port: "tcp/80" }] }, input).topology;
    expect(t.servers[0].securityGroup.rules.map((r) => r.description)).not.toContainEqual(expect.stringMatching(/^tcp\/80/));
    expect(t.servers[0].securityGroup.rules.map((r) => r.description)).toContainEqual(expect.stringMatching(/^tcp\/443/));
  });

  test("a fault that matches nothing is a test bug, not a silent no-op", () => {
    expect(() => referenceLab({ faults: [{ kind: "drop-eam", translator: "a0", service: "ntp" }] }, input)).toThrow(/translator a0 has no EAM entry of service ntp/);
    expect(() => referenceLab({ faults: [{ kind: "drop-route", translator: "z9" }] }, input)).toThrow(/no translator z9/);
    expect(() => referenceLab({ faults: [{ kind: "drop-server-rule", port: "tcp/9999" }] }, input)).toThrow(/no fleet of a published server has such a rule/);
  });
});
