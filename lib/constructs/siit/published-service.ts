import type { Eip } from "@cdktf/provider-aws/lib/eip";
import type { EipAssociation } from "@cdktf/provider-aws/lib/eip-association";
import type { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import type { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct, IConstruct } from "constructs";
import { Ipv6Address } from "../../plan/address/ip";
import { SymbolicIpv6Address } from "../../plan/address/symbolic";
import { parseOr } from "../../plan/address/vpc-plan";
import { fail, Origin } from "../../plan/errors";
import { Port } from "../../plan/ports";
import { publishedPortIngress } from "../../plan/security-groups";
import { PublicAddressSlot } from "../../plan/siit/public-addresses";
import { Publication, ServicePlan, TranslationPlan, TranslatorPlan } from "../../plan/siit/translation-plan";
import { aws } from "../core/aws";
import { TokenRenderer } from "../core/render";
import { addIngress } from "../core/security-group-rules";
import { requireLiteral } from "../core/validate";
import { FleetServer, PrefixListReference } from "../fleet/ipv6-server-fleet";
import { IIpv6OnlyVpc } from "../network/ipv6-only-vpc";

/** DNS for a published service (Route 53). */
export interface ServiceDnsOptions {
  /** Id of the Route 53 hosted zone that holds `name`, e.g. `Z0123456789ABCDEFGHIJ` or a zone's `zoneId` token. */
  readonly hostedZoneId: string;
  /** Fully qualified record name, e.g. `www.example.com`. */
  readonly name: string;
  /**
   * Record TTL in seconds; Route 53 recommends 60 or less for health-checked records.
   * @default 60
   */
  readonly ttl?: number;
  /**
   * Health check of each public IPv4 address.
   * @default - TCP on the service's first TCP port, every 30 s, 3 failures
   */
  readonly healthCheck?: HealthCheckOptions;
}

/**
 * The Route 53 health check of each public IPv4 address of a service ({@link ServiceDnsOptions.healthCheck}).
 * Route 53 reaches the server through the translator, so the check must use a TCP port the
 * service publishes; a check that can never pass is refused at synth.
 */
export interface HealthCheckOptions {
  /**
   * Port to check, for every type (TCP, HTTP and HTTPS checks all connect over TCP). Must lie in
   * one of the service's published TCP ports; HTTPS on 80 and HTTP on 443 are refused.
   * @default - the service's first TCP port (required when the service has none)
   */
  readonly port?: number;
  /**
   * Kind of check: `TCP` opens a connection; `HTTP` and `HTTPS` also expect a 2xx or 3xx answer at `resourcePath`.
   * @default "TCP"
   */
  readonly type?: "TCP" | "HTTP" | "HTTPS";
  /**
   * Path for HTTP and HTTPS checks.
   * @default "/"
   */
  readonly resourcePath?: string;
  /**
   * Seconds between checks: 10 or 30 (10 costs extra).
   * @default 30
   */
  readonly requestInterval?: number;
  /**
   * Consecutive failures before an address leaves the answer (1-10).
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** Options of a publication, for a translator set's and a team's `publish` alike. */
export interface ServicePublishOptions {
  /**
   * The service number: fixes the private IPv4 of each of the service's addresses (edge host
   * 64 + number in every zone), so adding or removing other services moves nothing. Unique
   * within the VPC (across translator sets).
   */
  readonly number: number;
  /** Ports and protocols to publish (tcp, udp, icmp echo). */
  readonly ports: Port[];
  /**
   * Route 53 records: one health-checked multivalue A record per address, and an AAAA record.
   * @default - no DNS
   */
  readonly dns?: ServiceDnsOptions;
  /**
   * Whether IPv6 clients reach the server directly (a security group rule from ::/0 and the AAAA
   * record). IPv4 clients always come through the translators.
   * @default true
   */
  readonly ipv6Internet?: boolean;
  /**
   * Terraform `prevent_destroy` on the service's EIPs: a plan that would release one fails.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Whether the server may start IPv4 traffic through its translators, leaving from the
   * service's public addresses (e.g. a mail server that must send from its own address).
   * Otherwise servers reach IPv4 hosts only through the outbound NAT64, and translators send
   * IPv4 only in reply to clients. Fleet targets only.
   * @default false
   */
  readonly outboundIpv4?: boolean;
}

/** One public IPv4 address of a service. */
export interface PublishedAddress {
  /** The translator that carries this address (its EAM entry, secondary IPv4 and EIP association). */
  readonly translator: TranslatorPlan;
  /** The secondary private IPv4 on the translator's interface (edge host 64 + service number), never configured in its OS. */
  readonly privateIpv4: string;
  /** The public IPv4 address (kept separate from its association, so it outlives changes). */
  readonly eip: Eip;
  /** Binds the EIP to `privateIpv4` on the translator's interface. */
  readonly association: EipAssociation;
  /** The Route 53 health check of this address; only with `dns`. */
  readonly healthCheck?: Route53HealthCheck;
  /** The multivalue A record of this address; only with `dns`. */
  readonly record?: Route53Record;
}

/** A service published through the translators, as returned by `publish` of a translator set or a team. */
export class PublishedService {
  /** @internal Translator sets and teams create published services. */
  constructor(
    /** The service's plan: name, number, ports, target and its address on each carrying translator. */
    public readonly plan: ServicePlan,
    /** One public IPv4 address per carrying translator. */
    public readonly addresses: PublishedAddress[],
    /** The server's AAAA record; only with `dns` and `ipv6Internet` (the default). */
    public readonly aaaaRecord?: Route53Record,
  ) {}

  /** The service name given to `publish`. */
  get name(): string {
    return this.plan.name;
  }
}

/**
 * Who owns a publication's resources: the platform's translator set, or a team's stack
 * (SiitDcTeam). Both publish alike; they differ in where EIPs live, which group the translator
 * rules go into, and how a translator's interface is referred to.
 */
export interface ServiceOwner {
  /** The construct under which `Service-<name>` scopes are made. */
  readonly scope: Construct;
  /** Renders the target's address. */
  readonly renderer: TokenRenderer;
  /** Tags of every resource. */
  readonly tags: Record<string, string>;
  /** Prefix of the ids of server rules, e.g. the set's construct id. */
  readonly ruleIdPrefix: string;
  /** Whose translators these are, for rule descriptions, e.g. `the SIIT-DC translators of app/Edge`. */
  readonly translatorsDescription: string;
  /** The translators' prefixes, the source of server rules. */
  readonly prefixList: PrefixListReference;
  /** The security group that opens published ports on the translators. */
  readonly translatorGroup: { readonly scope: Construct; readonly id: string };
  /** A translator's interface id, and a dependency token for what an association must wait for (the address existing on it). */
  interfaceOf(translator: TranslatorPlan): { readonly id: string; readonly ready?: string };
  /** The EIP of an address slot (created once), with the service's tags and `preventDestroy`. */
  eipOf(slot: PublicAddressSlot, preventDestroy: boolean, tags: Record<string, string>): Eip;
  /** The scope an address slot's association lives in (`Address-<id>/<translator>`). */
  addressScope(slot: PublicAddressSlot): Construct;
  /** Called for each address once its EIP and association exist (the set moves 0.1 names). */
  onAddress?(service: string, zone: string, eip: Eip, association: EipAssociation): void;
}

/**
 * Plans a publication (asking the plan once) and materializes it: what a translator set's and a
 * team's `publish` share once they have resolved the target and the carrying translators.
 */
export function publishService(
  owner: ServiceOwner,
  plan: TranslationPlan,
  request: { readonly origin: Origin; readonly name: string; readonly target: SymbolicIpv6Address; readonly server?: FleetServer; readonly carriers: TranslatorPlan[] },
  options: ServicePublishOptions,
): PublishedService {
  const { origin, name, target, server } = request;
  const publication = plan.publish({
    origin,
    name,
    number: requireLiteral(owner.scope, `publish(${name}).number`, options.number),
    target,
    ports: options.ports,
    carriers: request.carriers,
    serverSecurityGroup: server && publishedGroupOf(server),
    outboundIpv4: options.outboundIpv4,
    healthCheck: options.dns ? (options.dns.healthCheck ?? {}) : undefined,
    ipv6Internet: options.ipv6Internet,
  });
  return createServiceResources(owner, publication, target, server, options);
}

/**
 * Materializes a planned publication: per address an EIP association (and with DNS a health check
 * and a multivalue A record), the AAAA record, and exactly the security group rules the plan says
 * are new (invariant 16: on the server's own group, its service's ports only).
 */
function createServiceResources(owner: ServiceOwner, publication: Publication, target: SymbolicIpv6Address, server: FleetServer | undefined, options: ServicePublishOptions): PublishedService {
  const { service, rules } = publication;
  const name = service.name;
  const ipv6Internet = options.ipv6Internet ?? true;
  // Only DNS puts anything under the service's scope: without it, no empty construct per service
  // (every synth pass walks each one).
  let scope: Construct | undefined;
  const serviceScope = (): Construct => (scope ??= new Construct(owner.scope, `Service-${name}`));
  const addresses = service.addresses.map((a, i) => {
    const slot = publication.publicAddresses[i];
    const tags = { ...owner.tags, Name: `${name}-${a.translator.zone.name}`, Service: name, Translator: a.translator.id };
    const eip = owner.eipOf(slot, options.preventDestroy ?? false, tags);
    const nic = owner.interfaceOf(a.translator);
    const association = new aws.EipAssociation(owner.addressScope(slot), "Association", {
      allocationId: eip.allocationId,
      networkInterfaceId: nic.id,
      privateIpAddress: a.privateIpv4.toString(),
      allowReassociation: false,
    });
    if (nic.ready) association.dependsOn = [nic.ready];
    owner.onAddress?.(name, a.translator.zone.name, eip, association);
    let check: Route53HealthCheck | undefined;
    let record: Route53Record | undefined;
    if (options.dns && service.healthCheck) {
      const at_ = new Construct(serviceScope(), a.translator.zone.name);
      const publicIp = eip.publicIp;
      check = new aws.Route53HealthCheck(at_, "HealthCheck", { ipAddress: publicIp, ...service.healthCheck, tags });
      record = new aws.Route53Record(at_, "A", {
        zoneId: options.dns.hostedZoneId,
        name: options.dns.name,
        type: "A",
        ttl: options.dns.ttl ?? 60,
        records: [publicIp],
        setIdentifier: `${name}-${a.translator.zone.name}`,
        multivalueAnswerRoutingPolicy: true,
        healthCheckId: check.id,
      });
    }
    return { translator: a.translator, privateIpv4: a.privateIpv4.toString(), eip, association, healthCheck: check, record };
  });
  const aaaa =
    options.dns && ipv6Internet
      ? new aws.Route53Record(serviceScope(), "AAAA", { zoneId: options.dns.hostedZoneId, name: options.dns.name, type: "AAAA", ttl: options.dns.ttl ?? 60, records: [target.render(owner.renderer)] })
      : undefined;

  const group = owner.translatorGroup;
  for (const port of rules.translatorPorts) addIngress(group.scope, group.id, publishedPortIngress(port));
  if (rules.translatorIpv4Egress) {
    new aws.VpcSecurityGroupEgressRule(group.scope, "ServerInitiatedIpv4Egress", {
      securityGroupId: group.id,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "IPv4 started by servers of services with outboundIpv4 (their own groups decide which)",
    });
  }
  if (server) {
    for (const { port, from } of rules.serverPorts) {
      server.fleet.allowInboundToServer(server, `${owner.ruleIdPrefix}-${from}-${port.toString().replace("/", "-")}`, {
        port,
        ...(from === "translators" ? { prefixList: owner.prefixList, description: `${port} from ${owner.translatorsDescription}` } : { ipv6Cidr: "::/0", description: `${port} from IPv6 clients` }),
      });
    }
    if (rules.serverIpv4Egress) {
      server.fleet.allowOutboundFromServer(server, `${owner.ruleIdPrefix}-Ipv4Out`, owner.prefixList, `IPv4 sent through ${owner.translatorsDescription} (service ${name}, outboundIpv4)`);
    }
  }
  return new PublishedService(service, addresses, aaaa);
}

/** The id the plan knows a fleet server's own group by (for its rules). */
function publishedGroupOf(server: FleetServer): string {
  return `${server.fleet.node.path}/Server${server.index}/PublishedSecurityGroup`;
}

/** A publication's target as a plan address, and the fleet server behind it if it is one. */
export function resolvePublishTarget(scope: IConstruct, vpc: IIpv6OnlyVpc, target: FleetServer | string | SymbolicIpv6Address, origin: Origin): { address: SymbolicIpv6Address; server?: FleetServer } {
  if (target instanceof FleetServer) {
    if (target.fleet.vpc !== vpc) fail(origin, target.fleet.node.path, "is a server of another VPC", "publish servers of the translators' VPC");
    return { address: target.address, server: target };
  }
  if (typeof target === "string") {
    requireLiteral(scope, origin.property, target);
    return { address: SymbolicIpv6Address.literal(parseOr(origin, target, Ipv6Address.parse, "an IPv6 address such as 2001:db8::10")) };
  }
  for (const ref of target.references()) {
    if (!vpc.renderer.binds(ref)) fail(origin, target.toString(), `refers to prefix ${ref.name}, which is not this VPC's`, "publish addresses of the translators' VPC");
  }
  return { address: target };
}
