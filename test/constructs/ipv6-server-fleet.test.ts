import { Ipv6OnlyVpc, Ipv6ServerFleet, MachineImage, Port, VpcIpv6Cidr } from "../../lib";
import { TerraformStack } from "../../lib/cdktf";
import { decodeUserData, splitUserData } from "../../lib/plan/boot/user-data";
import { forSnapshot, resourceAt, resourcesOf, synthJson, testStack } from "../support/stacks";

const zones = ["eu-north-1a", "eu-north-1b"];

function fleetStack(fleet: Partial<ConstructorParameters<typeof Ipv6ServerFleet>[2]> = {}) {
  return (stack: TerraformStack) => {
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
    new Ipv6ServerFleet(stack, "Web", { vpc, servers: 4, instanceType: "c7g.large", ...fleet });
  };
}

describe("fixed-address fleet of 4 servers in 2 zones", () => {
  const synth = synthJson(fleetStack({ userData: "#!/bin/sh\necho app\n" }));
  const vpc6 = "aws_vpc.Net_Vpc_8A3E024F.ipv6_cidr_block";

  test("snapshot", () => {
    expect(forSnapshot(synth)).toMatchSnapshot();
  });

  test("each server owns an interface with a deterministic IPv6 address, round-robin over the zones", () => {
    const expected = [
      ["eu-north-1a", 16, 16],
      ["eu-north-1b", 17, 16],
      ["eu-north-1a", 16, 17],
      ["eu-north-1b", 17, 17],
    ];
    expected.forEach(([zone, netNum, host], i) => {
      const eni = resourceAt(synth, "aws_network_interface", `Web/Server${i}/NetworkInterface`);
      expect(eni).toMatchObject({
        subnet_id: expect.stringContaining(`Net_servers-${zone}_Subnet_`),
        
        ipv6_addresses: [`\${cidrhost(cidrsubnet(${vpc6}, 8, ${netNum}), ${host})}`],
        security_groups: [expect.stringContaining("aws_security_group.Web_SecurityGroup_")],
      });
    });
  });

  test("instances attach to their interface at device index 0 and launch from the hardened template", () => {
    for (let i = 0; i < 4; i++) {
      const instance = resourceAt(synth, "aws_instance", `Web/Server${i}/Instance`);
      expect(instance.network_interface).toEqual([{ device_index: 0, network_interface_id: expect.stringContaining(`Web_Server${i}_NetworkInterface_`) }]);
      expect(instance.launch_template).toEqual({ id: expect.stringContaining("Web_LaunchTemplate_"), version: expect.stringContaining("latest_version") });
      expect(instance.ami).toBeUndefined();
    }
  });

  test("launch template: IMDSv2 over IPv6, hop limit 1, encrypted root, auto-recovery, Debian 12 for the architecture", () => {
    const lt = resourceAt(synth, "aws_launch_template", "Web/LaunchTemplate");
    expect(lt).toMatchObject({
      image_id: "resolve:ssm:/aws/service/debian/release/12/latest/arm64",
      instance_type: "c7g.large",
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_protocol_ipv6: "enabled", http_put_response_hop_limit: 1 },
      maintenance_options: { auto_recovery: "default" },
      block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", delete_on_termination: "true" } }],
      iam_instance_profile: { arn: expect.stringContaining("aws_iam_instance_profile.Web_InstanceRole_Profile_") },
    });
  });

  test("user data: the application's script first, then the library's cloud-config for dual-stack Session Manager", () => {
    const lt = resourceAt(synth, "aws_launch_template", "Web/LaunchTemplate");
    const parts = splitUserData(decodeUserData(String(lt.user_data)));
    expect(parts.map((p) => [p.contentType, p.filename])).toEqual([
      ["text/x-shellscript", "application.sh"],
      ["text/cloud-config", "siit-dc-server.cfg"],
    ]);
    expect(parts[0].content).toBe("#!/bin/sh\necho app\n");
    expect(parts[1].content).toMatch(/^#cloud-config\n/);
    expect(parts[1].content).toContain('"UseDualStackEndpoint": true');
    expect(parts[1].content).toContain("https://amazon-ssm-$region.s3.dualstack.$region.amazonaws.com/");
  });

  test("IAM: Session Manager through the scoped statement only (no managed policy, no ssm:GetParameter), no SSH port anywhere", () => {
    expect(resourcesOf(synth, "aws_iam_role_policy_attachment")).toEqual({});
    const policies = Object.entries(resourcesOf(synth, "aws_iam_role_policy"))
      .filter(([name]) => name.startsWith("Web_InstanceRole_"))
      .map(([, p]) => JSON.parse(String(p.policy)) as { Statement: { Action: string[]; Resource: string[] }[] });
    expect(policies).toEqual([
      {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "SessionManagerOnly",
            Effect: "Allow",
            Action: ["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
            Resource: ["*"],
          },
        ],
      },
    ]);
    const ingress = Object.values(resourcesOf(synth, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.some((r) => r.from_port === 22 || r.ip_protocol === "tcp")).toBe(false);
  });

  test("security group: inbound only ICMPv6 packet-too-big (an unpublished server answers nothing else); egress to the IPv6 internet and the NAT64, not the translators", () => {
    const ingress = Object.values(resourcesOf(synth, "aws_vpc_security_group_ingress_rule")).map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv6]);
    expect(ingress.sort()).toEqual([["icmpv6", 2, -1, "::/0"]]);
    expect(Object.values(resourcesOf(synth, "aws_vpc_security_group_egress_rule")).map((r) => [r.ip_protocol, r.cidr_ipv6])).toEqual([
      ["-1", "2000::/3"],
      ["-1", "64:ff9b::/96"],
    ]);
    expect(resourceAt(synth, "aws_security_group", "Web/SecurityGroup").ingress).toBeUndefined();
  });
});

describe("addresses", () => {
  test("a literal VPC prefix gives literal addresses; hostIndexes and firstHostIndex are honoured", () => {
    let fleet!: Ipv6ServerFleet;
    synthJson((stack) => {
      const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones, ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "2001:db8:1200::/56") });
      fleet = new Ipv6ServerFleet(stack, "Web", { vpc, servers: 3, instanceType: "t4g.small", hostIndexes: [0x80, 0x80, 0x81] });
      new Ipv6ServerFleet(stack, "Api", { vpc, servers: 2, instanceType: "t4g.small", firstHostIndex: 0x20 });
    });
    expect(fleet.servers.map((s) => s.ipv6Address)).toEqual(["2001:db8:1200:10::80", "2001:db8:1200:11::80", "2001:db8:1200:10::81"]);
    expect(fleet.server(1).zone.name).toBe("eu-north-1b");
  });

  test("growing the fleet keeps every existing address", () => {
    const addresses = (servers: number) => {
      let fleet!: Ipv6ServerFleet;
      synthJson((stack) => {
        const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
        fleet = new Ipv6ServerFleet(stack, "Web", { vpc, servers, instanceType: "t4g.small" });
      });
      return fleet.servers.map((s) => s.address.toString());
    };
    expect(addresses(6).slice(0, 4)).toEqual(addresses(4));
  });
});

describe("autoscaled mode", () => {
  const synth = synthJson(fleetStack({ servers: undefined, autoScaling: { minCapacity: 1, maxCapacity: 6 } }));

  test("an Auto Scaling group over the server subnets; interfaces come from the template", () => {
    expect(Object.values(resourcesOf(synth, "aws_autoscaling_group"))).toEqual([
      expect.objectContaining({ min_size: 1, max_size: 6, desired_capacity: 1, vpc_zone_identifier: [expect.stringContaining("Net_servers-eu-north-1a_Subnet"), expect.stringContaining("Net_servers-eu-north-1b_Subnet")] }),
    ]);
    expect(resourcesOf(synth, "aws_network_interface")).toEqual({});
    expect(resourceAt(synth, "aws_launch_template", "Web/LaunchTemplate").network_interfaces).toEqual([
      { delete_on_termination: "true", device_index: 0, ipv6_address_count: 1, security_groups: [expect.stringContaining("Web_SecurityGroup")] },
    ]);
  });
});

describe("bad input", () => {
  function build(fn: (stack: TerraformStack, vpc: Ipv6OnlyVpc) => void): () => void {
    return () => {
      const stack = testStack();
      fn(stack, new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones }));
    };
  }
  const fleet = (props: Partial<ConstructorParameters<typeof Ipv6ServerFleet>[2]>) =>
    build((stack, vpc) => new Ipv6ServerFleet(stack, "Web", { vpc, servers: 2, instanceType: "t4g.small", ...props }));

  test.each(["t2.micro", "m4.large", "c4.xlarge", "r4.large", "i3.large"])("non-Nitro type %s", (type) => {
    expect(fleet({ instanceType: type })).toThrow(new RegExp(`^test/Web: instanceType = "${type.replace(".", "\\.")}": the \\w+ family runs on Xen, and only instances built on the Nitro System launch in IPv6-only subnets\\. Fix: choose a Nitro family`));
  });

  test("an unknown family needs the escape hatch, which works", () => {
    expect(fleet({ instanceType: "q9z.large" })).toThrow(/instanceType = "q9z.large": the q9z family is not known.*Fix: if AWS lists q9z as a Nitro family, add it to nitroInstanceFamilies: \["q9z"\]/);
    expect(fleet({ instanceType: "q9z.large", nitroInstanceFamilies: ["q9z"] })).not.toThrow();
    expect(fleet({ instanceType: "c7gn.medium" })).not.toThrow();
    expect(fleet({ instanceType: "i3.metal" })).not.toThrow();
  });

  test("more servers than host indexes available", () => {
    expect(fleet({ servers: 6, firstHostIndex: 65534 })).toThrow(/^test\/Web: servers = 6: needs 3 host indexes per zone from 65534, past the last fixed host index 65535/);
    expect(fleet({ servers: 3, hostIndexes: [16, 17] })).toThrow(/^test\/Web: hostIndexes = \[16,17\]: gives 2 host indexes for 3 servers/);
    expect(fleet({ firstHostIndex: 2 })).toThrow(/^test\/Web: firstHostIndex = 2: fixed host indexes run from 4/);
  });

  test("duplicate host index, in one fleet and across fleets", () => {
    expect(fleet({ servers: 3, hostIndexes: [16, 17, 16] })).toThrow(
      /^test\/Web: hostIndexes\[2\] = 16: host index 16 of subnet servers\/eu-north-1a is already held by test\/Web server 0\. Fix: give each server its own host index/,
    );
    expect(
      build((stack, vpc) => {
        new Ipv6ServerFleet(stack, "Web", { vpc, servers: 2, instanceType: "t4g.small" });
        new Ipv6ServerFleet(stack, "Api", { vpc, servers: 2, instanceType: "t4g.small" });
      }),
    ).toThrow(/^test\/Api: firstHostIndex = 16: host index 16 of subnet servers\/eu-north-1a is already held by test\/Web server 0/);
  });

  test("zero servers, neither or both modes", () => {
    expect(fleet({ servers: 0 })).toThrow(/^test\/Web: servers = 0: a fleet with fixed addresses needs at least one server/);
    expect(fleet({ servers: undefined })).toThrow(/exactly one of servers, serversPerZone \(fixed addresses\) and autoScaling \(workers\) must be set/);
    expect(fleet({ autoScaling: { minCapacity: 1, maxCapacity: 2 } })).toThrow(/exactly one of servers/);
    expect(fleet({ servers: undefined, autoScaling: { minCapacity: 3, maxCapacity: 2 } })).toThrow(/^test\/Web: autoScaling = .*0 <= minCapacity <= maxCapacity/);
  });

  test("an autoscaled fleet has no server to publish", () => {
    expect(
      build((stack, vpc) => new Ipv6ServerFleet(stack, "Workers", { vpc, autoScaling: { minCapacity: 0, maxCapacity: 2 }, instanceType: "t4g.small" }).server(0)),
    ).toThrow(/^test\/Workers: server = 0: this fleet is autoscaled: its servers have no fixed addresses, so none can be published/);
  });

  test("a zone or tier the VPC does not have", () => {
    expect(fleet({ zones: ["eu-north-1a", "eu-north-1c"] })).toThrow(/^test\/Web: zones\[1\] = "eu-north-1c": is not an availability zone of this VPC\. Fix: use one of eu-north-1a, eu-north-1b/);
    expect(fleet({ tier: "db" })).toThrow(/^test\/Web: tier = "db": is not a tier of this VPC/);
    expect(build((stack, vpc) => new Ipv6ServerFleet(stack, "W", { vpc, autoScaling: { minCapacity: 0, maxCapacity: 2 }, zones: ["eu-north-1d"], instanceType: "t4g.small" }))).toThrow(
      /zones\[0\] = "eu-north-1d": is not an availability zone of this VPC/,
    );
  });

  test("user data in no format cloud-init knows, bad image ids, bad ports", () => {
    expect(fleet({ userData: "apt-get install nginx" })).toThrow(/^test\/Web: userData = "apt-get install nginx": is neither a cloud-config document/);
    expect(fleet({ image: MachineImage.fromAmiId("ami-xyz") })).toThrow(/^test\/Web: image = "ami-xyz": is not an AMI id/);
    expect(fleet({ image: MachineImage.fromSsmParameter("aws/service/x") })).toThrow(/image = "aws\/service\/x": is not an SSM parameter name/);
    expect(build((stack, vpc) => new Ipv6ServerFleet(stack, "Web", { vpc, servers: 1, instanceType: "t4g.small" }).allowInbound("X", { port: Port.tcp(0), ipv6Cidr: "::/0", description: "x" }))).toThrow(
      /^test\/Web: allowInbound\(X\)\.port = "tcp\/0": ports run from 1 to 65535/,
    );
  });
});

describe("serversPerZone: a server is its zone and its ordinal there", () => {
  const perZone = (zoneList: string[], k: number, vpcZones = ["eu-north-1a", "eu-north-1b", "eu-north-1c"]) =>
    synthJson((stack) => {
      const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: vpcZones });
      new Ipv6ServerFleet(stack, "Web", { vpc, serversPerZone: k, zones: zoneList, instanceType: "c7g.large" });
    });
  /** Every Web server resource, by Terraform name. */
  const servers = (synth: ReturnType<typeof synthJson>) =>
    Object.fromEntries(["aws_network_interface", "aws_instance"].flatMap((type) => Object.entries(resourcesOf(synth, type)).filter(([n]) => n.startsWith("Web_Server")).map(([n, r]) => [`${type}.${n}`, r])));
  const two = servers(perZone(["eu-north-1a", "eu-north-1b"], 2));

  test("server j of the zone with slot s is server 16 j + s at host firstHostIndex + j", () => {
    const vpc6 = "aws_vpc.Net_Vpc_8A3E024F.ipv6_cidr_block";
    const eni = (i: number) => Object.entries(two).find(([n]) => n.startsWith(`aws_network_interface.Web_Server${i}_`))![1];
    expect(Object.keys(two).filter((n) => n.startsWith("aws_network_interface")).map((n) => Number(/Server(\d+)_/.exec(n)![1])).sort((a, b) => a - b)).toEqual([0, 1, 16, 17]);
    expect(eni(17)).toMatchObject({ subnet_id: expect.stringContaining("Net_servers-eu-north-1b_Subnet_"), ipv6_addresses: [`\${cidrhost(cidrsubnet(${vpc6}, 8, 17), 17)}`] });
  });

  test("adding a zone, reordering the zones or growing the count leaves every existing server's resources exactly as they were", () => {
    const added = servers(perZone(["eu-north-1a", "eu-north-1b", "eu-north-1c"], 2));
    const reordered = servers(perZone(["eu-north-1b", "eu-north-1a"], 2));
    const grown = servers(perZone(["eu-north-1a", "eu-north-1b"], 3));
    for (const after of [added, reordered, grown]) {
      for (const [name, resource] of Object.entries(two)) expect({ name, resource: after[name] }).toEqual({ name, resource });
    }
    expect(Object.keys(added).length - Object.keys(two).length).toBe(4); // servers 2 and 18: interface + instance each
    expect(Object.keys(grown).length - Object.keys(two).length).toBe(4); // servers 32 and 33
  });

  test("serverIn(zone, j) names a server by zone and ordinal; a missing one is an error naming what exists", () => {
    const stack = testStack();
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
    const fleet = new Ipv6ServerFleet(stack, "Web", { vpc, serversPerZone: 2, instanceType: "c7g.large" });
    expect(fleet.serverIn("eu-north-1b", 1).index).toBe(17);
    expect(fleet.server(16).zone.name).toBe("eu-north-1a");
    expect(() => fleet.serverIn("eu-north-1b", 2)).toThrow("test/Web: serverIn.ordinal = 2: eu-north-1b holds servers 0 to 1 of this fleet. Fix: pick an existing server");
    expect(() => fleet.server(2)).toThrow("test/Web: server = 2: is not a server of this fleet (servers 0, 1, 16, 17). Fix: pick an existing server");
  });
});
