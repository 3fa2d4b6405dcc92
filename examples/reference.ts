import { Construct } from "constructs";
import { Ipv6OnlyVpc, Ipv6ServerFleet, JoolImage, MachineImage, Nat64Provider, OutboundNat64, Port, SiitDcDashboard, SiitDcTranslators } from "../lib";

/** Knobs the tests turn to compare versions of the reference topology. */
export interface ReferenceOptions {
  /**
   * The web fleet's image.
   * @default MachineImage.debian12()
   */
  readonly webImage?: MachineImage;
  /**
   * Which of the example's services to publish.
   * @default ["www", "api", "ntp"]
   */
  readonly services?: ReferenceService[];
  /**
   * Translators per zone.
   * @default 1
   */
  readonly translatorsPerZone?: number;
  /**
   * The outbound NAT64.
   * @default Nat64Provider.joolInstance() on the baked image
   */
  readonly nat64Provider?: Nat64Provider;
  /**
   * The translators' image.
   * @default the baked Jool image built in this stack
   */
  readonly translatorImage?: MachineImage;
}

export type ReferenceService = "www" | "api" | "ntp" | "mail";

/** A Route 53 hosted zone of the example (any zone id; nothing is deployed from here). */
export const EXAMPLE_ZONE_ID = "Z0EXAMPLE0SIITDC";

/**
 * The bundled reference topology (DESIGN.md section 2): what `npm run synth` synthesizes and
 * what the Terraform test tier validates and plans offline. It creates no provider: the app
 * (examples/main.ts) or the test harness does.
 */
export function referenceTopology(scope: Construct, options: ReferenceOptions = {}): void {
  const net = new Ipv6OnlyVpc(scope, "Net", {
    availabilityZones: ["eu-north-1a", "eu-north-1b"],
  });
  const web = new Ipv6ServerFleet(scope, "Web", {
    vpc: net,
    servers: 4,
    instanceType: "c7g.large",
    image: options.webImage ?? MachineImage.debian12(),
    userData: "#!/bin/sh\napt-get update && apt-get install -y nginx\n",
  });
  new Ipv6ServerFleet(scope, "Workers", {
    vpc: net,
    autoScaling: { minCapacity: 0, maxCapacity: 4, desiredCapacity: 2 },
    instanceType: "t4g.small",
  });

  // Translators and NAT64 instances boot from an image baked in this stack by EC2 Image Builder:
  // Jool built and tested for the image's kernel, so no package mirror is needed at boot.
  const joolImage = new JoolImage(scope, "JoolImage", { architecture: "arm64" });

  // Stateless inbound: one translator per zone, each service on both (one public IPv4 per zone).
  const edge = new SiitDcTranslators(scope, "Edge", {
    vpc: net,
    instanceType: "c7gn.medium",
    translatorsPerZone: options.translatorsPerZone,
    image: options.translatorImage ?? joolImage.machineImage(),
  });
  const services = options.services ?? ["www", "api", "ntp"];
  if (services.includes("www")) {
    edge.publish("www", web.server(0), {
      number: 1,
      ports: [Port.tcp(80), Port.tcp(443), Port.icmpEcho()],
      dns: { hostedZoneId: EXAMPLE_ZONE_ID, name: "www.example.com" },
      preventDestroy: true,
    });
  }
  if (services.includes("api")) {
    edge.publish("api", web.server(1), {
      number: 2,
      ports: [Port.tcp(443)],
      dns: { hostedZoneId: EXAMPLE_ZONE_ID, name: "api.example.com" },
    });
  }
  if (services.includes("ntp")) {
    edge.publish("ntp", web.server(2), { number: 3, ports: [Port.udp(123)], translators: [edge.translator("eu-north-1b")] });
  }
  if (services.includes("mail")) {
    edge.publish("mail", web.server(3), { number: 4, ports: [Port.tcp(25)] });
  }

  // Outbound: a separate stateful NAT64 on 64:ff9b::/96, with DNS64, for updates from IPv4-only
  // hosts. Its Jool instances fetch their configuration from the translators' store.
  const nat64Provider = options.nat64Provider ?? Nat64Provider.joolInstance({ image: joolImage.machineImage() });
  const outbound = new OutboundNat64(scope, "Outbound", {
    vpc: net,
    provider: nat64Provider,
    // NAT gateways read no configuration, so only Jool instances take a store.
    configStore: nat64Provider.kind === "jool-instance" ? edge.configStore : undefined,
  });

  new SiitDcDashboard(scope, "Dashboard", { translators: [edge], nat64: [outbound] });
}
