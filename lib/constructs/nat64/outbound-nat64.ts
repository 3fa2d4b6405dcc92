import type { Eip } from "@cdktf/provider-aws/lib/eip";
import type { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { checkIpv6OnlyInstanceType } from "../../plan/aws/instance-types";
import { Ipv4Address } from "../../plan/address/ip";
import { SymbolicIpv6Address } from "../../plan/address/symbolic";
import { nodeConfigBundleText } from "../../plan/jool/bundle";
import { joolFileText, Nat64Config } from "../../plan/jool/config";
import { validateJoolFile } from "../../plan/jool/validate";
import { Nat64NodePlan, Nat64Plan, Pool4Range } from "../../plan/nat64/nat64-plan";
import { fromServerSubnets } from "../../plan/security-groups";
import { MachineImage } from "../compute/machine-image";
import { brand } from "../core/brand";
import { regionOf } from "../core/region";
import { addIngress } from "../core/security-group-rules";
import { checkNat64Input } from "../core/input-checks";
import { propOf, requireLiteral } from "../core/validate";
import { JoolConfigStore } from "../jool/config-store";
import { JoolNode, JoolNodeMonitoring } from "../jool/jool-node";
import { Ipv6OnlyVpc } from "../network/ipv6-only-vpc";
import { RouteTarget } from "../network/route-target";
import { checkEipQuota } from "../siit/eip-quota";
import { aws } from "../core/aws";

/** Options of {@link Nat64Provider.joolInstance}: a Jool stateful NAT64 instance per device. */
export interface JoolNat64Options {
  /**
   * Instance type (Nitro).
   * @default "t4g.small"
   */
  readonly instanceType?: string;
  /**
   * The image. Debian 12 installs Jool at boot; a baked image skips that.
   * @default MachineImage.debian12()
   */
  readonly image?: MachineImage;
  /**
   * pool4: port ranges of the node's own address per protocol.
   * @default - empty pool4: ports 61001-65535 of the node's address, every protocol
   */
  readonly pool4?: Pool4Range[];
  /**
   * Edge host index of the NAT64 instances (primary IPv4 and IPv6 of their interfaces).
   * @default 8
   */
  readonly firstHostIndex?: number;
  /**
   * Alarm settings (recovery alarms always exist).
   * @default - health alarms without actions; 1000 drops per 5 minutes
   */
  readonly monitoring?: JoolNodeMonitoring;
  /**
   * Region, for the EC2 recovery alarm actions.
   * @default - the region of the stack's AWS provider
   */
  readonly region?: string;
}

/** Which stateful NAT64 serves outbound traffic. */
export class Nat64Provider {
  /**
   * AWS NAT gateways (NAT64 is built in for 64:ff9b::/96): managed, highly available within a
   * zone, billed per hour and per GB processed.
   */
  static natGateway(): Nat64Provider {
    return new Nat64Provider("nat-gateway", {});
  }

  /** A Jool stateful NAT64 instance: cheaper at volume, operated by you (see docs/constructs.md, "OutboundNat64"). */
  static joolInstance(options: JoolNat64Options = {}): Nat64Provider {
    return new Nat64Provider("jool-instance", options);
  }

  private constructor(
    /** `nat-gateway` or `jool-instance`. */
    public readonly kind: "nat-gateway" | "jool-instance",
    /** The Jool instance options (empty for NAT gateways). */
    public readonly jool: JoolNat64Options,
  ) {}
}

/** Where the NAT64 devices live. */
export class Nat64Placement {
  /** One device per zone; each zone's servers use their own zone's (no cross-zone traffic). */
  static perZone(): Nat64Placement {
    return new Nat64Placement(undefined);
  }

  /** One device in `zone` for every zone: cheaper, but a zone failure cuts outbound IPv4 everywhere. */
  static single(zone: string): Nat64Placement {
    return new Nat64Placement(zone);
  }

  private constructor(
    /** The single device's zone; `undefined` for one device per zone. */
    public readonly zone: string | undefined,
  ) {}
}

/** Props of {@link OutboundNat64}. */
export interface OutboundNat64Props {
  /** The VPC whose server subnets get the NAT64 route and DNS64; the devices live in its edge subnets. */
  readonly vpc: Ipv6OnlyVpc;
  /**
   * The NAT64 device: AWS NAT gateways or Jool instances (see the cost comparison in docs/constructs.md, "OutboundNat64").
   * @default Nat64Provider.natGateway()
   */
  readonly provider?: Nat64Provider;
  /**
   * Zones whose servers get NAT64 and DNS64.
   * @default - every zone of the VPC
   */
  readonly zones?: string[];
  /**
   * One device per zone, or a single device for every zone.
   * @default Nat64Placement.perZone()
   */
  readonly placement?: Nat64Placement;
  /**
   * The NAT64 prefix. AWS DNS64 synthesizes only 64:ff9b::/96, so nothing else is accepted.
   * @default "64:ff9b::/96"
   */
  readonly prefix?: string;
  /**
   * Where Jool NAT64 instances fetch their configuration.
   * @default - a new JoolConfigStore (instance provider only)
   */
  readonly configStore?: JoolConfigStore;
  /**
   * Tags for every resource.
   * @default - Name tags only
   */
  readonly tags?: Record<string, string>;
}

/** One NAT64 device and the zones it serves. */
export interface Nat64Device {
  /** The device's zone and the zones it serves. */
  readonly plan: Nat64NodePlan;
  /** The public IPv4 address IPv4 hosts see. */
  readonly eip: Eip;
  /** The NAT gateway, with `Nat64Provider.natGateway()`. */
  readonly natGateway?: NatGateway;
  /** The Jool NAT64 node, with `Nat64Provider.joolInstance()`. */
  readonly node?: JoolNode;
  /** A Jool instance's planned addresses (a NAT gateway picks its own at apply). */
  readonly addresses?: {
    /** Primary private IPv4 of the node's interface. */
    readonly ipv4: Ipv4Address;
    /** IPv6 address of the node's interface. */
    readonly ipv6: SymbolicIpv6Address;
  };
  /** A Jool instance's complete Jool file. */
  readonly config?: Nat64Config;
}

/**
 * Stateful NAT64 with DNS64 for outbound traffic from IPv6-only servers to IPv4-only hosts
 * (package mirrors, vendor APIs), on 64:ff9b::/96: a different system, on a different prefix,
 * from the stateless translators that carry inbound traffic (docs/DESIGN.md invariants 1, 2, 7).
 * Every served server route table gets 64:ff9b::/96 -> its zone's device, and DNS64 in the same step.
 */
export class OutboundNat64 extends Construct {
  /** The VPC served. */
  readonly vpc: Ipv6OnlyVpc;
  /** The NAT64 plan: prefix, devices and the zones each serves. */
  readonly plan: Nat64Plan;
  /** One entry per NAT64 device. */
  readonly devices: Nat64Device[];
  /** The Jool nodes' security group (IPv6 from the server subnets only); none for NAT gateways. */
  readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: OutboundNat64Props) {
    super(scope, id);
    brand(this, "OutboundNat64");
    checkNat64Input(this, props);
    const vpc = props.vpc;
    this.vpc = vpc;
    const provider = props.provider ?? Nat64Provider.natGateway();
    const tags = props.tags ?? {};
    const name = `${vpc.name}-${id.toLowerCase()}`;
    this.plan = new Nat64Plan({
      path: this.node.path,
      vpc: vpc.plan,
      zones: requireLiteral(this, "zones", props.zones ?? vpc.availabilityZones),
      singleZone: requireLiteral(this, "placement", (props.placement ?? Nat64Placement.perZone()).zone),
      prefix: requireLiteral(this, "prefix", props.prefix ?? "64:ff9b::/96"),
    });

    if (provider.kind === "nat-gateway") {
      this.devices = this.plan.nodes.map((plan) => {
        const at = new Construct(this, plan.zone.name);
        const eip = new aws.Eip(at, "Eip", { domain: "vpc", tags: { ...tags, Name: `${name}-${plan.zone.name}` } });
        const natGateway = new aws.NatGateway(at, "NatGateway", {
          allocationId: eip.allocationId,
          subnetId: vpc.edgeSubnet(plan.zone.name).subnet.id,
          connectivityType: "public",
          tags: { ...tags, Name: `${name}-${plan.zone.name}` },
        });
        return { plan, eip, natGateway };
      });
    } else {
      const options = provider.jool;
      const instanceType = requireLiteral(this, "provider.instanceType", options.instanceType ?? "t4g.small");
      checkIpv6OnlyInstanceType(instanceType, propOf(this, "provider.instanceType"));
      const pool4 = options.pool4 ?? [];
      Nat64Plan.checkPool4(pool4, propOf(this, "provider.pool4"));
      const store = props.configStore ?? new JoolConfigStore(this, "ConfigStore", { tags });
      this.securityGroup = new aws.SecurityGroup(this, "SecurityGroup", {
        namePrefix: `${name}-`,
        description: `Jool NAT64 instances of ${this.node.path}`,
        vpcId: vpc.vpc.id,
        tags: { ...tags, Name: name },
        lifecycle: { createBeforeDestroy: true },
      });
      // IPv6 only from the server subnets; nothing inbound from the IPv4 internet but replies,
      // which connection tracking admits.
      for (const spec of fromServerSubnets(vpc.serverSubnets().map((s) => ({ id: s.node.id, ipv6: s.ipv6CidrBlock })))) addIngress(this, this.securityGroup.id, spec);
      new aws.VpcSecurityGroupEgressRule(this, "AllIpv4Egress", { securityGroupId: this.securityGroup.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Translated traffic to IPv4 hosts" });
      new aws.VpcSecurityGroupEgressRule(this, "AllIpv6Egress", { securityGroupId: this.securityGroup.id, ipProtocol: "-1", cidrIpv6: "::/0", description: "Replies to servers; packages, S3, SSM" });

      const hostIndex = requireLiteral(this, "provider.firstHostIndex", options.firstHostIndex ?? 8);
      const region = regionOf(this, options.region);
      this.devices = this.plan.nodes.map((plan) => {
        const addresses = this.plan.claimNodeAddresses(plan, hostIndex, propOf(this, "provider.firstHostIndex"));
        const config = this.plan.joolConfig(plan, addresses.ipv4, pool4);
        const problems = validateJoolFile(joolFileText(config), "nat64", (options.image ?? MachineImage.debian12()).joolVersion);
        if (problems.length) throw new Error(`internal: NAT64 configuration of ${this.node.path} in ${plan.zone.name} is invalid: ${problems.join("; ")}`);
        const node = new JoolNode(this, `Node-${plan.zone.name}`, {
          mode: "nat64",
          name: `${name}-${plan.zone.name}`,
          subnet: vpc.edgeSubnet(plan.zone.name),
          primaryIpv4: addresses.ipv4.toString(),
          ipv6: addresses.ipv6.render(vpc.renderer),
          securityGroup: this.securityGroup!,
          instanceType,
          image: options.image ?? MachineImage.debian12(),
          store,
          configKey: `nat64/${this.node.path}/${plan.zone.name}.json`,
          config: nodeConfigBundleText(config),
          region,
          monitoring: options.monitoring ?? {},
          tags,
        });
        // The public address the node's IPv4 traffic leaves with: its own resource, bound to the primary address.
        const eip = new aws.Eip(node, "Eip", { domain: "vpc", tags: { ...tags, Name: `${name}-${plan.zone.name}` } });
        new aws.EipAssociation(node, "EipAssociation", {
          allocationId: eip.allocationId,
          networkInterfaceId: node.networkInterface.id,
          privateIpAddress: addresses.ipv4.toString(),
          allowReassociation: false,
        });
        return { plan, eip, node, addresses, config };
      });
    }

    for (const device of this.devices) {
      const target = device.natGateway ? RouteTarget.natGateway(device.natGateway.id) : RouteTarget.networkInterface(device.node!.networkInterface.id);
      for (const zone of device.plan.serves) vpc.enableNat64(zone.name, target);
    }
    checkEipQuota(this);
  }
}
