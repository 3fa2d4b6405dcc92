import type { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import type { Ec2ManagedPrefixList } from "@cdktf/provider-aws/lib/ec2-managed-prefix-list";
import type { Instance } from "@cdktf/provider-aws/lib/instance";
import type { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { Lazy } from "../../cdktf";
import { checkIpv6OnlyInstanceType } from "../../plan/aws/instance-types";
import { SymbolicIpv6Address } from "../../plan/address/symbolic";
import { ZonePlan } from "../../plan/address/vpc-plan";
import { renderServerUserData } from "../../plan/boot/server-boot";
import { fail } from "../../plan/errors";
import { planFleetSlots } from "../../plan/fleet-plan";
import { Port } from "../../plan/ports";
import { int } from "../../plan/props/check";
import { FLEET_INGRESS } from "../../plan/props/schemas";
import { FLEET_BASELINE_INGRESS, FLEET_EGRESS, portIngress, SecurityGroupRuleCount } from "../../plan/security-groups";
import { hardenedLaunchTemplate, instanceOnInterface } from "../compute/hardened-instance";
import { InstanceRole } from "../compute/instance-role";
import { MachineImage } from "../compute/machine-image";
import { brand } from "../core/brand";
import { checkFleetInput } from "../core/input-checks";
import { checkOptions, checkValue } from "../core/props";
import { addIngress } from "../core/security-group-rules";
import { propOf, requireLiteral } from "../core/validate";
import { IIpv6OnlyVpc } from "../network/ipv6-only-vpc";
import { aws } from "../core/aws";

/** Capacity of a fleet without fixed addresses (workers). */
export interface FleetAutoScaling {
  /** Fewest instances the Auto Scaling group runs. */
  readonly minCapacity: number;
  /** Most instances the Auto Scaling group runs. */
  readonly maxCapacity: number;
  /**
   * Instances the group starts with.
   * @default minCapacity
   */
  readonly desiredCapacity?: number;
}

/** Props of {@link Ipv6ServerFleet}. */
export interface Ipv6ServerFleetProps {
  /** The VPC whose server subnets (of `tier`) hold the fleet. */
  readonly vpc: IIpv6OnlyVpc;

  /** EC2 instance type; must be built on the Nitro System (IPv6-only subnets accept no other). */
  readonly instanceType: string;

  /**
   * Number of servers with fixed IPv6 addresses. Exactly one of `servers` and `autoScaling`.
   * Servers are spread over `zones` round-robin in the order of the zones' letters: server i is
   * in the (i mod n)-th zone by letter. Changing the count or the order of `zones` never moves a
   * server; adding or removing a zone does (it replaces their network interfaces and addresses),
   * so pin `zones` on a fleet before the VPC gains a zone, or use `serversPerZone`.
   * Exactly one of `servers`, `serversPerZone` and `autoScaling`.
   * @default - none; give `servers`, `serversPerZone` or `autoScaling`
   */
  readonly servers?: number;

  /**
   * Servers with fixed IPv6 addresses in every zone of `zones`: a server is identified by its zone
   * and its ordinal j in that zone (host index `firstHostIndex + j`, server index 16 × j + the
   * zone's slot, e.g. `…1b` #1 is server 17). Adding or removing a zone, reordering `zones` or
   * growing the count moves no existing server. Exactly one of `servers`, `serversPerZone` and
   * `autoScaling`.
   * @default - none; give `servers`, `serversPerZone` or `autoScaling`
   */
  readonly serversPerZone?: number;

  /**
   * Autoscaled mode: an Auto Scaling group with addresses AWS picks, for workers that are never
   * published through a translator. Exactly one of `servers` and `autoScaling`.
   * @default - none; give `servers` or `autoScaling`
   */
  readonly autoScaling?: FleetAutoScaling;

  /**
   * Zones to spread the fleet over.
   * @default - every zone of the VPC
   */
  readonly zones?: string[];

  /**
   * Server tier of the VPC the fleet lives in: one of the VPC's `serverTiers` (never `edge`).
   * @default - the VPC's first server tier
   */
  readonly tier?: string;

  /**
   * Host index of the first server in each zone's /64; the next servers of a zone take the
   * following indexes. Fleets sharing a tier need disjoint indexes.
   * @default 16 (addresses end in ::10, ::11, ...)
   */
  readonly firstHostIndex?: number;

  /**
   * Explicit host index per server (length = servers), instead of `firstHostIndex`.
   * @default - consecutive from firstHostIndex
   */
  readonly hostIndexes?: number[];

  /**
   * The image.
   * @default MachineImage.debian12()
   */
  readonly image?: MachineImage;

  /**
   * The application's user data (`#cloud-config` or a `#!` script). The library adds its own
   * cloud-config part (Session Manager over dual-stack endpoints) without replacing yours.
   * @default - none
   */
  readonly userData?: string;

  /**
   * Root volume size in GiB (always encrypted).
   * @default - the image's size
   */
  readonly rootVolumeSize?: number;

  /**
   * IMDSv2 hop limit.
   * @default 1
   */
  readonly metadataHopLimit?: number;

  /**
   * Escape hatch for instance families newer than this library's Nitro table, e.g. `["c9g"]`.
   * Only list families AWS documents as built on the Nitro System.
   * @default []
   */
  readonly nitroInstanceFamilies?: string[];

  /**
   * Tags for every resource of the fleet.
   * @default - Name tags only
   */
  readonly tags?: Record<string, string>;
}

/** A server slot of a fixed-address fleet. */
export class FleetServer {
  constructor(
    /** The fleet. */
    public readonly fleet: Ipv6ServerFleet,
    /** Position in the fleet. */
    public readonly index: number,
    /** The zone the server lives in. */
    public readonly zone: ZonePlan,
    /** The server's IPv6 address in plan terms (literal, or symbolic until apply). */
    public readonly address: SymbolicIpv6Address,
    /** The address as a Terraform value (a literal or an expression). */
    public readonly ipv6Address: string,
    /** The persistent interface that holds the address. */
    public readonly networkInterface: NetworkInterface,
    /** The instance currently attached to the interface. */
    public readonly instance: Instance,
  ) {}

  /** `test/Web server 0`: how messages name the server. */
  toString(): string {
    return `${this.fleet.node.path} server ${this.index}`;
  }
}

/** Rule for `Ipv6ServerFleet.allowInbound`. */
export interface FleetIngressOptions {
  /** The port (or range) and protocol to allow. */
  readonly port: Port;
  /**
   * Source IPv6 prefix (literal or token). Exactly one of `ipv6Cidr` and `prefixList`.
   * @default - none; give `prefixList` instead
   */
  readonly ipv6Cidr?: string;
  /**
   * Source managed prefix list; counts as its max_entries rules. Exactly one of `ipv6Cidr` and `prefixList`.
   * @default - none; give `ipv6Cidr` instead
   */
  readonly prefixList?: Ec2ManagedPrefixList;
  /** The rule's description in EC2 (required: every rule says why it exists). */
  readonly description: string;
}

/**
 * A managed prefix list by id: an Ec2ManagedPrefixList of this app, or one another app owns
 * (a platform's translator prefixes, from its manifest). A security group reference to it counts
 * as its max entries rules.
 */
export interface PrefixListReference {
  /** The prefix list id. */
  readonly id: string;
  /**
   * Its max entries (what a reference weighs against the rules-per-group quota).
   * @default - 1
   */
  readonly maxEntriesInput?: number;
}

/** A rule the library opens on one server ({@link Ipv6ServerFleet.allowInboundToServer}). */
export interface ServerIngressOptions extends Omit<FleetIngressOptions, "prefixList"> {
  /**
   * Source managed prefix list. Exactly one of `ipv6Cidr` and `prefixList`.
   * @default - none; give `ipv6Cidr` instead
   */
  readonly prefixList?: PrefixListReference;
}

/**
 * IPv6-only servers. In the default (fixed) mode each server slot owns a persistent network
 * interface with a deterministic IPv6 address, attached at device index 0, so replacing the
 * instance (new image, new type) keeps the address that translators and DNS point at.
 */
export class Ipv6ServerFleet extends Construct {
  /** The VPC the fleet lives in. */
  readonly vpc: IIpv6OnlyVpc;
  /** The server tier whose subnets hold the fleet. */
  readonly tier: string;
  /** The fleet's security group: ICMPv6 packet-too-big in; out to `2000::/3` and `64:ff9b::/96` only. */
  readonly securityGroup: SecurityGroup;
  /** The servers' instance role (Session Manager only). */
  readonly role: InstanceRole;
  /** The fleet's launch template (IMDSv2 over IPv6, encrypted gp3 root, the merged user data). */
  readonly launchTemplate: LaunchTemplate;
  /** The Auto Scaling group, in autoscaled mode. */
  readonly autoScalingGroup?: AutoscalingGroup;
  private readonly slots: FleetServer[] = [];
  /** Inbound IPv6 rules and their weight against the per-group quota. */
  private readonly ingressWeights: number[] = [];
  private readonly serverGroups = new Map<number, { group: SecurityGroup; weights: number[]; rules: ServerIngressOptions[] }>();
  private readonly name: string;
  private readonly tags: Record<string, string>;
  private readonly rules: FleetIngressOptions[] = [];

  constructor(scope: Construct, id: string, props: Ipv6ServerFleetProps) {
    super(scope, id);
    brand(this, "Ipv6ServerFleet");
    checkFleetInput(this, props);
    const where = (property: string) => propOf(this, property);
    const vpc = props.vpc;
    this.vpc = vpc;
    const tier = requireLiteral(this, "tier", props.tier ?? vpc.plan.serverTierNames()[0]);
    this.tier = tier;
    const zones = requireLiteral(this, "zones", props.zones ?? vpc.availabilityZones);
    const instanceType = requireLiteral(this, "instanceType", props.instanceType);
    checkIpv6OnlyInstanceType(instanceType, where("instanceType"), props.nitroInstanceFamilies);
    const modes = [props.servers, props.serversPerZone, props.autoScaling].filter((m) => m !== undefined).length;
    if (modes !== 1) {
      fail(
        where(props.servers === undefined && props.serversPerZone !== undefined ? "serversPerZone" : "servers"),
        props.servers ?? props.serversPerZone,
        "exactly one of servers, serversPerZone (fixed addresses) and autoScaling (workers) must be set",
        "set servers or serversPerZone for publishable servers, or autoScaling for workers",
      );
    }
    const tags = props.tags ?? {};
    const name = `${vpc.name}-${id.toLowerCase()}`;
    this.name = name;
    this.tags = tags;

    this.securityGroup = new aws.SecurityGroup(this, "SecurityGroup", {
      namePrefix: `${name}-`,
      description: `IPv6-only servers of ${this.node.path}`,
      vpcId: vpc.vpcId,
      tags: { ...tags, Name: name },
    });
    // Nothing inbound but what PMTUD and ping need; published services add their own rules.
    for (const spec of FLEET_BASELINE_INGRESS) {
      this.ingressWeights.push(1);
      addIngress(this, this.securityGroup.id, spec);
    }
    // Egress to the IPv6 internet and the NAT64, not to anything else: a translator's /96 lies
    // outside both (64:ff9b:1::/48 by default), so a server cannot start IPv4 traffic through a
    // translator unless its service opts in (docs/DESIGN.md invariant 17). Replies to clients that
    // came through a translator are allowed by connection tracking.
    for (const spec of FLEET_EGRESS) {
      new aws.VpcSecurityGroupEgressRule(this, spec.id, { securityGroupId: this.securityGroup.id, ipProtocol: "-1", cidrIpv6: spec.cidr, description: spec.description });
    }

    this.role = new InstanceRole(this, "InstanceRole", { tags });
    const userData = renderServerUserData(props.userData, where("userData"));
    const autoscaled = props.autoScaling !== undefined;
    this.launchTemplate = hardenedLaunchTemplate(this, "LaunchTemplate", {
      instanceType,
      image: props.image ?? MachineImage.debian12(),
      role: this.role,
      userData,
      rootVolumeSize: props.rootVolumeSize,
      metadataHopLimit: props.metadataHopLimit,
      networkInterfaces: autoscaled ? [{ deviceIndex: 0, ipv6AddressCount: 1, securityGroups: [this.securityGroup.id], deleteOnTermination: "true" }] : undefined,
      // A fixed instance follows the template's latest_version, which any change to the template
      // (tags included) makes unknown: the template of fixed servers keeps only its stable Name.
      tags: autoscaled ? { ...tags, Name: name } : { Name: name },
      launchTags: autoscaled ? { ...tags, Name: name } : undefined,
    });

    if (props.autoScaling) {
      this.autoScalingGroup = this.createAutoScalingGroup(props.autoScaling, zones, tier, vpc, name);
      return;
    }

    const slots = planFleetSlots({
      path: this.node.path,
      vpc: vpc.plan,
      servers: props.servers === undefined ? undefined : requireLiteral(this, "servers", props.servers),
      perZone: props.serversPerZone === undefined ? undefined : requireLiteral(this, "serversPerZone", props.serversPerZone),
      zones,
      tier,
      firstHostIndex: requireLiteral(this, "firstHostIndex", props.firstHostIndex ?? 16),
      hostIndexes: props.hostIndexes === undefined ? undefined : requireLiteral(this, "hostIndexes", props.hostIndexes),
    });
    for (const slot of slots) {
      const scopeOfSlot = new Construct(this, `Server${slot.index}`);
      const ipv6Address = slot.address.render(vpc.renderer);
      const serverName = `${name}-${slot.index}`;
      const eni = new aws.NetworkInterface(scopeOfSlot, "NetworkInterface", {
        subnetId: vpc.serverSubnetId(slot.zone.name, tier),
        // `ipv6_addresses`: provider 5.100.0 ignores `ipv6_address_list` on create
        // (hashicorp/terraform-provider-aws#41951), leaving the server without its address.
        ipv6Addresses: [ipv6Address],
        // The fleet's group, plus the server's own once a service publishes it.
        securityGroups: Lazy.listValue({ produce: () => [this.securityGroup.id, ...(this.serverGroups.has(slot.index) ? [this.serverGroups.get(slot.index)!.group.id] : [])] }),
        description: `${this.node.path} server ${slot.index}: fixed IPv6 address`,
        tags: { ...tags, Name: serverName },
      });
      const instance = instanceOnInterface(scopeOfSlot, "Instance", this.launchTemplate, eni, { ...tags, Name: serverName });
      this.slots.push(new FleetServer(this, slot.index, slot.zone, slot.address, ipv6Address, eni, instance));
    }
  }

  /** Whether servers have fixed addresses (and so can be published). */
  get hasFixedAddresses(): boolean {
    return this.autoScalingGroup === undefined;
  }

  /** All server slots, in order (empty in autoscaled mode). */
  get servers(): FleetServer[] {
    return [...this.slots];
  }

  /** Server slot `index`. Autoscaled fleets have no fixed addresses, so no slots. */
  server(index: number): FleetServer {
    checkValue(this, "server", int({ min: 0, expected: "a server index (a whole number from 0)" }), index);
    if (!this.hasFixedAddresses) {
      fail(
        propOf(this, "server"),
        index,
        "this fleet is autoscaled: its servers have no fixed addresses, so none can be published or pointed at",
        "publish a fleet created with servers: N (fixed addresses)",
      );
    }
    const slot = this.slots.find((s) => s.index === index);
    if (!slot) fail(propOf(this, "server"), index, `is not a server of this fleet (servers ${this.slots.map((s) => s.index).join(", ")})`, "pick an existing server");
    return slot;
  }

  /** Server `ordinal` of `zone` (its j-th server there, counting from 0, in the order of indexes). */
  serverIn(zone: string, ordinal: number): FleetServer {
    checkValue(this, "serverIn.ordinal", int({ min: 0, expected: "a server ordinal (a whole number from 0)" }), ordinal);
    const inZone = this.slots.filter((s) => s.zone.name === zone);
    if (!inZone.length) fail(propOf(this, "serverIn.zone"), zone, "holds no server of this fleet", `use one of ${[...new Set(this.slots.map((s) => s.zone.name))].join(", ")}`);
    const slot = inZone[ordinal];
    if (!slot) fail(propOf(this, "serverIn.ordinal"), ordinal, `${zone} holds servers 0 to ${inZone.length - 1} of this fleet`, "pick an existing server");
    return slot;
  }

  /** Allows `port` in from an IPv6 prefix or a managed prefix list. */
  allowInbound(id: string, options: FleetIngressOptions): VpcSecurityGroupIngressRule {
    checkOptions(this, `allowInbound(${id})`, "FleetIngressOptions", FLEET_INGRESS, options);
    const port = options.port.check(propOf(this, `allowInbound(${id}).port`));
    if ((options.ipv6Cidr === undefined) === (options.prefixList === undefined)) {
      fail(propOf(this, `allowInbound(${id})`), options.description, "needs exactly one source", "give ipv6Cidr or prefixList");
    }
    // A prefix list counts as its max_entries (always a literal when this library creates it).
    this.ingressWeights.push(options.prefixList ? (options.prefixList.maxEntriesInput ?? 1) : 1);
    this.rules.push(options);
    return addIngress(this, this.securityGroup.id, portIngress(id, port, "ipv6", options.prefixList ? { prefixListId: options.prefixList.id } : { cidr: options.ipv6Cidr! }, options.description));
  }

  /**
   * Allows `port` in to one server only, through a security group of its own (created on first
   * use, attached beside the fleet's): how a published service opens exactly its own ports on its
   * own target, and nothing on the fleet's other servers (docs/DESIGN.md invariant 16).
   */
  allowInboundToServer(server: FleetServer, id: string, options: ServerIngressOptions): VpcSecurityGroupIngressRule {
    const port = options.port.check(propOf(this, `allowInboundToServer(${id}).port`));
    if ((options.ipv6Cidr === undefined) === (options.prefixList === undefined)) {
      fail(propOf(this, `allowInboundToServer(${id})`), options.description, "needs exactly one source", "give ipv6Cidr or prefixList");
    }
    const own = this.serverGroup(server);
    own.weights.push(options.prefixList ? (options.prefixList.maxEntriesInput ?? 1) : 1);
    own.rules.push(options);
    return addIngress(own.group, own.group.id, portIngress(id, port, "ipv6", options.prefixList ? { prefixListId: options.prefixList.id } : { cidr: options.ipv6Cidr! }, options.description));
  }

  /** Allows one server to start traffic to a prefix list (its service's translators: IPv4 it sends from its public address). */
  allowOutboundFromServer(server: FleetServer, id: string, prefixList: PrefixListReference, description: string): VpcSecurityGroupEgressRule {
    const own = this.serverGroup(server);
    return new aws.VpcSecurityGroupEgressRule(own.group, id, { securityGroupId: own.group.id, ipProtocol: "-1", prefixListId: prefixList.id, description });
  }

  /** Inbound rules added with allowInbound (besides the ICMPv6 packet-too-big rule): every server's. */
  get inboundRules(): readonly FleetIngressOptions[] {
    return [...this.rules];
  }

  /** Inbound rules of one server's own group (what its published services opened). */
  serverInboundRules(server: FleetServer): readonly ServerIngressOptions[] {
    return [...(this.serverGroups.get(server.index)?.rules ?? [])];
  }

  /** Inbound rules of the fleet's group and of each server's own, weighted as AWS counts them against the quota. */
  ingressRuleCounts(): SecurityGroupRuleCount[] {
    return [
      { group: this.securityGroup.node.path, ipv4: 0, ipv6: this.ingressWeights.reduce((a, b) => a + b, 0) },
      ...[...this.serverGroups.values()].map((g) => ({ group: g.group.node.path, ipv4: 0, ipv6: g.weights.reduce((a, b) => a + b, 0) })),
    ];
  }

  private serverGroup(server: FleetServer): { group: SecurityGroup; weights: number[]; rules: ServerIngressOptions[] } {
    if (server.fleet !== this) throw new Error(`internal: ${server.fleet.node.path} server ${server.index} is not a server of ${this.node.path}`);
    let own = this.serverGroups.get(server.index);
    if (!own) {
      const group = new aws.SecurityGroup(this.node.findChild(`Server${server.index}`), "PublishedSecurityGroup", {
        namePrefix: `${this.name}-${server.index}-`,
        description: `Published services of ${this.node.path} server ${server.index}`,
        vpcId: this.vpc.vpcId,
        tags: { ...this.tags, Name: `${this.name}-${server.index}` },
        lifecycle: { createBeforeDestroy: true },
      });
      own = { group, weights: [], rules: [] };
      this.serverGroups.set(server.index, own);
    }
    return own;
  }

  private createAutoScalingGroup(capacity: FleetAutoScaling, zones: string[], tier: string, vpc: IIpv6OnlyVpc, name: string): AutoscalingGroup {
    const where = propOf(this, "autoScaling");
    const desired = capacity.desiredCapacity ?? capacity.minCapacity;
    if (!Number.isInteger(capacity.minCapacity) || capacity.minCapacity < 0 || !Number.isInteger(capacity.maxCapacity) || capacity.maxCapacity < Math.max(1, capacity.minCapacity)) {
      fail(where, capacity, "needs whole numbers with 0 <= minCapacity <= maxCapacity and maxCapacity >= 1", `lower minCapacity to ${capacity.maxCapacity} or less, or raise maxCapacity`);
    }
    if (!Number.isInteger(desired) || desired < capacity.minCapacity || desired > capacity.maxCapacity) {
      fail(propOf(this, "autoScaling.desiredCapacity"), desired, `must lie between minCapacity ${capacity.minCapacity} and maxCapacity ${capacity.maxCapacity}`, "give a desiredCapacity in that range, or leave it unset (it defaults to minCapacity)");
    }
    zones.forEach((z, i) => vpc.plan.zone(z, propOf(this, `zones[${i}]`)));
    return new aws.AutoscalingGroup(this, "AutoScalingGroup", {
      namePrefix: `${name}-`,
      minSize: capacity.minCapacity,
      maxSize: capacity.maxCapacity,
      desiredCapacity: desired,
      vpcZoneIdentifier: zones.map((z) => vpc.serverSubnetId(z, tier)),
      launchTemplate: { id: this.launchTemplate.id, version: "$Latest" },
      healthCheckType: "EC2",
      tag: [{ key: "Name", value: name, propagateAtLaunch: true }],
    });
  }
}
