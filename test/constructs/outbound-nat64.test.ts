import { referenceTopology } from "../../examples/reference";
import { Ipv6OnlyVpc, Nat64Placement, Nat64Provider, OutboundNat64, SiitDcTranslators } from "../../lib";
import { TerraformStack, Testing } from "../../lib/cdktf";
import { userDataOf } from "../support/artefacts";
import { diffResources } from "../support/compare";
import { forSnapshot, resourceAt, resourcesOf, synthJson, SynthesizedStack, testStack } from "../support/stacks";

const zones = ["eu-north-1a", "eu-north-1b"];
const nat64Routes = (synth: SynthesizedStack) => Object.entries(resourcesOf(synth, "aws_route")).filter(([, r]) => r.destination_ipv6_cidr_block === "64:ff9b::/96");

function serverTables(synth: SynthesizedStack): string[] {
  return Object.values(resourcesOf(synth, "aws_route_table_association"))
    .filter((a) => String(a.subnet_id).includes("_servers-"))
    .map((a) => String(a.route_table_id));
}

describe.each([
  ["NAT gateways", Nat64Provider.natGateway()],
  ["Jool instances", Nat64Provider.joolInstance()],
])("with %s", (_name, provider) => {
  const synth = synthJson((s) => referenceTopology(s, { nat64Provider: provider }));

  test("every server route table has exactly one 64:ff9b::/96 route, to its own zone's device", () => {
    const routes = nat64Routes(synth);
    for (const table of serverTables(synth)) expect(routes.filter(([, r]) => r.route_table_id === table)).toHaveLength(1);
    expect(routes).toHaveLength(serverTables(synth).length);
    for (const zone of zones) {
      const [, route] = routes.find(([n]) => n.startsWith(`Net_servers-${zone}_Nat64_`))!;
      const device = provider.kind === "nat-gateway" ? `Outbound_${zone}_NatGateway_` : `Outbound_Node-${zone}_NetworkInterface_`;
      expect(String(route.nat_gateway_id ?? route.network_interface_id)).toContain(device);
    }
    expect(routes.some(([n]) => n.includes("edge"))).toBe(false);
  });

  test("DNS64 is on exactly where that route exists", () => {
    const routedSubnets = new Set(nat64Routes(synth).map(([n]) => n.replace(/_Nat64_[0-9A-F]{8}$/, "")));
    for (const [name, subnet] of Object.entries(resourcesOf(synth, "aws_subnet"))) {
      expect([name, subnet.enable_dns64]).toEqual([name, routedSubnets.has(name.replace(/_Subnet_[0-9A-F]{8}$/, ""))]);
    }
  });

  test("no translator prefix equals or overlaps the NAT64 prefix", () => {
    const translation = Object.values(resourcesOf(synth, "aws_route")).map((r) => String(r.destination_ipv6_cidr_block)).filter((d) => d.startsWith("64:ff9b:"));
    expect(translation.filter((d) => d === "64:ff9b::/96")).toHaveLength(2);
    for (const d of translation.filter((x) => x !== "64:ff9b::/96")) expect(d).toMatch(/^64:ff9b:1:/);
  });
});

describe("managed NAT gateways", () => {
  const synth = synthJson((s) => referenceTopology(s, { nat64Provider: Nat64Provider.natGateway() }));

  test("one public NAT gateway per zone, in the edge subnet, each with its own EIP", () => {
    const gateways = Object.values(resourcesOf(synth, "aws_nat_gateway"));
    expect(gateways).toHaveLength(2);
    for (const zone of zones) {
      expect(resourceAt(synth, "aws_nat_gateway", `Outbound/${zone}/NatGateway`)).toMatchObject({
        connectivity_type: "public",
        subnet_id: expect.stringContaining(`Net_edge-${zone}_Subnet_`),
        allocation_id: expect.stringContaining(`aws_eip.Outbound_${zone}_Eip_`),
      });
    }
  });
});

describe("Jool NAT64 instances", () => {
  const synth = synthJson((s) => referenceTopology(s));

  test("snapshot", () => {
    const outbound = Object.fromEntries(
      Object.entries(synth.resource).map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).filter(([n]) => n.startsWith("Outbound_")))]),
    );
    expect(forSnapshot({ ...synth, resource: outbound })).toMatchSnapshot();
  });

  test("persistent interface with source/dest check off, EIP on its primary address, IMDSv2 and auto-recovery", () => {
    expect(resourceAt(synth, "aws_network_interface", "Outbound/Node-eu-north-1a/NetworkInterface")).toMatchObject({
      source_dest_check: false,
      private_ips: ["10.0.0.8"],
      subnet_id: expect.stringContaining("Net_edge-eu-north-1a_Subnet_"),
    });
    expect(resourceAt(synth, "aws_eip_association", "Outbound/Node-eu-north-1b/EipAssociation")).toMatchObject({ private_ip_address: "10.0.16.8", allow_reassociation: false });
    expect(resourceAt(synth, "aws_launch_template", "Outbound/Node-eu-north-1a/LaunchTemplate")).toMatchObject({
      instance_type: "t4g.small",
      metadata_options: { http_tokens: "required", http_protocol_ipv6: "enabled" },
      maintenance_options: { auto_recovery: "default" },
    });
  });

  test("its Jool file: pool6 64:ff9b::/96, empty pool4, shared store, read only by its own node", () => {
    const object = resourceAt(synth, "aws_s3_object", "Edge/ConfigStore/Config-net-outbound-eu-north-1a");
    // A node configuration object without a filter part: the Jool file only.
    expect(JSON.parse(String(object.content))).toEqual({
      format: "siit-dc-node-config/2",
      jool: {
        comment: "SIIT-DC outbound NAT64 in eu-north-1a for eu-north-1a; generated, do not edit",
        instance: "nat64",
        framework: "netfilter",
        global: { "manually-enabled": true, pool6: "64:ff9b::/96", "lowest-ipv6-mtu": 1500 },
        pool4: [],
      },
    });
    expect(object.key).toBe("nat64/test/Outbound/eu-north-1a.json");
    const policy = JSON.parse(String(resourceAt(synth, "aws_iam_role_policy", "Outbound/Node-eu-north-1a/InstanceRole/ReadConfig-net-outbound-eu-north-1a").policy));
    expect(policy.Statement[0].Resource).toEqual([expect.stringMatching(/\/nat64\/test\/Outbound\/eu-north-1a\.json$/)]);
  });

  test("the same boot path as the translators, in nat64 mode", () => {
    const nat = userDataOf(synth).find((u) => u.template.startsWith("Outbound_Node-eu-north-1a"))!;
    const xlat = userDataOf(synth).find((u) => u.template.startsWith("Edge_Translator-a0"))!;
    expect(nat.text).toBe(xlat.text.replace("    - siit\n", "    - nat64\n"));
  });

  test("security group: IPv6 only from the server subnets, nothing from the IPv4 internet", () => {
    const ingress = Object.entries(resourcesOf(synth, "aws_vpc_security_group_ingress_rule")).filter(([n]) => n.startsWith("Outbound_")).map(([, r]) => r);
    expect(ingress).toHaveLength(2);
    for (const r of ingress) expect(r).toMatchObject({ ip_protocol: "-1", cidr_ipv6: expect.stringMatching(/cidrsubnet\(aws_vpc\.Net_Vpc_[0-9A-F]{8}\.ipv6_cidr_block, 8, 1[67]\)/) });
    expect(ingress.some((r) => r.cidr_ipv4 !== undefined)).toBe(false);
  });
});

describe("switching providers", () => {
  test("changes only NAT resources, the 64:ff9b::/96 routes and the dashboard's NAT widgets", () => {
    const jool = synthJson((s) => referenceTopology(s));
    const managed = synthJson((s) => referenceTopology(s, { nat64Provider: Nat64Provider.natGateway() }));
    const diff = diffResources(jool, managed);
    const touched = [...diff.added, ...diff.removed, ...diff.changed];
    // The dashboard shows NAT gateway connections instead of Jool sessions: a NAT view, too.
    const outside = touched.filter(
      (a) => !/\.Outbound_/.test(a) && !/^aws_route\.Net_servers-eu-north-1[ab]_Nat64_/.test(a) && !/Edge_ConfigStore_Config-net-outbound-/.test(a) && !/^aws_cloudwatch_dashboard\./.test(a),
    );
    expect(outside).toEqual([]);
    expect(diff.changed.filter((a) => a.startsWith("aws_route."))).toHaveLength(2);
  });
});

describe("single placement", () => {
  test("one device; every zone's servers route to it", () => {
    const synth = synthJson((s) => {
      const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
      new OutboundNat64(s, "Outbound", { vpc, placement: Nat64Placement.single("eu-north-1b") });
    });
    expect(Object.keys(resourcesOf(synth, "aws_nat_gateway"))).toHaveLength(1);
    for (const [, r] of nat64Routes(synth)) expect(r.nat_gateway_id).toContain("Outbound_eu-north-1b_NatGateway_");
    expect(nat64Routes(synth)).toHaveLength(2);
  });
});

describe("bad input", () => {
  const build = (fn: (stack: TerraformStack) => void) => () => fn(testStack());

  test("DNS64 requested without a NAT64", () => {
    const stack = testStack();
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, dns64: true });
    new OutboundNat64(stack, "Outbound", { vpc, zones: ["eu-north-1a"] });
    expect(() => Testing.synth(stack, true)).toThrow(/test\/Net: dns64 = true: DNS64 without NAT64 sends IPv4-only names nowhere, and zones eu-north-1b have no NAT64\. Fix: add an OutboundNat64/);
  });

  test("dns64: false keeps DNS64 off even with NAT64 routes", () => {
    const synth = synthJson((s) => new OutboundNat64(s, "Outbound", { vpc: new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones, dns64: false }) }));
    expect(nat64Routes(synth)).toHaveLength(2);
    for (const subnet of Object.values(resourcesOf(synth, "aws_subnet"))) expect(subnet.enable_dns64).toBe(false);
  });

  test("a NAT64 in a zone the VPC lacks", () => {
    expect(build((s) => new OutboundNat64(s, "Outbound", { vpc: new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones }), zones: ["eu-north-1c"] }))).toThrow(
      /^test\/Outbound: zones\[0\] = "eu-north-1c": is not an availability zone of this VPC/,
    );
  });

  test("a prefix other than 64:ff9b::/96", () => {
    expect(build((s) => new OutboundNat64(s, "Outbound", { vpc: new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones }), prefix: "2001:db8:64::/96" }))).toThrow(/^test\/Outbound: prefix = "2001:db8:64::\/96": AWS DNS64 synthesizes/);
  });

  test("a pool4 entry with a bad port range", () => {
    expect(
      build((s) => new OutboundNat64(s, "Outbound", { vpc: new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones }), provider: Nat64Provider.joolInstance({ pool4: [{ protocol: "tcp", ports: "1000-70000" }] }) })),
    ).toThrow(/^test\/Outbound: provider\.pool4\[0\]\.ports = "1000-70000": ports run from 1 to 65535/);
  });

  test("two NAT64s for one zone; a NAT64 instance on a translator's address", () => {
    expect(
      build((s) => {
        const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
        new OutboundNat64(s, "A", { vpc });
        new OutboundNat64(s, "B", { vpc, zones: ["eu-north-1b"] });
      }),
    ).toThrow(/^test\/B: zones = \["eu-north-1b"\]: zone eu-north-1b already gets its NAT64 from test\/A; a zone.s 64:ff9b::\/96 route has a single target\. Fix: use one OutboundNat64 per VPC: test\/A already serves every zone/);
    expect(
      build((s) => {
        const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
        new SiitDcTranslators(s, "Edge", { vpc });
        new OutboundNat64(s, "Outbound", { vpc, provider: Nat64Provider.joolInstance({ firstHostIndex: 10 }) });
      }),
    ).toThrow(/^test\/Outbound: provider\.firstHostIndex = 10: edge address 10.0.0.10 is already held by test\/Edge translator a0\. Fix: set firstHostIndex so the NAT64 instances use edge addresses no translator uses/);
  });
});
