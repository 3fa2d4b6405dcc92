import { EXAMPLE_ZONE_ID, referenceTopology } from "../../examples/reference";
import { Ipv6OnlyVpc, Ipv6ServerFleet, Port, RouteTarget, SiitDcTranslators } from "../../lib";
import { TerraformStack, Testing } from "../../lib/cdktf";
import { CONFIG_LOCATION_TAG } from "../../lib/plan/boot/jool-node-boot";
import { splitUserData } from "../../lib/plan/boot/user-data";
import { joolFileOfBundle } from "../../lib/plan/jool/bundle";
import { validateJoolFile } from "../../lib/plan/jool/validate";
import { userDataOf } from "../support/artefacts";
import { forSnapshot, resourceAt, resourcesOf, synthJson, SynthesizedStack, testStack } from "../support/stacks";

const zones = ["eu-north-1a", "eu-north-1b"];
const named = (synth: SynthesizedStack, type: string, prefix: string) => Object.entries(resourcesOf(synth, type)).filter(([n]) => n.startsWith(prefix));

describe("the reference topology's translators", () => {
  const synth = synthJson((s) => referenceTopology(s));

  test("snapshot", () => {
    expect(forSnapshot(synth)).toMatchSnapshot();
  });

  test("one translator per zone: persistent interface in the edge subnet, source/dest check off, primary + one secondary IPv4 per service address", () => {
    const a0 = resourceAt(synth, "aws_network_interface", "Edge/Translator-a0/NetworkInterface");
    const b0 = resourceAt(synth, "aws_network_interface", "Edge/Translator-b0/NetworkInterface");
    expect(a0).toMatchObject({
      subnet_id: expect.stringContaining("Net_edge-eu-north-1a_Subnet_"),
      source_dest_check: false,
      
      private_ips: ["10.0.0.10", "10.0.0.65", "10.0.0.66"],
      ipv6_addresses: [expect.stringMatching(/^\$\{cidrhost\(cidrsubnet\(aws_vpc\.Net_Vpc_[0-9A-F]{8}\.ipv6_cidr_block, 8, 0\), 10\)\}$/)],
    });
    expect(b0).toMatchObject({ source_dest_check: false, private_ips: ["10.0.16.10", "10.0.16.65", "10.0.16.66", "10.0.16.67"] });
  });

  test("every server route table routes each translator's /96 to that translator's interface, and no edge table does", () => {
    const routes = Object.values(resourcesOf(synth, "aws_route")).filter((r) => String(r.destination_ipv6_cidr_block).startsWith("64:ff9b:1:"));
    const byPrefix = (p: string) => routes.filter((r) => r.destination_ipv6_cidr_block === p);
    for (const [prefix, eni] of [
      ["64:ff9b:1::/96", "Edge_Translator-a0_NetworkInterface_"],
      ["64:ff9b:1:1::/96", "Edge_Translator-b0_NetworkInterface_"],
    ]) {
      const r = byPrefix(prefix);
      expect(r.map((x) => String(x.route_table_id).replace(/_[0-9A-F]{8}\.id\}$/, "")).sort()).toEqual([
        "${aws_route_table.Net_servers-eu-north-1a_RouteTable",
        "${aws_route_table.Net_servers-eu-north-1b_RouteTable",
      ]);
      for (const x of r) expect(x.network_interface_id).toContain(eni);
    }
    expect(routes.some((r) => String(r.route_table_id).includes("edge"))).toBe(false);
  });

  test("each service address: an EIP (domain vpc) separate from its association to the right secondary address", () => {
    const eips = named(synth, "aws_eip", "Edge_Address-");
    expect(eips).toHaveLength(5);
    for (const [, eip] of eips) expect(eip).toMatchObject({ domain: "vpc" });
    const www = resourceAt(synth, "aws_eip_association", "Edge/Address-www/b0/Association");
    expect(www).toMatchObject({
      allocation_id: expect.stringContaining("aws_eip.Edge_Address-www_b0_Eip_"),
      network_interface_id: expect.stringContaining("Edge_Translator-b0_NetworkInterface_"),
      private_ip_address: "10.0.16.65",
      allow_reassociation: false,
      depends_on: [expect.stringContaining("aws_network_interface.Edge_Translator-b0_NetworkInterface_")],
    });
    expect(resourceAt(synth, "aws_eip_association", "Edge/Address-ntp/b0/Association").private_ip_address).toBe("10.0.16.67");
  });

  test("prevent_destroy only where asked (www), never on associations", () => {
    expect(resourceAt(synth, "aws_eip", "Edge/Address-www/a0/Eip").lifecycle).toEqual({ prevent_destroy: true });
    expect(resourceAt(synth, "aws_eip", "Edge/Address-api/a0/Eip").lifecycle).toBeUndefined();
  });

  test("no NAT gateway or load balancer anywhere on the inbound path", () => {
    expect(Object.keys(synth.resource).filter((t) => /nat_gateway|_lb|elb|globalaccelerator/.test(t))).toEqual([]);
  });

  test("Jool configuration: one object per translator, valid, with only that translator's EAM entries", () => {
    const objects = Object.fromEntries(named(synth, "aws_s3_object", "Edge_ConfigStore_Config-net-edge-").map(([n, o]) => [n.replace(/_[0-9A-F]{8}$/, ""), o]));
    expect(Object.keys(objects).sort()).toEqual(["Edge_ConfigStore_Config-net-edge-a0", "Edge_ConfigStore_Config-net-edge-b0"]);
    const a0 = objects["Edge_ConfigStore_Config-net-edge-a0"];
    expect(a0).toMatchObject({ key: "siit/test/Edge/a0.json", content_type: "application/json" });
    const bundle = JSON.parse(String(a0.content)) as { format: string; jool: unknown; nftables: string };
    expect(bundle.format).toBe("siit-dc-node-config/1");
    // The filter passes exactly a0's two published addresses, each on its own service's ports.
    expect(bundle.nftables).toContain("elements = { 10.0.0.65 . tcp . 80, 10.0.0.65 . tcp . 443, 10.0.0.66 . tcp . 443 }");
    const text = joolFileOfBundle(String(a0.content)).replace(/\$\{cidrhost\(cidrsubnet\(aws_vpc\.[^,]+, 8, (\d+)\), (\d+)\)\}/g, (_m, net, host) => `2001:db8:100:${Number(net).toString(16)}::${Number(host).toString(16)}`);
    expect(validateJoolFile(text, "siit")).toEqual([]);
    expect(JSON.parse(text).eamt).toEqual([
      { "ipv6 prefix": "2001:db8:100:10::10/128", "ipv4 prefix": "10.0.0.65/32" },
      { "ipv6 prefix": "2001:db8:100:11::10/128", "ipv4 prefix": "10.0.0.66/32" },
    ]);
  });

  test("IAM: each translator may read only its own object, and publish only Jool metrics", () => {
    const metrics = named(synth, "aws_iam_role_policy", "Edge_Translator-").filter(([n]) => n.includes("PublishMetrics"));
    expect(metrics).toHaveLength(2);
    for (const [, p] of metrics) {
      expect(JSON.parse(String(p.policy)).Statement).toEqual([
        { Sid: "PublishJoolMetrics", Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"], Condition: { StringEquals: { "cloudwatch:namespace": "SiitDc/Jool" } } },
      ]);
    }
    const policies = named(synth, "aws_iam_role_policy", "Edge_Translator-").filter(([n]) => n.includes("ReadConfig"));
    expect(policies).toHaveLength(2);
    for (const [name, p] of policies) {
      const doc = JSON.parse(String(p.policy));
      expect(doc.Statement).toEqual([{ Sid: "ReadOwnJoolConfiguration", Effect: "Allow", Action: ["s3:GetObject"], Resource: [expect.stringMatching(new RegExp(`/siit/test/Edge/${name.includes("a0") ? "a0" : "b0"}\\.json$`))] }]);
    }
  });

  test("instances: attached at device 0, tagged with their config location, tags readable from metadata", () => {
    const a0 = resourceAt(synth, "aws_instance", "Edge/Translator-a0/Instance");
    expect((a0.tags as Record<string, string>)[CONFIG_LOCATION_TAG]).toMatch(/^s3:\/\/\$\{aws_s3_bucket\.Edge_ConfigStore_Bucket_[0-9A-F]{8}\.bucket\}\/siit\/test\/Edge\/a0\.json$/);
    expect(a0.network_interface).toEqual([{ device_index: 0, network_interface_id: expect.stringContaining("Edge_Translator-a0_NetworkInterface_") }]);
    const lt = resourceAt(synth, "aws_launch_template", "Edge/Translator-a0/LaunchTemplate");
    expect(lt).toMatchObject({ metadata_options: { http_tokens: "required", http_protocol_ipv6: "enabled", instance_metadata_tags: "enabled" }, maintenance_options: { auto_recovery: "default" } });
  });

  test("user data: identical for every translator, no service in it, the invariants of docs/DESIGN.md section 3 in it", () => {
    const translators = userDataOf(synth).filter((u) => u.template.startsWith("Edge_"));
    expect(translators).toHaveLength(2);
    expect(translators[0].text).toBe(translators[1].text);
    const text = translators[0].text;
    for (const s of ["10.0.0.65", "10.0.16.67", "www", "ntp", "example.com", "64:ff9b:1:"]) expect(text).not.toContain(s);
    expect(text).toContain("apply_full_imds_network_config: false");
    expect(text).toMatch(/accept_ra = 2[\s\S]*forwarding = 1/);
    expect(text).toContain("rp_filter = 0");
    expect(text).toContain("ip daddr 169.254.0.0/16 counter drop");
    expect(text).toContain("ip6 daddr fd00:ec2::/32 counter drop");
    expect(text).toContain("jool-dkms jool-tools");
    expect(splitUserData(text)).toHaveLength(1);
  });

  test("security groups: translators take IPv4 only on published ports (+PMTUD) and IPv6 only from server subnets", () => {
    const rules = named(synth, "aws_vpc_security_group_ingress_rule", "Edge_").map(([, r]) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4 ?? r.cidr_ipv6]);
    expect(rules.filter((r) => r[3] === "0.0.0.0/0").sort()).toEqual(
      [
        ["icmp", 3, 4, "0.0.0.0/0"],
        ["icmp", 8, -1, "0.0.0.0/0"],
        ["tcp", 443, 443, "0.0.0.0/0"],
        ["tcp", 80, 80, "0.0.0.0/0"],
        ["udp", 123, 123, "0.0.0.0/0"],
      ].sort(),
    );
    const v6 = rules.filter((r) => r[3] !== "0.0.0.0/0");
    expect(v6).toHaveLength(2);
    for (const r of v6) expect(r).toEqual(["-1", undefined, undefined, expect.stringMatching(/cidrsubnet\(aws_vpc\.Net_Vpc_[0-9A-F]{8}\.ipv6_cidr_block, 8, 1[67]\)/)]);
  });

  test("security groups: each published server admits exactly its own services' ports, from the translator prefix list and from ::/0, in a group of its own", () => {
    const rulesOf = (server: number) =>
      named(synth, "aws_vpc_security_group_ingress_rule", `Web_Server${server}_PublishedSecurityGroup_Edge-`)
        .map(([, r]) => `${r.ip_protocol}/${r.from_port}/${r.prefix_list_id ? "translators" : r.cidr_ipv6}`)
        .sort();
    expect(rulesOf(0)).toEqual(["icmpv6/128/::/0", "icmpv6/128/translators", "tcp/443/::/0", "tcp/443/translators", "tcp/80/::/0", "tcp/80/translators"]);
    expect(rulesOf(1)).toEqual(["tcp/443/::/0", "tcp/443/translators"]);
    expect(rulesOf(2)).toEqual(["udp/123/::/0", "udp/123/translators"]);
    expect(rulesOf(3)).toEqual([]);
    expect(named(synth, "aws_vpc_security_group_ingress_rule", "Web_Edge-")).toEqual([]);
    const eni = resourceAt(synth, "aws_network_interface", "Web/Server1/NetworkInterface");
    expect(eni.security_groups).toEqual([expect.stringContaining("aws_security_group.Web_SecurityGroup_"), expect.stringContaining("aws_security_group.Web_Server1_PublishedSecurityGroup_")]);
    expect(resourceAt(synth, "aws_network_interface", "Web/Server3/NetworkInterface").security_groups).toEqual([expect.stringContaining("aws_security_group.Web_SecurityGroup_")]);
  });

  test("translators send IPv4 only in reply to clients and as PMTUD errors: no server-initiated IPv4 egress", () => {
    const egress = named(synth, "aws_vpc_security_group_egress_rule", "Edge_").map(([, r]) => `${r.ip_protocol}/${r.from_port ?? ""}/${r.cidr_ipv4 ?? r.cidr_ipv6}`);
    expect(egress.sort()).toEqual(["-1//::/0", "icmp/3/0.0.0.0/0"]);
  });

  test("the prefix list names every translator's /96", () => {
    expect(Object.values(resourcesOf(synth, "aws_ec2_managed_prefix_list"))).toEqual([
      expect.objectContaining({
        address_family: "IPv6",
        max_entries: 2,
        entry: [
          { cidr: "64:ff9b:1::/96", description: "pool6 of translator a0" },
          { cidr: "64:ff9b:1:1::/96", description: "pool6 of translator b0" },
        ],
      }),
    ]);
  });

  test("DNS: a health-checked multivalue A record per address, an AAAA record for the server", () => {
    const a = named(synth, "aws_route53_record", "Edge_Service-www_").map(([, r]) => r);
    expect(a.filter((r) => r.type === "A")).toEqual([
      expect.objectContaining({ zone_id: EXAMPLE_ZONE_ID, name: "www.example.com", multivalue_answer_routing_policy: true, set_identifier: "www-eu-north-1a", ttl: 60, records: [expect.stringContaining("Edge_Address-www_a0_Eip_")], health_check_id: expect.stringContaining("HealthCheck") }),
      expect.objectContaining({ set_identifier: "www-eu-north-1b", records: [expect.stringContaining("Edge_Address-www_b0_Eip_")] }),
    ]);
    expect(a.filter((r) => r.type === "AAAA")).toEqual([expect.objectContaining({ records: [expect.stringContaining("cidrsubnet")], ttl: 60 })]);
    expect(resourceAt(synth, "aws_route53_health_check", "Edge/Service-www/eu-north-1a/HealthCheck")).toMatchObject({
      ip_address: expect.stringContaining("Edge_Address-www_a0_Eip_"),
      type: "TCP",
      port: 80,
      request_interval: 30,
      failure_threshold: 3,
    });
    expect(named(synth, "aws_route53_record", "Edge_Service-ntp_")).toEqual([]);
  });

  test("the packet path report follows the client through EIP, EAM, route and security groups", () => {
    let report = "";
    synthJson((s) => {
      referenceTopology(s);
      report = (s.node.findChild("Edge") as SiitDcTranslators).pathReport();
    });
    expect(report).toContain("| a0 | eu-north-1a | 64:ff9b:1::/96 | 10.0.0.10 |");
    expect(report).toContain("Jool on b0: destination 10.0.16.67 → EAM → 2001:db8:100:10::11; source 198.51.100.7 → pool6 64:ff9b:1:1::/96 → 64:ff9b:1:1::c633:6407.");
    expect(report).toContain("The reply to 64:ff9b:1:1::c633:6407 matches the route 64:ff9b:1:1::/96 → translator b0's interface");
  });
});

describe("what a publication builds", () => {
  test("a service's construct scope exists only with DNS, and every read of a resource attribute is one token", () => {
    const stack = testStack();
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
    const web = new Ipv6ServerFleet(stack, "Web", { vpc, servers: 2, instanceType: "t4g.small" });
    const edge = new SiitDcTranslators(stack, "Edge", { vpc });
    edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)], dns: { hostedZoneId: EXAMPLE_ZONE_ID, name: "www.example.com" } });
    edge.publish("ntp", web.server(1), { number: 2, ports: [Port.udp(123)] });
    expect(edge.node.tryFindChild("Service-www")).toBeDefined();
    expect(edge.node.tryFindChild("Service-ntp")).toBeUndefined();
    // Every route of a table names it by the same token (cdktf records a stack trace per token).
    const routes = vpc.serverSubnet("eu-north-1a").routes.map((r) => r.routeTableIdInput);
    expect(routes.length).toBeGreaterThan(1);
    expect(new Set(routes).size).toBe(1);
  });
});

describe("bad input and limits", () => {
  function build(fn: (stack: TerraformStack, vpc: Ipv6OnlyVpc, web: Ipv6ServerFleet) => void): TerraformStack {
    const stack = testStack();
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
    fn(stack, vpc, new Ipv6ServerFleet(stack, "Web", { vpc, servers: 12, instanceType: "t4g.small" }));
    return stack;
  }

  test("a translator in a subnet whose route table points at it", () => {
    const stack = build((s, vpc, web) => {
      const edge = new SiitDcTranslators(s, "Edge", { vpc });
      edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)] });
      vpc.edgeSubnet("eu-north-1a").addIpv6Route("Loop", "2001:db8:ffff::/48", RouteTarget.networkInterface(edge.translator("eu-north-1a").networkInterface.id));
    });
    expect(() => Testing.synth(stack, true)).toThrow(/test\/Net\/edge-eu-north-1a: routes = "test\/Edge\/Translator-a0\/NetworkInterface": the edge route table of translator a0 routes to the translator itself/);
  });

  test("two translator sets with the same translation prefix", () => {
    expect(() =>
      build((s, vpc) => {
        new SiitDcTranslators(s, "Edge", { vpc });
        new SiitDcTranslators(s, "Edge2", { vpc, firstHostIndex: 20 });
      }),
    ).toThrow(/^test\/Edge2: translationPrefix = undefined: defaults to 64:ff9b:1::\/48, which translator set test\/Edge in the same VPC already uses .*Fix: give each translator set of a VPC its own \/48/);
  });

  test("two translator sets need their own interface addresses and their own service numbers", () => {
    expect(() =>
      build((s, vpc) => {
        new SiitDcTranslators(s, "Edge", { vpc });
        new SiitDcTranslators(s, "Edge2", { vpc, translationPrefix: "64:ff9b:2::/48" });
      }),
    ).toThrow(/^test\/Edge2: firstHostIndex = 10: edge address 10.0.0.10 is already held by test\/Edge translator a0\. Fix: set firstHostIndex/);
    expect(() =>
      build((s, vpc, web) => {
        new SiitDcTranslators(s, "Edge", { vpc }).publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)] });
        new SiitDcTranslators(s, "Edge2", { vpc, translationPrefix: "64:ff9b:2::/48", firstHostIndex: 20 }).publish("api", web.server(1), { number: 1, ports: [Port.tcp(443)] });
      }),
    ).toThrow(/^test\/Edge2: publish\(api\)\.number = 1: edge address 10.0.0.65 is already held by test\/Edge service www\. Fix: service numbers fix edge addresses, so they are unique across all translator sets of a VPC/);
  });

  test("targets from another VPC, bad addresses, unknown translators", () => {
    expect(() =>
      build((s, vpc) => {
        const other = new Ipv6OnlyVpc(s, "Other", { availabilityZones: zones, ipv4Cidr: "10.1.0.0/16" });
        const otherFleet = new Ipv6ServerFleet(s, "OtherWeb", { vpc: other, servers: 1, instanceType: "t4g.small" });
        new SiitDcTranslators(s, "Edge", { vpc }).publish("www", otherFleet.server(0), { number: 1, ports: [Port.tcp(443)] });
      }),
    ).toThrow(/^test\/Edge: publish\(www\)\.target = "test\/OtherWeb": is a server of another VPC/);
    expect(() => build((s, vpc) => new SiitDcTranslators(s, "Edge", { vpc }).publish("www", "2001:db8::zz", { number: 1, ports: [Port.tcp(443)] }))).toThrow(/publish\(www\)\.target = "2001:db8::zz": not a valid IPv6/);
    expect(() => build((s, vpc) => new SiitDcTranslators(s, "Edge", { vpc }).translator("eu-north-1a", 3))).toThrow(/translator = "eu-north-1a\/3": is not a translator of this set/);
  });

  test("a UDP-only service with DNS needs a health check port; health check settings are range-checked", () => {
    expect(() =>
      build((s, vpc, web) => new SiitDcTranslators(s, "Edge", { vpc }).publish("ntp", web.server(0), { number: 1, ports: [Port.udp(123)], dns: { hostedZoneId: "Z1", name: "ntp.example.com" } })),
    ).toThrow(/publish\(ntp\)\.dns\.healthCheck = \{\}: a service without a TCP port needs an explicit health check port/);
    expect(() =>
      build((s, vpc, web) =>
        new SiitDcTranslators(s, "Edge", { vpc }).publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)], dns: { hostedZoneId: "Z1", name: "w.example.com", healthCheck: { requestInterval: 20 } } }),
      ),
    ).toThrow(/dns\.healthCheck\.requestInterval = 20: Route 53 checks every 10 or every 30 seconds/);
  });

  test("a literal target gets EIPs and EAM entries; the report says its own security group must admit the translators", () => {
    let report = "";
    const synth = synthJson((s) => {
      const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
      const edge = new SiitDcTranslators(s, "Edge", { vpc });
      edge.publish("legacy", "2001:db8:abcd::5", { number: 1, ports: [Port.tcp(443)] });
      report = edge.pathReport();
    });
    expect(named(synth, "aws_eip", "Edge_Address-1_")).toHaveLength(2);
    expect(report).toContain("its own security group must admit tcp/443 from 64:ff9b:1::/96");
  });

  test("more than 5 EIPs in a stack: a warning naming the quota", () => {
    const stack = build((s, vpc, web) => {
      const edge = new SiitDcTranslators(s, "Edge", { vpc, instanceType: "c7gn.large" });
      for (let i = 0; i < 3; i++) edge.publish(`svc${i}`, web.server(i), { number: i + 1, ports: [Port.tcp(8000 + i)] });
    });
    const app = stack.node.scope!;
    Testing.synth(stack, true);
    void app;
    const warnings = stack.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings).toContainEqual(expect.stringMatching(/this stack allocates 6 Elastic IP addresses; the default quota is 5 per region/));
  });

  test("security group rules beyond the default quota fail synthesis, naming the group", () => {
    const stack = build((s, vpc, web) => {
      // 5 translators per zone: the prefix list weighs 10 rules per reference; 6 ports x (10 + 1) = 66 on server 0's own group.
      const edge = new SiitDcTranslators(s, "Edge", { vpc, instanceType: "c7gn.xlarge", translatorsPerZone: 5 });
      edge.publish("svc", web.server(0), { number: 1, ports: [0, 1, 2, 3, 4, 5].map((i) => Port.tcp(9000 + i)) });
    });
    expect(() => Testing.synth(stack, true)).toThrow(/test\/Web\/Server0\/PublishedSecurityGroup: 66 inbound IPv6 rules exceed the default quota of 60 per security group/);
  });
});
