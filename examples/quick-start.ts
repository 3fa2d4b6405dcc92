import { App, TerraformStack } from "../lib/cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AlarmNotifications, Ipv6OnlyVpc, Ipv6ServerFleet, Nat64Provider, OutboundNat64, Port, SiitDcTranslators } from "../lib";

const app = new App();
const stack = new TerraformStack(app, "shop");
new AwsProvider(stack, "aws", { region: "eu-north-1" }); // your app creates providers; the library never does

const net = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: ["eu-north-1a", "eu-north-1b"] });
new OutboundNat64(stack, "Outbound", { vpc: net, provider: Nat64Provider.natGateway() });
const web = new Ipv6ServerFleet(stack, "Web", { vpc: net, servers: 2, instanceType: "c7g.large" });
const edge = new SiitDcTranslators(stack, "Edge", { vpc: net, instanceType: "c7gn.medium" });
const zoneId = "Z0123456789EXAMPLE"; // your Route 53 hosted zone
edge.publish("www", web.server(0), { number: 1, ports: [Port.tcp(80), Port.tcp(443)], dns: { hostedZoneId: zoneId, name: "www.example.com" } });
edge.publish("api", web.server(1), { number: 2, ports: [Port.tcp(443)], dns: { hostedZoneId: zoneId, name: "api.example.com" } });
new AlarmNotifications(stack, "Alarms"); // one SNS topic for every alarm: subscribe your on-call to it
app.synth();
