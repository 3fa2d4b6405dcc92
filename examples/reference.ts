import { Construct } from "constructs";
import { AlarmNotifications, Ipv6OnlyVpc, Ipv6ServerFleet, JoolImage, MachineImage, Nat64Provider, OutboundNat64, Port, SiitDcDashboard, SiitDcTranslators, TranslatorRollout } from "../lib";

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
  /**
   * The declared public addresses (by address id = the service's first name).
   * @default those of the published services
   */
  readonly publicAddresses?: ReferenceService[];
  /**
   * A service's name, if renamed (its address id stays the first name).
   * @default the service's first name
   */
  readonly names?: Partial<Record<ReferenceService, string>>;
  /**
   * A service's number, if renumbered.
   * @default www 1, api 2, ntp 3, mail 4
   */
  readonly numbers?: Partial<Record<ReferenceService, number>>;
  /**
   * Zones carrying `api`.
   * @default every zone
   */
  readonly apiZones?: string[];
  /**
   * Tags of the translator set.
   * @default none
   */
  readonly edgeTags?: Record<string, string>;
  /** Knobs the change-safety tiers turn; each defaults to the example's own value. */
  readonly zones?: string[];
  readonly ipv4Cidr?: string;
  readonly webServers?: number;
  /** The web fleet as `serversPerZone` instead of `servers` (publish only www and api then: servers 0 and 1). */
  readonly webServersPerZone?: number;
  readonly wwwPorts?: Port[];
  readonly wwwDnsName?: string;
  /** www may start IPv4 traffic through its translators (the lab's packet-too-big probe needs it). */
  readonly wwwOutboundIpv4?: boolean;
  /** Index of the web server `api` publishes. */
  readonly apiServer?: number;
  readonly translatorInstanceType?: string;
  readonly translatorFirstHostIndex?: number;
  readonly rollout?: TranslatorRollout;
  readonly alarmActions?: string[];
}

export type ReferenceService = "www" | "api" | "ntp" | "mail";

/** A Route 53 hosted zone of the example (any zone id; nothing is deployed from here). */
export const EXAMPLE_ZONE_ID = "Z0EXAMPLE0SIITDC";

/**
 * The bundled reference topology (docs/DESIGN.md section 2): what `npm run synth` synthesizes and
 * what the Terraform test tier validates and plans offline. It creates no provider: the app
 * (examples/main.ts) or the test harness does.
 */
export function referenceTopology(scope: Construct, options: ReferenceOptions = {}): void {
  const net = new Ipv6OnlyVpc(scope, "Net", {
    availabilityZones: options.zones ?? ["eu-north-1a", "eu-north-1b"],
    ipv4Cidr: options.ipv4Cidr,
  });
  const web = new Ipv6ServerFleet(scope, "Web", {
    vpc: net,
    servers: options.webServersPerZone === undefined ? (options.webServers ?? 4) : undefined,
    serversPerZone: options.webServersPerZone,
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
  const services = options.services ?? ["www", "api", "ntp"];
  const number = (s: ReferenceService) => options.numbers?.[s] ?? { www: 1, api: 2, ntp: 3, mail: 4 }[s];
  const name = (s: ReferenceService) => options.names?.[s] ?? s;
  const carriers: Partial<Record<ReferenceService, string[]>> = { ntp: ["eu-north-1b"], api: options.apiZones };
  // Public addresses are declared by a stable id and outlive their services: removing a service
  // leaves its addresses reserved; deleting the declaration releases them.
  const edge = new SiitDcTranslators(scope, "Edge", {
    vpc: net,
    instanceType: options.translatorInstanceType ?? "c7gn.medium",
    translatorsPerZone: options.translatorsPerZone,
    firstHostIndex: options.translatorFirstHostIndex,
    rollout: options.rollout,
    monitoring: options.alarmActions ? { alarmActions: options.alarmActions } : undefined,
    image: options.translatorImage ?? joolImage.machineImage(),
    publicAddresses: (options.publicAddresses ?? services).map((s) => ({ id: s, number: number(s), translators: carriers[s], preventDestroy: s === "www" })),
    tags: options.edgeTags,
  });
  const zonesOf = (s: ReferenceService) => carriers[s]?.map((z) => edge.translator(z));
  if (services.includes("www")) {
    edge.publish(name("www"), web.server(0), {
      number: number("www"),
      ports: options.wwwPorts ?? [Port.tcp(80), Port.tcp(443), Port.icmpEcho()],
      dns: { hostedZoneId: EXAMPLE_ZONE_ID, name: options.wwwDnsName ?? "www.example.com" },
      preventDestroy: true,
      outboundIpv4: options.wwwOutboundIpv4,
    });
  }
  if (services.includes("api")) {
    edge.publish(name("api"), web.server(options.apiServer ?? 1), {
      number: number("api"),
      translators: zonesOf("api"),
      ports: [Port.tcp(443)],
      dns: { hostedZoneId: EXAMPLE_ZONE_ID, name: "api.example.com" },
    });
  }
  if (services.includes("ntp")) {
    edge.publish(name("ntp"), web.server(2), { number: number("ntp"), ports: [Port.udp(123)], translators: zonesOf("ntp") });
  }
  if (services.includes("mail")) {
    // A mail server sends from its public address: it opts in to server-initiated IPv4.
    edge.publish(name("mail"), web.server(3), { number: number("mail"), ports: [Port.tcp(25)], outboundIpv4: true });
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
  // One SNS topic for every health alarm of the stack (subscribe your on-call to it).
  new AlarmNotifications(scope, "Alarms");
}
