import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ReferenceOptions, referenceTopology } from "../../examples/reference";
import { Ipv6OnlyVpc, Ipv6ServerFleet, Port, SiitDcTranslators } from "../../lib";
import { TerraformStack } from "../../lib/cdktf";
import { addressChanges, addressPlanSnapshot, assertAddressesKept, assertServiceExposure, serviceExposure } from "../../lib/testing";
import { testStack } from "../support/stacks";

/**
 * The bundled reference example, tested the way users test their stacks: with the testing kit.
 * The snapshot is the address plan (readable in review); the assertions state intent.
 */
function reference(options: ReferenceOptions = {}): TerraformStack {
  const stack = testStack();
  referenceTopology(stack, options);
  return stack;
}

const BOTH = ["eu-north-1a", "eu-north-1b"];

describe("reference example", () => {
  const stack = reference();

  test("address plan snapshot", () => {
    expect(addressPlanSnapshot(stack)).toMatchSnapshot();
  });

  test("www answers tcp/80, tcp/443 and ping over IPv4 in both zones and over IPv6, and nothing else", () => {
    assertServiceExposure(stack, "www", { ipv4: { ports: ["tcp/80", "tcp/443", "icmp/echo"], zones: BOTH }, ipv6: ["tcp/80", "tcp/443", "icmp/echo"] });
  });

  test("api answers tcp/443 only, in both zones and over IPv6", () => {
    assertServiceExposure(stack, "api", { ipv4: { ports: ["tcp/443"], zones: BOTH }, ipv6: ["tcp/443"] });
  });

  test("ntp answers udp/123 over IPv4 via eu-north-1b only, and over IPv6", () => {
    assertServiceExposure(stack, "ntp", { ipv4: { ports: ["udp/123"], zones: ["eu-north-1b"] }, ipv6: ["udp/123"] });
  });

  test("no address of a kept service changes when api is removed, or when a translator per zone is added", () => {
    const before = addressPlanSnapshot(stack);
    assertAddressesKept(before, addressPlanSnapshot(reference({ services: ["www", "ntp"], publicAddresses: ["www", "api", "ntp"] })));
    assertAddressesKept(before, addressPlanSnapshot(reference({ translatorsPerZone: 2 })));
  });
});

describe("the kit's assertions fail when the stack says otherwise", () => {
  test("an extra rule on the web fleet's group opens that port to IPv6 clients; over IPv4 the translator's per-address filter still drops it", () => {
    const stack = reference();
    const web = stack.node.findChild("Web") as Ipv6ServerFleet;
    web.allowInbound("Ssh", { port: Port.tcp(22), ipv6Cidr: "::/0", description: "ssh from anywhere" });
    const expected = { ipv4: { ports: ["tcp/443"], zones: BOTH }, ipv6: ["tcp/443"] };
    expect(() => assertServiceExposure(stack, "api", expected)).toThrow(/^service api of stack test:\n- IPv6 reaches ports \[tcp\/22, tcp\/443\], expected \[tcp\/443\]$/);
    const sg = stack.node.findChild("Edge").node.findChild("SecurityGroup") as SecurityGroup;
    new VpcSecurityGroupIngressRule(stack, "SshV4", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" });
    // Opening tcp/22 on the translators' group too: the filter delivered with the Jool file passes
    // only api's own ports at api's addresses, so IPv4 exposure does not change.
    expect(() => assertServiceExposure(stack, "api", expected)).toThrow(/^service api of stack test:\n- IPv6 reaches ports \[tcp\/22, tcp\/443\], expected \[tcp\/443\]$/);
    expect(serviceExposure(stack).find((e) => e.service === "api")!.ipv4.map((a) => a.ports)).toEqual([["tcp/443"], ["tcp/443"]]);
  });

  test("a rule on the translators' group alone exposes nothing the server does not admit", () => {
    const stack = reference();
    const sg = stack.node.findChild("Edge").node.findChild("SecurityGroup") as SecurityGroup;
    new VpcSecurityGroupIngressRule(stack, "Extra", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "0.0.0.0/0" });
    assertServiceExposure(stack, "api", { ipv4: { ports: ["tcp/443"], zones: BOTH }, ipv6: ["tcp/443"] });
  });

  test("a wrong expectation names the difference: zones and ports", () => {
    const stack = reference();
    expect(() => assertServiceExposure(stack, "ntp", { ipv4: { ports: ["udp/123"], zones: BOTH }, ipv6: [] })).toThrow(
      /IPv4 reaches it via zones \[eu-north-1b\], expected \[eu-north-1a, eu-north-1b\][\s\S]*IPv6 reaches ports \[udp\/123\], expected \[\]/,
    );
    expect(() => assertServiceExposure(stack, "nope", {})).toThrow(/publishes no service nope \(services: www, api, ntp\)/);
  });

  test("a service published with ipv6Internet: false is closed to IPv6 clients", () => {
    const stack = testStack();
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: BOTH });
    const fleet = new Ipv6ServerFleet(stack, "Mail", { vpc, servers: 1, instanceType: "t4g.small" });
    const edge = new SiitDcTranslators(stack, "Edge", { vpc });
    edge.publish("mail", fleet.server(0), { number: 1, ports: [Port.tcp(25)], ipv6Internet: false });
    const [mail] = serviceExposure(stack);
    expect(mail.ipv4.map((a) => [a.zone, a.ports, a.broken])).toEqual([
      ["eu-north-1a", ["tcp/25"], []],
      ["eu-north-1b", ["tcp/25"], []],
    ]);
    expect(mail.ipv6).toEqual([]);
    assertServiceExposure(stack, "mail", { ipv4: { ports: ["tcp/25"], zones: BOTH } });
  });

  test("renumbering a service moves its private addresses: the kit names each move", () => {
    const before = addressPlanSnapshot(reference());
    const after = addressPlanSnapshot(reference({ numbers: { www: 9 }, publicAddresses: ["www", "api", "ntp"] }));
    expect(addressChanges(before, after)).toEqual([
      "test/Edge service www in eu-north-1a: privateIpv4 10.0.0.65 -> 10.0.0.73",
      "test/Edge service www in eu-north-1b: privateIpv4 10.0.16.65 -> 10.0.16.73",
    ]);
    expect(() => assertAddressesKept(before, after)).toThrow(/addresses of kept services changed:\n- test\/Edge service www in eu-north-1a: privateIpv4/);
  });

  test("a service that loses a zone is reported", () => {
    const before = addressPlanSnapshot(reference());
    const after = addressPlanSnapshot(reference({ apiZones: ["eu-north-1a"] }));
    expect(addressChanges(before, after)).toEqual(["test/Edge service api: lost its address in eu-north-1b (slot api/b0, 10.0.16.66)"]);
  });
});
