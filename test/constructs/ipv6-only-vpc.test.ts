import { Ipv6OnlyVpc, RouteTarget, ServerIpv6Internet, VpcIpv6Cidr } from "../../lib";
import { Testing, TerraformStack } from "../../lib/cdktf";
import { forSnapshot, resourceAt, resourcesOf, synthJson, testStack } from "../support/stacks";

const zones = ["eu-north-1a", "eu-north-1b"];

describe("Ipv6OnlyVpc", () => {
  const synth = synthJson((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, serverTiers: ["web", "db"] }));

  test("snapshot", () => {
    expect(forSnapshot(synth)).toMatchSnapshot();
  });

  test("one VPC with an Amazon-provided /56 and no data sources", () => {
    expect(Object.values(resourcesOf(synth, "aws_vpc"))).toEqual([
      expect.objectContaining({ cidr_block: "10.0.0.0/16", assign_generated_ipv6_cidr_block: true, enable_dns_support: true, enable_dns_hostnames: true }),
    ]);
    expect(synth.data).toBeUndefined();
  });

  test("server tiers are IPv6-only with the AWS settings an IPv6-only subnet needs, DNS64 off", () => {
    for (const tier of ["web", "db"]) {
      for (const zone of zones) {
        const subnet = resourceAt(synth, "aws_subnet", `Net/${tier}-${zone}/Subnet`);
        expect(subnet).toMatchObject({
          availability_zone: zone,
          ipv6_native: true,
          assign_ipv6_address_on_creation: true,
          enable_resource_name_dns_aaaa_record_on_launch: true,
          private_dns_hostname_type_on_launch: "resource-name",
          enable_dns64: false,
        });
        expect(subnet.cidr_block).toBeUndefined();
      }
    }
  });

  test("subnet /64s carved by deterministic index from the VPC /56", () => {
    const vpcRef = "aws_vpc.Net_Vpc_8A3E024F.ipv6_cidr_block";
    expect(resourceAt(synth, "aws_subnet", "Net/edge-eu-north-1b/Subnet").ipv6_cidr_block).toBe(`\${cidrsubnet(${vpcRef}, 8, 1)}`);
    expect(resourceAt(synth, "aws_subnet", "Net/web-eu-north-1a/Subnet").ipv6_cidr_block).toBe(`\${cidrsubnet(${vpcRef}, 8, 16)}`);
    expect(resourceAt(synth, "aws_subnet", "Net/db-eu-north-1b/Subnet").ipv6_cidr_block).toBe(`\${cidrsubnet(${vpcRef}, 8, 33)}`);
  });

  test("edge subnets are dual-stack and route both families to the internet gateway", () => {
    const edge = resourceAt(synth, "aws_subnet", "Net/edge-eu-north-1a/Subnet");
    expect(edge).toMatchObject({ ipv6_native: false, cidr_block: "10.0.0.0/20", map_public_ip_on_launch: false, enable_dns64: false });
    const routes = Object.values(resourcesOf(synth, "aws_route")).filter((r) => String(r.route_table_id).includes("edge-eu-north-1a"));
    expect(routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", gateway_id: expect.stringMatching(/^\$\{aws_internet_gateway\.Net_InternetGateway_[0-9A-F]{8}\.id\}$/) }),
        expect.objectContaining({ destination_ipv6_cidr_block: "::/0", gateway_id: expect.stringMatching(/^\$\{aws_internet_gateway\.Net_InternetGateway_[0-9A-F]{8}\.id\}$/) }),
      ]),
    );
    expect(routes).toHaveLength(2);
  });

  test("every subnet has its own route table; servers route ::/0 to the internet gateway by default", () => {
    expect(Object.keys(resourcesOf(synth, "aws_route_table"))).toHaveLength(6);
    expect(Object.keys(resourcesOf(synth, "aws_route_table_association"))).toHaveLength(6);
    const serverRoutes = Object.values(resourcesOf(synth, "aws_route")).filter((r) => /(web|db)-eu/.test(String(r.route_table_id)));
    expect(serverRoutes).toHaveLength(4);
    for (const r of serverRoutes) expect(r).toMatchObject({ destination_ipv6_cidr_block: "::/0", gateway_id: expect.stringContaining("aws_internet_gateway") });
  });
});

describe("options", () => {
  test("egress-only gateway for servers", () => {
    const synth = synthJson((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, serverIpv6Internet: ServerIpv6Internet.OUTBOUND_ONLY }));
    expect(Object.keys(resourcesOf(synth, "aws_egress_only_internet_gateway"))).toHaveLength(1);
    const serverRoutes = Object.values(resourcesOf(synth, "aws_route")).filter((r) => String(r.route_table_id).includes("servers-"));
    for (const r of serverRoutes) expect(r.egress_only_gateway_id).toContain("aws_egress_only_internet_gateway");
  });

  test("IPAM pool allocation", () => {
    const synth = synthJson((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, ipv6Cidr: VpcIpv6Cidr.fromIpamPool("ipam-pool-0123") }));
    expect(Object.values(resourcesOf(synth, "aws_vpc"))[0]).toMatchObject({ ipv6_ipam_pool_id: "ipam-pool-0123", ipv6_netmask_length: 56 });
  });

  test("a literal BYOIP /56 renders literal subnets", () => {
    const synth = synthJson((stack) =>
      new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "2001:db8:1200::/56") }),
    );
    expect(Object.values(resourcesOf(synth, "aws_vpc"))[0]).toMatchObject({ ipv6_ipam_pool_id: "ipam-pool-0123", ipv6_cidr_block: "2001:db8:1200::/56" });
    expect(resourceAt(synth, "aws_subnet", "Net/servers-eu-north-1b/Subnet").ipv6_cidr_block).toBe("2001:db8:1200:11::/64");
  });
});

describe("routes added by other constructs", () => {
  test("enableNat64 adds the 64:ff9b::/96 route and turns DNS64 on for that zone only", () => {
    const synth = synthJson((stack) => {
      const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, serverTiers: ["web", "db"] });
      vpc.enableNat64("eu-north-1a", RouteTarget.natGateway("nat-123"));
    });
    for (const tier of ["web", "db"]) {
      expect(resourceAt(synth, "aws_subnet", `Net/${tier}-eu-north-1a/Subnet`).enable_dns64).toBe(true);
      expect(resourceAt(synth, "aws_subnet", `Net/${tier}-eu-north-1b/Subnet`).enable_dns64).toBe(false);
      expect(resourceAt(synth, "aws_route", `Net/${tier}-eu-north-1a/Nat64`)).toMatchObject({ destination_ipv6_cidr_block: "64:ff9b::/96", nat_gateway_id: "nat-123" });
    }
    expect(() => resourceAt(synth, "aws_route", "Net/edge-eu-north-1a/Nat64")).toThrow(/found none/);
  });

  test("addServerRoute routes a prefix in every server route table and never in edge tables", () => {
    const synth = synthJson((stack) => {
      const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, serverTiers: ["web", "db"] });
      vpc.addServerRoute("Xlat0", "64:ff9b:1::/96", RouteTarget.networkInterface("eni-0"));
    });
    const routes = Object.values(resourcesOf(synth, "aws_route")).filter((r) => r.destination_ipv6_cidr_block === "64:ff9b:1::/96");
    expect(routes).toHaveLength(4);
    expect(routes.every((r) => r.network_interface_id === "eni-0" && !String(r.route_table_id).includes("edge"))).toBe(true);
  });

  test("DNS64 switched on behind the API's back fails validation with the subnet path", () => {
    const stack = testStack();
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
    vpc.serverSubnet("eu-north-1b").subnet.enableDns64 = true;
    expect(() => Testing.synth(stack, true)).toThrow(/test\/Net\/servers-eu-north-1b: enableDns64 = true: the subnet has DNS64 on but no 64:ff9b::\/96 route.*Fix: enable DNS64 only through Ipv6OnlyVpc.enableNat64/);
  });
});

describe("bad input at the construct", () => {
  function build(fn: (stack: TerraformStack) => void): () => void {
    return () => fn(testStack());
  }

  test("a token where a literal is required", () => {
    expect(
      build((stack) => {
        const first = new Ipv6OnlyVpc(stack, "First", { availabilityZones: zones });
        new Ipv6OnlyVpc(stack, "Net", { availabilityZones: [first.edgeSubnet("eu-north-1a").subnet.availabilityZone] });
      }),
    ).toThrow(/^test\/Net: availabilityZones\[0\] = \$\{aws_subnet\.First_edge-eu-north-1a_Subnet_[0-9A-F]{8}\.availability_zone\}: is a token resolved only at apply time.*Fix: pass a literal value/);
    expect(build((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, ipv4Cidr: new Ipv6OnlyVpc(stack, "Other", { availabilityZones: zones }).vpc.cidrBlock }))).toThrow(
      /test\/Net: ipv4Cidr = .*is a token/,
    );
  });

  test("invalid and overlapping CIDRs name the construct path", () => {
    expect(build((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, ipv4Cidr: "10.0.0.300/16" }))).toThrow(/^test\/Net: ipv4Cidr = "10.0.0.300\/16": not a valid IPv4/);
    expect(build((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "64:ff9b::/56") }))).toThrow(
      /^test\/Net: ipv6Cidr = "64:ff9b::\/56": overlaps the NAT64 well-known prefix/,
    );
    expect(
      build((stack) => {
        const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
        vpc.addServerRoute("A", "64:ff9b:1::/96", RouteTarget.networkInterface("eni-a"));
        vpc.addServerRoute("B", "64:ff9b:1::/64", RouteTarget.networkInterface("eni-b"));
      }),
    ).toThrow(/^test\/Net: addServerRoute\(B\)\.destination = "64:ff9b:1::\/64": overlaps 64:ff9b:1::\/96, already routed by test\/Net route A/);
    expect(
      build((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones }).addServerRoute("A", "64:ff9b::/96", RouteTarget.networkInterface("eni-a"))),
    ).toThrow(/overlaps 64:ff9b::\/96, which only the outbound NAT64 may use/);
  });

  test("empty or duplicated zones, too many tiers", () => {
    expect(build((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: [] }))).toThrow(/^test\/Net: availabilityZones = \[\]: is empty/);
    expect(build((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: ["eu-north-1a", "eu-north-1a"] }))).toThrow(/^test\/Net: availabilityZones\[1\] = "eu-north-1a": is listed twice/);
    expect(build((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, serverTiers: Array.from({ length: 16 }, (_, i) => `t${i}x`) }))).toThrow(
      /^test\/Net: serverTiers = .*need 17 tier slots/,
    );
  });

  test("NAT64 for a zone the VPC lacks, or twice", () => {
    expect(build((stack) => new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones }).enableNat64("eu-north-1c", RouteTarget.natGateway("n")))).toThrow(
      /^test\/Net: enableNat64\.zone = "eu-north-1c": is not an availability zone of this VPC/,
    );
    expect(
      build((stack) => {
        const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
        vpc.enableNat64("eu-north-1a", RouteTarget.natGateway("n"));
        vpc.enableNat64("eu-north-1a", RouteTarget.natGateway("m"));
      }),
    ).toThrow(/already routes 64:ff9b::\/96 to a NAT gateway/);
  });
});
