import { synthForTerraform } from "../support/stacks";
import { PlanResult, validateAndPlan } from "../support/terraform";
import { terraformTier } from "../support/tiers";
import { SCENARIOS } from "./scenarios";

/**
 * Every bundled example (and test scenario) passes `terraform validate` and an offline
 * `terraform plan -refresh=false` with the real AWS provider 5.100.0, in one batch.
 */
const tier = terraformTier();

tier.describe("examples and scenarios with the real AWS provider 5.100.0", () => {
  let result: PlanResult;
  beforeAll(async () => {
    result = await validateAndPlan(
      tier.env!,
      SCENARIOS.map((e) => ({ name: e.name, config: synthForTerraform(e.build, e.region) })),
    );
  }, 600_000);

  test("validate reports no errors", () => {
    expect(result.validate.valid).toBe(true);
    expect(result.validate.error_count).toBe(0);
  });

  test.each(SCENARIOS.map((e) => e.name))("%s plans only creations", (name) => {
    const changes = result.plan.resource_changes.filter((c) => c.module_address === `module.${name}`);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.filter((c) => c.change.actions.join() !== "create")).toEqual([]);
  });

  test("reference: IPv6-only server subnets and dual-stack edge subnets in two zones", () => {
    // The image build network's subnet is not part of the VPC (see the JoolImage tests).
    const subnets = result.resources("reference", "aws_subnet").filter((s) => s.address.includes(".Net_"));
    const servers = subnets.filter((s) => s.values.ipv6_native === true);
    const edges = subnets.filter((s) => s.values.ipv6_native === false);
    expect(new Set(servers.map((s) => s.values.availability_zone)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(edges.map((s) => s.values.availability_zone)).size).toBeGreaterThanOrEqual(2);
    for (const s of servers) {
      expect(s.values).toMatchObject({
        assign_ipv6_address_on_creation: true,
        enable_resource_name_dns_aaaa_record_on_launch: true,
        private_dns_hostname_type_on_launch: "resource-name",
      });
      expect(s.values.cidr_block ?? null).toBeNull();
    }
    for (const e of edges) expect(e.values.cidr_block).toMatch(/^10\.0\.\d+\.0\/20$/);
  });

  test("reference: the web fleet's interfaces take their addresses from the VPC prefix; instances attach to them", () => {
    const enis = result.configured("reference", "aws_network_interface").filter((r) => r.address.includes("Web_"));
    expect(enis).toHaveLength(4);
    const expressions = enis.map((eni) => {
      const e = eni.expressions.ipv6_addresses as { constant_value: string[]; references: string[] };
      expect(e.references).toContainEqual(expect.stringMatching(/^aws_vpc\.Net_Vpc_[0-9A-F]{8}\.ipv6_cidr_block$/));
      return e.constant_value[0].replace(/Net_Vpc_[0-9A-F]{8}/, "Net_Vpc");
    });
    expect(expressions.sort()).toEqual([
      "${cidrhost(cidrsubnet(aws_vpc.Net_Vpc.ipv6_cidr_block, 8, 16), 16)}",
      "${cidrhost(cidrsubnet(aws_vpc.Net_Vpc.ipv6_cidr_block, 8, 16), 17)}",
      "${cidrhost(cidrsubnet(aws_vpc.Net_Vpc.ipv6_cidr_block, 8, 17), 16)}",
      "${cidrhost(cidrsubnet(aws_vpc.Net_Vpc.ipv6_cidr_block, 8, 17), 17)}",
    ]);
    const instances = result.configured("reference", "aws_instance").filter((r) => r.address.includes("Web_"));
    expect(instances).toHaveLength(4);
    for (const instance of instances) {
      const nic = (instance.expressions.network_interface as { device_index: { constant_value: number }; network_interface_id: { references: string[] } }[])[0];
      expect(nic.device_index.constant_value).toBe(0);
      expect(nic.network_interface_id.references[0]).toMatch(/^aws_network_interface\.Web_Server\d_NetworkInterface_[0-9A-F]{8}\.id$/);
    }
  });

  test("literal-fleet: the plan holds the intended literal IPv6 addresses", () => {
    const addresses = result
      .resources("literal-fleet", "aws_network_interface")
      .map((r) => r.values.ipv6_addresses)
      .sort();
    expect(addresses).toEqual([["2001:db8:1200:10::10"], ["2001:db8:1200:10::11"], ["2001:db8:1200:11::10"], ["2001:db8:1200:11::11"]]);
  });

  test("literal-fleet: launch settings as planned by the provider", () => {
    const [lt] = result.resources("literal-fleet", "aws_launch_template");
    expect(lt.values).toMatchObject({
      image_id: "resolve:ssm:/aws/service/debian/release/12/latest/arm64",
      metadata_options: [{ http_tokens: "required", http_protocol_ipv6: "enabled", http_put_response_hop_limit: 1, http_endpoint: "enabled" }],
      maintenance_options: [{ auto_recovery: "default" }],
    });
  });

  describe("reference: docs/DESIGN.md section 3 invariants in the planned values", () => {
    const ref = (r: { expressions: Record<string, unknown> }, key: string): string[] => ((r.expressions[key] as { references?: string[] }) ?? {}).references ?? [];
    const translatorEnis = () => result.resources("reference", "aws_network_interface").filter((r) => r.address.includes("Edge_Translator-"));

    test("6. source_dest_check is false on every translator interface", () => {
      expect(translatorEnis()).toHaveLength(2);
      for (const eni of translatorEnis()) expect(eni.values.source_dest_check).toBe(false);
    });

    test("3. every server route table holds exactly one route per translator /96, to that translator's interface", () => {
      const routes = result.configured("reference", "aws_route");
      const planned = new Map(result.resources("reference", "aws_route").map((r) => [r.address, r.values]));
      const serverTables = new Set(routes.filter((r) => /Net_servers-/.test(r.address)).map((r) => ref(r, "route_table_id")[0]));
      expect(serverTables.size).toBe(2);
      for (const table of serverTables) {
        const translation = routes.filter((r) => ref(r, "route_table_id")[0] === table && String(planned.get(r.address)?.destination_ipv6_cidr_block).startsWith("64:ff9b:1:"));
        expect(translation.map((r) => [planned.get(r.address)!.destination_ipv6_cidr_block, ref(r, "network_interface_id")[0].replace(/_[0-9A-F]{8}\.id$/, "")]).sort()).toEqual([
          ["64:ff9b:1:1::/96", "aws_network_interface.Edge_Translator-b0_NetworkInterface"],
          ["64:ff9b:1::/96", "aws_network_interface.Edge_Translator-a0_NetworkInterface"],
        ]);
      }
    });

    test("1. the inbound path has no stateful device: EIPs associate to translator interfaces, translation routes target them", () => {
      const associations = result.configured("reference", "aws_eip_association").filter((a) => a.address.includes("Edge_Address-"));
      expect(associations).toHaveLength(5);
      for (const a of associations) {
        expect(ref(a, "network_interface_id")[0]).toMatch(/^aws_network_interface\.Edge_Translator-[ab]0_NetworkInterface_[0-9A-F]{8}\.id$/);
        expect(a.expressions.instance_id).toBeUndefined();
      }
      const translationRoutes = result.resources("reference", "aws_route").filter((r) => String(r.values.destination_ipv6_cidr_block).startsWith("64:ff9b:1:"));
      for (const r of translationRoutes) expect(r.values.nat_gateway_id ?? null).toBeNull();
      expect(result.plan.resource_changes.filter((c) => c.module_address === "module.reference" && /^aws_(lb|alb|elb|globalaccelerator)/.test(c.type))).toEqual([]);
    });

    test("12. each association maps its EIP to a secondary address the translator interface holds", () => {
      // The interface's addresses are a set; its primary is the translator's own (edge host 10).
      const enis = new Map(translatorEnis().map((e) => [e.address, e.values.private_ips as string[]]));
      const planned = new Map(result.resources("reference", "aws_eip_association").map((a) => [a.address, a.values]));
      const associations = result.configured("reference", "aws_eip_association").filter((x) => x.address.includes("Edge_Address-"));
      expect(associations).toHaveLength(5);
      for (const a of associations) {
        const eni = ref(a, "network_interface_id")[1];
        const ip = planned.get(a.address)!.private_ip_address as string;
        expect(enis.get(eni)!.filter((x) => !/\.10$/.test(x))).toContain(ip);
        expect(ref(a, "allocation_id")[0]).toMatch(/^aws_eip\./);
      }
    });

    test("4. the Jool objects carry EAM entries for the interface's secondary addresses only (never its primary)", () => {
      for (const eni of translatorEnis()) {
        const id = /Translator-([ab]0)/.exec(eni.address)![1];
        // The content holds server addresses known only at apply: read the configured template.
        const object = result.configured("reference", "aws_s3_object").find((o) => o.address.includes(`net-edge-${id}`))!;
        const content = String((object.expressions.content as { constant_value: string }).constant_value);
        const ips = eni.values.private_ips as string[];
        const primary = ips.find((ip) => /\.10$/.test(ip))!;
        expect(primary).toBeDefined();
        expect(content).not.toContain(`"${primary}/32"`);
        for (const secondary of ips.filter((ip) => ip !== primary)) expect(content).toContain(`"${secondary}/32"`);
      }
    });

    test("10. security groups let PMTUD through: ICMPv4 fragmentation-needed to translators, ICMPv6 packet-too-big to servers", () => {
      const rules = result.resources("reference", "aws_vpc_security_group_ingress_rule").map((r) => r.values);
      expect(rules).toContainEqual(expect.objectContaining({ ip_protocol: "icmp", from_port: 3, to_port: 4, cidr_ipv4: "0.0.0.0/0" }));
      expect(rules).toContainEqual(expect.objectContaining({ ip_protocol: "icmpv6", from_port: 2, to_port: -1, cidr_ipv6: "::/0" }));
    });
  });

  describe("outbound NAT64 with both providers", () => {
    test.each([
      ["reference", "network_interface_id", /^aws_network_interface\.Outbound_Node-eu-north-1[ab]_NetworkInterface_[0-9A-F]{8}\.id$/],
      ["reference-natgw", "nat_gateway_id", /^aws_nat_gateway\.Outbound_eu-north-1[ab]_NatGateway_[0-9A-F]{8}\.id$/],
    ])("%s: each server route table routes 64:ff9b::/96 to its zone's NAT64, and DNS64 is on there", (scenario, key, target) => {
      const planned = new Map(result.resources(scenario, "aws_route").map((r) => [r.address, r.values]));
      const nat64 = result.configured(scenario, "aws_route").filter((r) => planned.get(r.address)!.destination_ipv6_cidr_block === "64:ff9b::/96");
      expect(nat64).toHaveLength(2);
      for (const r of nat64) {
        const ref = (r.expressions[key] as { references: string[] }).references[0];
        expect(ref).toMatch(target);
        expect(ref).toContain(/servers-(eu-north-1[ab])/.exec(r.address)![1]);
      }
      for (const subnet of result.resources(scenario, "aws_subnet")) expect(subnet.values.enable_dns64).toBe(subnet.values.ipv6_native === true);
    });

    test("reference-natgw: public NAT gateways in the edge subnets", () => {
      const gateways = result.resources("reference-natgw", "aws_nat_gateway");
      expect(gateways).toHaveLength(2);
      for (const g of gateways) expect(g.values.connectivity_type).toBe("public");
    });
  });

  describe("reference: baked image, recovery alarms, monitoring", () => {
    const refs = (r: { expressions: Record<string, unknown> }, key: string): string[] => JSON.stringify(r.expressions[key] ?? {}).match(/aws_[a-z0-9_]+\.[A-Za-z0-9_-]+/g) ?? [];
    const addresses = () => new Set(result.plan.resource_changes.filter((c) => c.module_address === "module.reference").map((c) => c.address.replace(/^module\.reference\./, "")));

    test("Image Builder: Ubuntu 24.04 parent, the Jool component, AMI id published to an SSM parameter, a first image and a weekly pipeline", () => {
      const [recipe] = result.resources("reference", "aws_imagebuilder_image_recipe");
      expect(recipe.values.parent_image).toBe("ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id");
      const [distribution] = result.resources("reference", "aws_imagebuilder_distribution_configuration");
      expect((distribution.values.distribution as { ssm_parameter_configuration: unknown[] }[])[0].ssm_parameter_configuration).toEqual([
        expect.objectContaining({ parameter_name: "/siit-dc/scenario/JoolImage/ami-id", data_type: "aws:ec2:image" }),
      ]);
      expect(result.resources("reference", "aws_imagebuilder_image")).toHaveLength(1);
      const [pipeline] = result.resources("reference", "aws_imagebuilder_image_pipeline");
      expect(pipeline.values.schedule).toEqual([expect.objectContaining({ schedule_expression: "cron(0 4 ? * MON *)" })]);
      expect(pipeline.values.image_tests_configuration).toEqual([expect.objectContaining({ image_tests_enabled: true })]);
      const [component] = result.resources("reference", "aws_imagebuilder_component");
      expect(component.values).toMatchObject({ platform: "Linux", supported_os_versions: ["Ubuntu 24"] });
    });

    test("translators and NAT64 instances launch from the baked image, after its first build", () => {
      const templates = result.configured("reference", "aws_launch_template").filter((t) => /Edge_Translator-|Outbound_Node-/.test(t.address));
      expect(templates).toHaveLength(4);
      const planned = new Map(result.resources("reference", "aws_launch_template").map((t) => [t.address, t.values]));
      for (const t of templates) {
        expect(planned.get(t.address)!.image_id).toBe("resolve:ssm:/siit-dc/scenario/JoolImage/ami-id");
        expect((t as unknown as { depends_on?: string[] }).depends_on).toEqual([expect.stringMatching(/^aws_imagebuilder_image\.JoolImage_[A-Za-z_]*[0-9A-F]{8}$/)]);
      }
    });

    test("every translator and NAT64 instance has recovery alarms acting on it", () => {
      const instances = [...addresses()].filter((a) => /^aws_instance\.(Edge_Translator-|Outbound_Node-)/.test(a));
      expect(instances).toHaveLength(4);
      const alarms = result.configured("reference", "aws_cloudwatch_metric_alarm");
      const planned = new Map(result.resources("reference", "aws_cloudwatch_metric_alarm").map((a) => [a.address, a.values]));
      for (const instance of instances) {
        const mine = alarms.filter((a) => refs(a, "dimensions").includes(instance.replace(/\.id$/, "")));
        const byMetric: Record<string, (typeof mine)[number]> = Object.fromEntries(mine.map((a) => [planned.get(a.address)!.metric_name, a]));
        expect(Object.keys(byMetric).sort()).toEqual(["ConfigRefused", "Dropped", "Heartbeat", "StatusCheckFailed_Instance", "StatusCheckFailed_System"]);
        // Every alarm also notifies the example's AlarmNotifications topic, an ARN known only at
        // apply: the planned list is unknown, the configuration shows the topic and the EC2 action.
        for (const alarm of Object.values(byMetric)) expect(refs(alarm, "alarm_actions")).toContainEqual(expect.stringMatching(/^aws_sns_topic\.Alarms_Topic_[0-9A-F]{8}$/));
        const configured = (metric: string) => JSON.stringify(byMetric[metric].expressions.alarm_actions);
        expect(configured("StatusCheckFailed_System")).toContain("arn:aws:automate:eu-north-1:ec2:recover");
        expect(configured("StatusCheckFailed_Instance")).toContain("arn:aws:automate:eu-north-1:ec2:reboot");
      }
    });

    test("alarms and the dashboard reference only resources of the plan", () => {
      const known = addresses();
      for (const a of result.configured("reference", "aws_cloudwatch_metric_alarm")) for (const r of refs(a, "dimensions")) expect(known).toContain(r);
      const [dashboard] = result.configured("reference", "aws_cloudwatch_dashboard");
      const referenced = [...new Set(refs(dashboard, "dashboard_body"))];
      expect(referenced.filter((r) => r.startsWith("aws_instance."))).toHaveLength(4);
      expect(referenced.filter((r) => r.startsWith("aws_route53_health_check."))).toHaveLength(4);
      expect(referenced.filter((r) => r.startsWith("aws_cloudwatch_metric_alarm."))).toHaveLength(20);
      for (const r of referenced) expect(known).toContain(r);
    });
  });
});

