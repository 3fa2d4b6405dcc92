import type { EgressOnlyInternetGateway } from "@cdktf/provider-aws/lib/egress-only-internet-gateway";
import type { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import type { Route } from "@cdktf/provider-aws/lib/route";
import type { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import type { Subnet } from "@cdktf/provider-aws/lib/subnet";
import type { Vpc, VpcConfig } from "@cdktf/provider-aws/lib/vpc";
import { Construct, IConstruct } from "constructs";
import { Ipv6Prefix, WELL_KNOWN } from "../../plan/address/ip";
import { PrefixReference } from "../../plan/address/symbolic";
import { EDGE_TIER, parseOr, SubnetPlan, VPC_IPV6_LENGTH, VpcAddressPlan } from "../../plan/address/vpc-plan";
import { fail, formatPlanError } from "../../plan/errors";
import { instance, str } from "../../plan/props/check";
import { brand } from "../core/brand";
import { resolveToken, TokenRenderer } from "../core/render";
import { checkVpcInput } from "../core/input-checks";
import { checkValue } from "../core/props";
import { propOf, requireLiteral } from "../core/validate";
import { FlowLogDelivery, FlowLogs } from "./flow-logs";
import { RouteTarget } from "./route-target";
import { aws } from "../core/aws";
import { attribute } from "../core/once";

/** AWS's default "routes per route table" quota (per family; adjustable to 1,000). */
export const ROUTES_PER_TABLE = 50;

/** Where the VPC's IPv6 /56 comes from. */
export class VpcIpv6Cidr {
  /** An Amazon-provided /56, known only after apply (addresses are rendered as expressions). */
  static amazonProvided(): VpcIpv6Cidr {
    return new VpcIpv6Cidr({ assignGeneratedIpv6CidrBlock: true }, undefined);
  }

  /** A /56 allocated at apply time from an IPAM pool (IPv6 BYOIP or Amazon-owned pool). */
  static fromIpamPool(ipamPoolId: string): VpcIpv6Cidr {
    return new VpcIpv6Cidr({ ipv6IpamPoolId: ipamPoolId, ipv6NetmaskLength: VPC_IPV6_LENGTH }, undefined);
  }

  /**
   * A literal /56 from an IPAM pool (e.g. your BYOIP range). Known at synth time, so every
   * address is rendered and validated as a literal.
   */
  static fromIpamPoolCidr(ipamPoolId: string, cidr: string): VpcIpv6Cidr {
    return new VpcIpv6Cidr({ ipv6IpamPoolId: ipamPoolId, ipv6CidrBlock: cidr }, cidr);
  }

  private constructor(
    /** The aws_vpc fields that request this block. */
    public readonly vpcFields: Partial<VpcConfig>,
    /** The literal /56, when known at synth time. */
    public readonly literal: string | undefined,
  ) {}
}

/** How IPv6-only servers reach, and are reached from, the IPv6 internet. */
export class ServerIpv6Internet {
  /** Route ::/0 to the internet gateway: IPv6 clients reach servers natively, filtered by security groups. */
  static readonly INBOUND_AND_OUTBOUND = new ServerIpv6Internet("inbound-and-outbound");
  /** Route ::/0 to an egress-only internet gateway: servers reach out, nobody reaches in over IPv6. */
  static readonly OUTBOUND_ONLY = new ServerIpv6Internet("outbound-only");

  private constructor(
    /** `inbound-and-outbound` or `outbound-only`. */
    public readonly mode: string,
  ) {}
}

/**
 * What a fleet needs of a VPC: an {@link Ipv6OnlyVpc} of this app, or an
 * {@link ImportedIpv6OnlyVpc} described by a platform manifest (a team in its own app).
 */
export interface IIpv6OnlyVpc extends IConstruct {
  /** Short name used in Name tags. */
  readonly name: string;
  /** The VPC's address plan (zones, tiers, /64 indexes). */
  readonly plan: VpcAddressPlan;
  /** Renders symbolic plan addresses of this VPC as Terraform expressions (or literals). */
  readonly renderer: TokenRenderer;
  /** Availability zone names, in the order given. */
  readonly availabilityZones: string[];
  /** The VPC id. */
  readonly vpcId: string;
  /** Id of the IPv6-only subnet of `tier` (default: the first server tier) in `zone`. */
  serverSubnetId(zone: string, tier?: string): string;
}

/** Props of {@link Ipv6OnlyVpc}. */
export interface Ipv6OnlyVpcProps {
  /**
   * Availability zone names, e.g. `["eu-north-1a", "eu-north-1b"]`. Given explicitly so that
   * synthesis needs no data source. A zone's subnet slot comes from its final letter, so the
   * list can grow, shrink or be reordered without renumbering other zones' subnets.
   */
  readonly availabilityZones: string[];

  /**
   * The VPC IPv4 CIDR, /16 to /20. AWS requires one; only the dual-stack edge subnets use it (one
   * sixteenth per zone slot: a /20 of a /16), and translators deny it in `denylist4` to prevent pool6 loops.
   * @default "10.0.0.0/16"
   */
  readonly ipv4Cidr?: string;

  /**
   * Source of the VPC IPv6 /56: `VpcIpv6Cidr.amazonProvided()` (unknown until apply, so addresses
   * render as Terraform expressions), `VpcIpv6Cidr.fromIpamPool(poolId)`, or
   * `VpcIpv6Cidr.fromIpamPoolCidr(poolId, "2001:db8:1200::/56")` (a literal /56: every address
   * renders and validates as a literal at synth).
   * @default VpcIpv6Cidr.amazonProvided()
   */
  readonly ipv6Cidr?: VpcIpv6Cidr;

  /**
   * Names of the IPv6-only server tiers; each gets one /64 subnet (and route table) per zone, and
   * a fleet picks one with its `tier` prop. At most 15 (the edge tier is slot 0 of 16). Append new
   * tiers at the end: a tier's position is its subnet slot, so inserting one renumbers (replaces)
   * the subnets of every tier after it.
   * @default ["servers"]
   */
  readonly serverTiers?: string[];

  /**
   * IPv6 internet access of the server tiers.
   * @default ServerIpv6Internet.INBOUND_AND_OUTBOUND
   */
  readonly serverIpv6Internet?: ServerIpv6Internet;

  /**
   * DNS64 on the server subnets. `true` requires a NAT64 for every zone (synthesis fails naming
   * the zones without one); `false` keeps it off even where a NAT64 routes 64:ff9b::/96 (for
   * servers that use your own DNS64). Never on without a NAT64 route (docs/DESIGN.md invariant 7).
   * @default - on exactly in the zones where a NAT64 routes 64:ff9b::/96
   */
  readonly dns64?: boolean;

  /**
   * VPC flow logs to CloudWatch Logs (see docs/constructs.md, "Flow logs", for what they cost).
   * `FlowLogs.off()` turns them off; `FlowLogs.wholeVpc()` records every interface.
   * @default FlowLogs.internetSubnets() - every subnet routed to the internet gateway, 90 days
   */
  readonly flowLogs?: FlowLogs;

  /**
   * Tags for every resource of the VPC.
   * @default - only Name tags
   */
  readonly tags?: Record<string, string>;
}

/** One subnet of the VPC with its own route table. */
export class TierSubnet extends Construct {
  /** The subnet (edge: dual-stack; server tiers: `ipv6_native`). */
  readonly subnet: Subnet;
  /** The subnet's own route table. */
  readonly routeTable: RouteTable;
  /** The subnet's place in the address plan: tier, zone, /64 index, IPv4 block (edge only). */
  readonly plan: SubnetPlan;
  /** The rendered IPv6 /64 (a literal or a Terraform expression). */
  readonly ipv6CidrBlock: string;

  /** @internal Ipv6OnlyVpc creates its subnets. */
  constructor(scope: Construct, id: string, vpc: Ipv6OnlyVpc, plan: SubnetPlan, tags: Record<string, string>) {
    super(scope, id);
    this.plan = plan;
    const name = `${vpc.name}-${plan.tier.name}-${plan.zone.name}`;
    this.ipv6CidrBlock = plan.ipv6.render(vpc.renderer);
    const ipv6Only = plan.tier.kind === "server";
    this.subnet = new aws.Subnet(this, "Subnet", {
      vpcId: vpc.vpc.id,
      availabilityZone: plan.zone.name,
      ipv6CidrBlock: this.ipv6CidrBlock,
      cidrBlock: plan.ipv4?.toString(),
      ipv6Native: ipv6Only,
      assignIpv6AddressOnCreation: true,
      mapPublicIpOnLaunch: false,
      // Turned on only by Ipv6OnlyVpc.enableNat64, together with the 64:ff9b::/96 route.
      enableDns64: false,
      enableResourceNameDnsAaaaRecordOnLaunch: true,
      enableResourceNameDnsARecordOnLaunch: ipv6Only ? false : undefined,
      privateDnsHostnameTypeOnLaunch: "resource-name",
      tags: { ...tags, Name: name },
    });
    this.routeTable = new aws.RouteTable(this, "RouteTable", { vpcId: vpc.vpc.id, tags: { ...tags, Name: name } });
    new aws.RouteTableAssociation(this, "Association", { subnetId: this.subnet.id, routeTableId: attribute(this.routeTable, "id") });
  }

  /** Adds an IPv6 route to this subnet's route table. */
  addIpv6Route(id: string, destination: string, target: RouteTarget): Route {
    checkRoute(this, `addIpv6Route(${id})`, destination, target);
    return this.track(new aws.Route(this, id, { routeTableId: attribute(this.routeTable, "id"), destinationIpv6CidrBlock: destination, ...target.routeFields() }));
  }

  /** Adds an IPv4 route to this subnet's route table. */
  addIpv4Route(id: string, destination: string, target: RouteTarget): Route {
    checkRoute(this, `addIpv4Route(${id})`, destination, target);
    return this.track(new aws.Route(this, id, { routeTableId: attribute(this.routeTable, "id"), destinationCidrBlock: destination, ...target.routeFields() }));
  }

  /** Routes of this subnet's table, as added through this construct. */
  get routes(): Route[] {
    return [...this.added];
  }

  /** Whether any route of this subnet's table targets network interface `networkInterfaceId`. */
  routesTo(networkInterfaceId: string): boolean {
    const wanted = resolveToken(this, networkInterfaceId);
    return this.added.some((r) => r.networkInterfaceIdInput !== undefined && resolveToken(this, r.networkInterfaceIdInput) === wanted);
  }

  private readonly added: Route[] = [];

  private track(route: Route): Route {
    this.added.push(route);
    return route;
  }
}

/**
 * A VPC for IPv6-only server fleets: per zone, a dual-stack edge subnet for translators and NAT
 * and one IPv6-only subnet per server tier, each with its own route table.
 *
 * DNS64 is off everywhere until `enableNat64` routes 64:ff9b::/96 in the same step (docs/DESIGN.md
 * invariant 7): AWS DNS64 without a NAT64 makes IPv4-only names resolve to addresses that go nowhere.
 */
export class Ipv6OnlyVpc extends Construct implements IIpv6OnlyVpc {
  /** The VPC (IPv4 block and IPv6 /56). */
  readonly vpc: Vpc;
  /** The internet gateway: edge subnets' default routes, and servers' `::/0` unless outbound only. */
  readonly internetGateway: InternetGateway;
  /** The egress-only internet gateway, with `ServerIpv6Internet.OUTBOUND_ONLY`. */
  readonly egressOnlyInternetGateway?: EgressOnlyInternetGateway;
  /** Flow log delivery (log group, role, flow logs), unless `FlowLogs.off()`. */
  readonly flowLogs?: FlowLogDelivery;
  /** The address plan this VPC was built from. */
  readonly plan: VpcAddressPlan;
  /** Renders symbolic plan addresses of this VPC as Terraform expressions. */
  readonly renderer = new TokenRenderer(this);
  /** Short name used in Name tags. */
  readonly name: string;

  private readonly subnets = new Map<string, TierSubnet>();
  private readonly dns64: boolean | undefined;
  private readonly nat64Zones = new Map<string, RouteTarget>();
  private readonly serverRoutes = new Map<string, string>();

  constructor(scope: Construct, id: string, props: Ipv6OnlyVpcProps) {
    super(scope, id);
    brand(this, "Ipv6OnlyVpc");
    checkVpcInput(this, props);
    this.name = id.toLowerCase();
    this.dns64 = props.dns64;
    const tags = props.tags ?? {};
    const ipv6Cidr = props.ipv6Cidr ?? VpcIpv6Cidr.amazonProvided();
    const reference: PrefixReference = { name: `${this.node.path}/ipv6`, length: VPC_IPV6_LENGTH };

    this.plan = new VpcAddressPlan({
      path: this.node.path,
      availabilityZones: requireLiteral(this, "availabilityZones", props.availabilityZones),
      ipv4Cidr: requireLiteral(this, "ipv4Cidr", props.ipv4Cidr ?? "10.0.0.0/16"),
      ipv6Cidr: ipv6Cidr.literal !== undefined ? { literal: requireLiteral(this, "ipv6Cidr", ipv6Cidr.literal) } : { reference },
      serverTiers: requireLiteral(this, "serverTiers", props.serverTiers ?? ["servers"]),
    });

    this.vpc = new aws.Vpc(this, "Vpc", {
      cidrBlock: this.plan.ipv4Cidr.toString(),
      enableDnsSupport: true,
      enableDnsHostnames: true,
      ...ipv6Cidr.vpcFields,
      tags: { ...tags, Name: this.name },
    });
    this.renderer.bind(reference, this.vpc.ipv6CidrBlock);

    this.internetGateway = new aws.InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags: { ...tags, Name: this.name } });
    const igw = RouteTarget.internetGateway(this.internetGateway.id);
    let serverDefault = igw;
    if ((props.serverIpv6Internet ?? ServerIpv6Internet.INBOUND_AND_OUTBOUND) === ServerIpv6Internet.OUTBOUND_ONLY) {
      this.egressOnlyInternetGateway = new aws.EgressOnlyInternetGateway(this, "EgressOnlyInternetGateway", {
        vpcId: this.vpc.id,
        tags: { ...tags, Name: this.name },
      });
      serverDefault = RouteTarget.egressOnlyInternetGateway(this.egressOnlyInternetGateway.id);
    }

    const internetSubnets: Record<string, string> = {};
    const edgeSubnets: Record<string, string> = {};
    for (const plan of this.plan.subnets) {
      const id = `${plan.tier.name}-${plan.zone.name}`;
      const subnet = new TierSubnet(this, id, this, plan, tags);
      this.subnets.set(key(plan.tier.name, plan.zone.name), subnet);
      if (plan.tier.kind === "edge") {
        subnet.addIpv4Route("DefaultIpv4", "0.0.0.0/0", igw);
        subnet.addIpv6Route("DefaultIpv6", "::/0", igw);
        edgeSubnets[id] = subnet.subnet.id;
        internetSubnets[id] = subnet.subnet.id;
      } else {
        subnet.addIpv6Route("DefaultIpv6", "::/0", serverDefault);
        if (serverDefault === igw) internetSubnets[id] = subnet.subnet.id;
      }
    }

    const flowLogs = props.flowLogs ?? FlowLogs.internetSubnets();
    if (flowLogs.coverage !== "off") {
      const targets =
        flowLogs.coverage === "vpc" ? { vpcId: this.vpc.id } : { subnetIds: flowLogs.coverage === "edge-subnets" ? edgeSubnets : internetSubnets };
      this.flowLogs = new FlowLogDelivery(this, "FlowLogs", { name: this.name, options: flowLogs.options, targets, tags });
    }

    this.node.addValidation({ validate: () => [...this.checkDns64(), ...this.checkRouteQuota()] });
  }

  /** Availability zone names, in the order given. */
  get availabilityZones(): string[] {
    return this.plan.zones.map((z) => z.name);
  }

  /** The VPC id. */
  get vpcId(): string {
    return this.vpc.id;
  }

  /** Id of the IPv6-only subnet of `tier` in `zone`. */
  serverSubnetId(zone: string, tier?: string): string {
    return this.serverSubnet(zone, tier).subnet.id;
  }

  /** The dual-stack edge subnet of `zone` (translators, NAT64). */
  edgeSubnet(zone: string): TierSubnet {
    return this.lookup("edge", zone, "edgeSubnet.zone");
  }

  /** The IPv6-only subnet of `tier` in `zone`. */
  serverSubnet(zone: string, tier?: string): TierSubnet {
    if (tier === EDGE_TIER) fail(propOf(this, "serverSubnet.tier"), tier, "is the dual-stack edge tier, not a server tier", `use edgeSubnet(zone) for it, or a server tier: ${this.plan.serverTierNames().join(", ")}`);
    return this.lookup(tier ?? this.plan.serverTierNames()[0], zone, "serverSubnet");
  }

  /** Every IPv6-only server subnet, tier by tier, zone by zone. */
  serverSubnets(): TierSubnet[] {
    return this.plan.subnets.filter((s) => s.tier.kind === "server").map((s) => this.subnets.get(key(s.tier.name, s.zone.name))!);
  }

  /** Every dual-stack edge subnet, zone by zone. */
  edgeSubnets(): TierSubnet[] {
    return this.plan.zones.map((z) => this.edgeSubnet(z.name));
  }

  /**
   * Routes `destination` to `target` in every server route table of every zone: how each
   * translator's /96 gets back to that translator (docs/DESIGN.md invariant 3). Edge route tables
   * never get such routes, so no translator sits in a subnet whose route table points at it.
   *
   * @param id construct id of the routes, unique within each subnet
   * @param destination an IPv6 prefix; 64:ff9b::/96 is reserved for `enableNat64`
   */
  addServerRoute(id: string, destination: string, target: RouteTarget): Route[] {
    const origin = propOf(this, `addServerRoute(${id}).destination`);
    checkValue(this, origin.property, str({ expected: "an IPv6 prefix", example: '"64:ff9b:1:1::/96"' }), destination);
    checkValue(this, `addServerRoute(${id}).target`, instance("RouteTarget", "RouteTarget.networkInterface(eni.id)"), target);
    requireLiteral(this, origin.property, destination);
    const prefix = parseOr(origin, destination, Ipv6Prefix.parse, "an IPv6 prefix, e.g. 64:ff9b:1:1::/96");
    if (prefix.overlaps(WELL_KNOWN.nat64)) {
      fail(origin, destination, "overlaps 64:ff9b::/96, which only the outbound NAT64 may use", "route translation prefixes outside 64:ff9b::/96; use enableNat64 for the NAT64 route");
    }
    const taken = [...this.serverRoutes.entries()].find(([p]) => Ipv6Prefix.parse(p).overlaps(prefix));
    if (taken) {
      fail(origin, destination, `overlaps ${taken[0]}, already routed by ${taken[1]}`, "give each route its own non-overlapping prefix");
    }
    this.serverRoutes.set(prefix.toString(), `${this.node.path} route ${id}`);
    return this.serverSubnets().map((s) => s.addIpv6Route(id, prefix.toString(), target));
  }

  /**
   * Routes 64:ff9b::/96 from every server subnet of `zone` to `target` (a NAT gateway or a
   * NAT64 instance) and turns on DNS64 for those subnets in the same step (unless `dns64: false`).
   */
  enableNat64(zone: string, target: RouteTarget): Route[] {
    const origin = propOf(this, "enableNat64.zone");
    checkValue(this, origin.property, str({ expected: "an availability zone name", example: '"eu-north-1a"' }), zone);
    checkValue(this, "enableNat64.target", instance("RouteTarget", "RouteTarget.natGateway(nat.id)"), target);
    this.plan.zone(zone, origin);
    if (this.nat64Zones.has(zone)) {
      fail(origin, zone, `already routes 64:ff9b::/96 to a ${this.nat64Zones.get(zone)!.kind}`, "enable NAT64 once per zone");
    }
    // Invariant 2: no translation prefix may share the NAT64's prefix (addServerRoute refuses it too).
    const clash = [...this.serverRoutes.entries()].find(([p]) => Ipv6Prefix.parse(p).overlaps(WELL_KNOWN.nat64));
    if (clash) fail(origin, zone, `64:ff9b::/96 overlaps ${clash[0]}, routed by ${clash[1]}`, "move the translation prefix out of 64:ff9b::/96");
    this.nat64Zones.set(zone, target);
    return this.serverSubnets()
      .filter((s) => s.plan.zone.name === zone)
      .map((s) => {
        if (this.dns64 !== false) s.subnet.enableDns64 = true;
        return s.addIpv6Route("Nat64", WELL_KNOWN.nat64.toString(), target);
      });
  }

  private lookup(tier: string, zone: string, property: string): TierSubnet {
    const plan = this.plan.subnet(tier, zone, propOf(this, property));
    return this.subnets.get(key(plan.tier.name, plan.zone.name))!;
  }

  /** AWS's default quota: 50 routes per route table and family. */
  private checkRouteQuota(): string[] {
    return this.serverSubnets().flatMap((s) => {
      const count = s.routes.filter((r) => r.destinationIpv6CidrBlockInput !== undefined).length;
      if (count <= ROUTES_PER_TABLE) return [];
      return [
        formatPlanError({
          path: s.node.path,
          property: "routes",
          value: count,
          problem: `the route table holds ${count} IPv6 routes (one per translator, the default route and the NAT64's), over the default quota "Routes per route table" of ${ROUTES_PER_TABLE} (L-93826ACB)`,
          fix: "run fewer translators, or ask AWS to raise the quota (up to 1,000) before you apply",
        }),
      ];
    });
  }

  /** Whole-app check of invariant 7: DNS64 only where the NAT64 route is (and everywhere asked). */
  private checkDns64(): string[] {
    const errors: string[] = [];
    const missing = this.plan.zones.filter((z) => !this.nat64Zones.has(z.name)).map((z) => z.name);
    if (this.dns64 === true && missing.length) {
      errors.push(
        formatPlanError({
          path: this.node.path,
          property: "dns64",
          value: true,
          problem: `DNS64 without NAT64 sends IPv4-only names nowhere, and zones ${missing.join(", ")} have no NAT64`,
          fix: "add an OutboundNat64 for those zones, or leave dns64 unset (DNS64 then follows the NAT64 routes)",
        }),
      );
    }
    for (const s of this.serverSubnets()) {
      const dns64 = s.subnet.enableDns64Input === true;
      const routed = this.nat64Zones.has(s.plan.zone.name);
      if (dns64 && !routed) {
        errors.push(formatPlanError({ path: s.node.path, property: "enableDns64", value: true, problem: "the subnet has DNS64 on but no 64:ff9b::/96 route: DNS64 without NAT64 sends IPv4-only names nowhere", fix: "enable DNS64 only through Ipv6OnlyVpc.enableNat64" }));
      } else if (!dns64 && routed && this.dns64 !== false) {
        errors.push(formatPlanError({ path: s.node.path, property: "enableDns64", value: s.subnet.enableDns64Input ?? null, problem: "the subnet has a NAT64 route, but DNS64 was turned off behind the VPC's back", fix: "set dns64: false on the Ipv6OnlyVpc to keep DNS64 off" }));
      }
    }
    return errors;
  }
}

function checkRoute(scope: Construct, method: string, destination: unknown, target: unknown): void {
  checkValue(scope, `${method}.destination`, str({ expected: "a CIDR", example: '"::/0"', tokens: true }), destination);
  checkValue(scope, `${method}.target`, instance("RouteTarget", "RouteTarget.internetGateway(igw.id)"), target);
}

function key(tier: string, zone: string): string {
  return `${tier}/${zone}`;
}
