import { Ipv6OnlyVpc, Ipv6ServerFleet, Port, SiitDcTranslators } from "../../lib";
import { Testing } from "../../lib/cdktf";
import { resourceAt, resourcesOf, SynthesizedStack, synthJson, testStack } from "../support/stacks";

/** Declared equals exposed (docs/DESIGN.md invariants 16 and 17), as synthesized. */
const zones = ["eu-north-1a", "eu-north-1b"];
const named = (synth: SynthesizedStack, type: string, prefix: string) => Object.entries(resourcesOf(synth, type)).filter(([n]) => n.startsWith(prefix));

describe("server-initiated IPv4 through translators", () => {
  const build = (mailOptsIn: boolean) =>
    synthJson((s) => {
      const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
      const web = new Ipv6ServerFleet(s, "Web", { vpc, servers: 2, instanceType: "c7g.large" });
      const edge = new SiitDcTranslators(s, "Edge", { vpc });
      edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)] });
      edge.publish("mail", web.server(1), { number: 2, ports: [Port.tcp(25)], outboundIpv4: mailOptsIn });
    });

  test("off by default: translators send IPv4 only as replies and PMTUD errors", () => {
    const egress = named(build(false), "aws_vpc_security_group_egress_rule", "Edge_").map(([, r]) => `${r.ip_protocol}/${r.cidr_ipv4 ?? r.cidr_ipv6}`);
    expect(egress.sort()).toEqual(["-1/::/0", "icmp/0.0.0.0/0"]);
  });

  test("a service that opts in: IPv4 egress on the translators, and only its server may send to them", () => {
    const synth = build(true);
    expect(resourceAt(synth, "aws_vpc_security_group_egress_rule", "Edge/ServerInitiatedIpv4Egress")).toMatchObject({ ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" });
    expect(resourceAt(synth, "aws_vpc_security_group_egress_rule", "Web/Server1/PublishedSecurityGroup/Edge-Ipv4Out")).toMatchObject({ prefix_list_id: expect.stringContaining("aws_ec2_managed_prefix_list.Edge_TranslatorPrefixes_") });
    expect(named(synth, "aws_vpc_security_group_egress_rule", "Web_Server0_")).toEqual([]);
  });

  test("opting in needs a fleet server, whose groups the library manages", () => {
    const stack = testStack();
    const edge = new SiitDcTranslators(stack, "Edge", { vpc: new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones }) });
    expect(() => edge.publish("mail", "2001:db8::25", { number: 1, ports: [Port.tcp(25)], outboundIpv4: true })).toThrow(
      "test/Edge: publish(mail).outboundIpv4 = true: needs a fleet server as the target (the library opens only groups it manages). Fix: publish a fleet server, or open your server's own security group",
    );
  });

  test("a global unicast translation prefix cannot be kept out of servers' egress: a warning says so", () => {
    const stack = testStack();
    new SiitDcTranslators(stack, "Edge", { vpc: new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones }), translationPrefix: "2001:db8:64::/48" });
    Testing.synth(stack, true);
    const warnings = stack.node.findChild("Edge").node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(warnings).toContainEqual(expect.stringContaining("translationPrefix 2001:db8:64::/48 is global unicast"));
  });
});

describe("no duplicate permissions", () => {
  test("two rules EC2 would compare as one are refused at synth, naming both", () => {
    const stack = testStack();
    const web = new Ipv6ServerFleet(stack, "Web", { vpc: new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones }), servers: 1, instanceType: "c7g.large" });
    web.allowInbound("Https", { port: Port.tcp(443), ipv6Cidr: "2001:db8::/32", description: "HTTPS from the office" });
    expect(() => web.allowInbound("HttpsAgain", { port: Port.tcp(443), ipv6Cidr: "2001:db8::/32", description: "HTTPS again" })).toThrow(
      /^test\/Web: HttpsAgain = "HTTPS again": is the same permission as test\/Web\/Https \(protocol tcp, ports 443-443, same source, same group\); EC2 would refuse it as InvalidPermission\.Duplicate\. Fix: keep one of the two rules$/,
    );
  });

  test("publishing ICMP echo no longer repeats a built-in fleet rule", () => {
    const synth = synthJson((s) => {
      const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
      const web = new Ipv6ServerFleet(s, "Web", { vpc, servers: 1, instanceType: "c7g.large" });
      new SiitDcTranslators(s, "Edge", { vpc }).publish("www", web.server(0), { number: 1, ports: [Port.icmpEcho()] });
    });
    const echo = named(synth, "aws_vpc_security_group_ingress_rule", "Web_").filter(([, r]) => r.ip_protocol === "icmpv6" && r.from_port === 128);
    expect(echo.map(([n]) => n.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual(["Web_Server0_PublishedSecurityGroup_Edge-internet-icmp-echo", "Web_Server0_PublishedSecurityGroup_Edge-translators-icmp-echo"]);
  });
});
