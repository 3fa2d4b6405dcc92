import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "../../lib/cdktf";
import { AlarmNotifications, checkStack, formatFinding, Ipv6OnlyVpc, Ipv6ServerFleet, Port, SiitDcTranslators } from "../../lib";

// README "Testing your stack" shows this file (from the first import to the end), with the package's import specifiers.
test("www: one public IPv4 per zone with DNS, only tcp/443 opened, no policy findings", () => {
  const stack = new TerraformStack(Testing.app(), "shop");
  new AwsProvider(stack, "aws", { region: "eu-north-1" });
  const net = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: ["eu-north-1a", "eu-north-1b"] });
  const web = new Ipv6ServerFleet(stack, "Web", { vpc: net, servers: 1, instanceType: "c7g.large" });
  const edge = new SiitDcTranslators(stack, "Edge", { vpc: net });
  edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(443)], dns: { hostedZoneId: "Z0123456789EXAMPLE", name: "www.example.com" } });
  new AlarmNotifications(stack, "Alarms");

  const json = JSON.parse(Testing.synth(stack, true)); // true: run the library's whole-app validations
  const resources = (type: string) => Object.values(json.resource[type] ?? {}) as Record<string, unknown>[];
  expect(resources("aws_eip_association")).toHaveLength(2); // one address per zone
  expect(resources("aws_route53_record").filter((r) => r.type === "A")).toHaveLength(2);
  // The web server's groups admit tcp/443 (from the translators and from IPv6 clients) and no other port.
  const server = resources("aws_vpc_security_group_ingress_rule").filter((r) => String(r.security_group_id).includes("Web_"));
  expect(server.filter((r) => r.ip_protocol !== "icmpv6").map((r) => `${r.ip_protocol}/${r.from_port}-${r.to_port}`)).toEqual(["tcp/443-443", "tcp/443-443"]);
  expect(checkStack(json).map(formatFinding)).toEqual([]); // the policy pass (npm run policy) on this stack
});
