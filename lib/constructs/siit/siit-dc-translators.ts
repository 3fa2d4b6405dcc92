import type { Ec2ManagedPrefixList } from "@cdktf/provider-aws/lib/ec2-managed-prefix-list";
import type { Eip } from "@cdktf/provider-aws/lib/eip";
import type { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { EipAssociation } from "@cdktf/provider-aws/lib/eip-association";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { Annotations, dependable, Fn, makeUniqueId, Op, ref, TerraformLocal, TerraformStack, Token } from "../../cdktf";
import { checkIpv6OnlyInstanceType, ipv4AddressesPerInterface } from "../../plan/aws/instance-types";
import { documentationBindings, SymbolicIpv6Address } from "../../plan/address/symbolic";
import { at, fail, formatPlanError } from "../../plan/errors";
import { EamHairpinMode, joolFileText } from "../../plan/jool/config";
import { validateJoolFile } from "../../plan/jool/validate";
import { renderPathReport } from "../../plan/report/path-report";
import { ruleBudgetProblems, SecurityGroupRuleCount, TRANSLATOR_IPV4_EGRESS_BASELINE, translatorIngress } from "../../plan/security-groups";
import { PublicAddressInput, PublicAddressSlot } from "../../plan/siit/public-addresses";
import { TranslationPlan, TranslatorPlan } from "../../plan/siit/translation-plan";
import { ambiguousLiveInstanceMessage, LAUNCH_IMAGE_TAG, LAUNCH_VERSION_TAG, LIVE_INSTANCE_STATES, liveInstanceFilters, RolloutPace, StagedLaunch, stageRollout, TranslatorLaunch } from "../../plan/siit/staged-rollout";
import { latestVersionOf } from "../compute/hardened-instance";
import { MachineImage } from "../compute/machine-image";
import { brand } from "../core/brand";
import { movedFrom } from "../core/moved";
import { attribute, once } from "../core/once";
import { checkPublishInput, checkTranslatorsInput } from "../core/input-checks";
import { regionOf } from "../core/region";
import { addIngress } from "../core/security-group-rules";
import { propOf, requireLiteral } from "../core/validate";
import { FleetServer, Ipv6ServerFleet } from "../fleet/ipv6-server-fleet";
import { JoolConfigStore } from "../jool/config-store";
import { JoolNodeMonitoring } from "../jool/jool-node";
import { Ipv6OnlyVpc } from "../network/ipv6-only-vpc";
import { fragmentKey } from "../../plan/jool/fragments";
import { SharedTranslatorSet } from "../../plan/siit/platform-manifest";
import { TeamInput } from "../../plan/siit/teams";
import { PublicAddressInventory } from "./address-inventory";
import { TeamPlatform } from "./team-platform";
import { interfaceId, Translator } from "./translator";

export { Translator } from "./translator";
import { checkEipQuota } from "./eip-quota";
import { PublishedService, publishService, resolvePublishTarget, ServiceOwner, ServicePublishOptions } from "./published-service";
import { aws } from "../core/aws";

/** What an instance launched before the SiitDcImage tag existed reads as (taken to run the desired image). */
const UNTAGGED = "untagged";

/** Props of {@link SiitDcTranslators}. */
export interface SiitDcTranslatorsProps {
  /** The VPC whose edge subnets hold the translators and whose server route tables get their /96 routes. */
  readonly vpc: Ipv6OnlyVpc;

  /**
   * Instance type of every translator. Its interface's IPv4 address limit caps the service
   * addresses one translator carries (c7gn.medium: 3, c7gn.large: 9, c7gn.xlarge: 14).
   * @default "c7gn.medium"
   */
  readonly instanceType?: string;

  /**
   * Zones with translators.
   * @default - every zone of the VPC
   */
  readonly zones?: string[];

  /**
   * Translators per zone. Adding translators never moves a service: services stay on the
   * translators they name (by default ordinal 0 of each zone).
   * @default 1
   */
  readonly translatorsPerZone?: number;

  /**
   * The /48 the translators' /96 pool6 prefixes are carved from: translator (zone slot z,
   * ordinal o) owns <prefix>:z:0:o::/96. Must not overlap 64:ff9b::/96 (the NAT64's) or the VPC.
   * @default "64:ff9b:1::/48" (RFC 8215 local-use)
   */
  readonly translationPrefix?: string;

  /**
   * The image. Debian 12 installs Jool at boot; a baked image (see JoolImage) skips that.
   * @default MachineImage.debian12()
   */
  readonly image?: MachineImage;

  /**
   * Edge host index of each zone's translator 0 (its primary IPv4 and its IPv6 in the edge
   * subnet); translator o takes firstHostIndex + o. Give each translator set of a VPC its own.
   * @default 10
   */
  readonly firstHostIndex?: number;

  /**
   * Jool `lowest-ipv6-mtu`: at least 1500 (the internet path behind the internet gateway).
   * @default 1500
   */
  readonly lowestIpv6Mtu?: number;

  /**
   * Jool `eam-hairpin-mode`.
   * @default EamHairpinMode.INTRINSIC
   */
  readonly eamHairpinMode?: EamHairpinMode;

  /**
   * Private IPv4 addresses per interface for instance types missing from the library's table,
   * e.g. `{ "c8gn.large": 10 }`.
   * @default - the table only
   */
  readonly ipv4AddressesPerInterface?: Record<string, number>;

  /**
   * Where configuration objects live.
   * @default - a new JoolConfigStore
   */
  readonly configStore?: JoolConfigStore;

  /**
   * Alarm settings of every translator (recovery alarms always exist).
   * @default - health alarms without actions; 1000 drops per 5 minutes
   */
  readonly monitoring?: JoolNodeMonitoring;

  /**
   * Region, for the EC2 recovery alarm actions.
   * @default - the region of the stack's AWS provider
   */
  readonly region?: string;

  /**
   * The public IPv4 addresses, declared by stable ids; each service uses the addresses of its
   * number. A declared address outlives its service: removing a service leaves its addresses
   * reserved (a synth warning names them and their monthly cost) until the declaration is
   * deleted, which is how an address is released. Renaming or renumbering a service keeps its
   * EIPs (renumbering re-associates them).
   * @default - each published service address gets its own EIP, named by the service number:
   *   renaming keeps it, but removing or renumbering the service releases it
   */
  readonly publicAddresses?: PublicAddress[];

  /**
   * How a new image or instance type reaches the translators. By default (no `rollout`, or
   * `rollout` without `allAtOnce`) the change is staged by Terraform's plan, from what runs live:
   * a translator takes the new `image`/`instanceType` only when every translator of every earlier
   * zone (by zone letter) already runs its own new settings (instance `running`); otherwise it
   * keeps what its instance runs now. Each apply therefore replaces the translators of at most one
   * zone: change `image`, then apply once per zone, waiting for the zone's health checks in between.
   * `zones` with `image`/`instanceType` gives only those zones new settings (a canary);
   * `allAtOnce: true` replaces every zone's translators in one apply.
   * @default - `image` and `instanceType` everywhere, staged one zone per apply
   */
  readonly rollout?: TranslatorRollout;

  /**
   * Whether Terraform may destroy or replace a translator's network interface (which carries its
   * service addresses; replacing it drops every association on it, though the EIPs stay). Off by
   * default, so a plan that would replace one (a new VPC IPv4 block or `firstHostIndex`, fewer
   * translators, another subnet) fails with `prevent_destroy` naming the interface; set it for
   * the one apply that should do so, e.g. removing translators or destroying the stack.
   * @default false
   */
  readonly allowInterfaceReplacement?: boolean;

  /**
   * Service teams, each publishing its services from its own stack or app (SiitDcTeam). A team
   * gets a range of service numbers (whole /28s of every edge subnet, delegated to every
   * translator interface as an IPv4 prefix, one interface address each), server tiers for its
   * fleets, a security group on every translator interface whose rules its stack owns, and an IAM
   * policy for its deployments (`teamDeployPolicy`). Adding a team takes one platform apply, in
   * place (no interface, EIP or association of the platform changes); after that its services need
   * none: an EIP can be associated with an address of a delegated prefix. The platform's own
   * services must use numbers outside every team's range.
   * @default - none
   */
  readonly teams?: TranslatorTeam[];

  /**
   * Tags for every resource.
   * @default - Name and Service tags only
   */
  readonly tags?: Record<string, string>;
}

/** How new launch settings reach the translators (SiitDcTranslatorsProps.rollout). */
export interface TranslatorRollout {
  /**
   * Zones whose translators run `image`/`instanceType` of this rollout; the others keep the set's.
   * @default - every zone of the set
   */
  readonly zones?: string[];
  /**
   * The new image.
   * @default - the set's image
   */
  readonly image?: MachineImage;
  /**
   * The new instance type; its interface must hold at least as many addresses as the set's.
   * @default - the set's instance type
   */
  readonly instanceType?: string;
  /**
   * Replace the translators of every zone in the same apply (every service address is down at
   * once while they boot). Without it a change is staged: at most one zone per apply, decided at
   * plan time from the instances that run live (read with the `aws_instances` and `aws_instance`
   * data sources).
   * @default false
   */
  readonly allAtOnce?: boolean;
}

/** A service team of a translator set (see SiitDcTranslatorsProps.teams). */
export type TranslatorTeam = TeamInput;

/** A declared public address of a translator set (see SiitDcTranslatorsProps.publicAddresses). */
export type PublicAddress = PublicAddressInput;

/** Options of {@link SiitDcTranslators.publish}. */
export interface PublishOptions extends ServicePublishOptions {
  /**
   * Translators that carry the service, at most one per zone; one public IPv4 address each.
   * @default - translator 0 of every zone of the set (one address per zone)
   */
  readonly translators?: Translator[];
}

/**
 * Stateless SIIT-DC border relays (RFC 7755) running Jool: by default one per zone, each with its
 * own /96 and the EAM entries of the addresses on its own interface. `publish` maps a server's
 * IPv6 address 1:1 to one public IPv4 address per carrying translator.
 */
export class SiitDcTranslators extends Construct {
  /** The VPC the translators live in. */
  readonly vpc: Ipv6OnlyVpc;
  /** The translation plan: translators, their /96s, services and Jool files (pure, no cdktf). */
  readonly plan: TranslationPlan;
  /** Every translator of the set, zone by zone (`translator(zone, ordinal)` finds one). */
  readonly translators: Translator[];
  /** The security group shared by the set's translator interfaces. */
  readonly securityGroup: SecurityGroup;
  /** All translator prefixes, for security group rules on servers (referenced once per port). */
  readonly prefixList: Ec2ManagedPrefixList;
  /** The S3 bucket that holds each translator's Jool file. */
  readonly configStore: JoolConfigStore;
  private readonly services: PublishedService[] = [];
  private readonly addresses: PublicAddressInventory;
  private readonly teamGroups: Map<string, SecurityGroup>;
  private readonly teamPolicies: Map<string, IamPolicy>;
  private readonly instanceType: string;
  private readonly firstHostIndex: number;
  private readonly fleets = new Set<Ipv6ServerFleet>();
  private readonly tags: Record<string, string>;
  /** The Jool version of the translators' image, which their files are validated for. */
  private readonly joolVersionOf: (plan: TranslatorPlan) => string;

  constructor(scope: Construct, id: string, props: SiitDcTranslatorsProps) {
    super(scope, id);
    brand(this, "SiitDcTranslators");
    checkTranslatorsInput(this, props);
    this.vpc = props.vpc;
    const vpc = props.vpc;
    this.tags = props.tags ?? {};
    const instanceType = requireLiteral(this, "instanceType", props.instanceType ?? "c7gn.medium");
    this.instanceType = instanceType;
    this.firstHostIndex = requireLiteral(this, "firstHostIndex", props.firstHostIndex ?? 10);
    checkIpv6OnlyInstanceType(instanceType, propOf(this, "instanceType"));
    this.plan = new TranslationPlan({
      path: this.node.path,
      vpc: vpc.plan,
      zones: requireLiteral(this, "zones", props.zones ?? vpc.availabilityZones),
      translatorsPerZone: requireLiteral(this, "translatorsPerZone", props.translatorsPerZone ?? 1),
      translationPrefix: requireLiteral(this, "translationPrefix", props.translationPrefix ?? "64:ff9b:1::/48"),
      instanceType,
      ipv4AddressesPerInterface: props.ipv4AddressesPerInterface,
      lowestIpv6Mtu: requireLiteral(this, "lowestIpv6Mtu", props.lowestIpv6Mtu ?? 1500),
      eamHairpinMode: props.eamHairpinMode ?? EamHairpinMode.INTRINSIC,
      firstHostIndex: this.firstHostIndex,
      publicAddresses: props.publicAddresses === undefined ? undefined : requireLiteral(this, "publicAddresses", props.publicAddresses),
      teams: props.teams === undefined ? undefined : requireLiteral(this, "teams", props.teams),
    });
    const name = `${vpc.name}-${id.toLowerCase()}`;
    this.configStore = props.configStore ?? new JoolConfigStore(this, "ConfigStore", { tags: this.tags });

    this.securityGroup = new aws.SecurityGroup(this, "SecurityGroup", {
      namePrefix: `${name}-`,
      description: `SIIT-DC translators of ${this.node.path}`,
      vpcId: vpc.vpc.id,
      tags: { ...this.tags, Name: name },
      lifecycle: { createBeforeDestroy: true },
    });
    this.translatorSecurityGroupBaseline();
    // Each team's group sits on every translator interface; the team's own stack adds its rules.
    this.teamGroups = new Map(
      this.plan.teams.map((team) => [
        team.name,
        new aws.SecurityGroup(new Construct(this, `Team-${team.name}`), "SecurityGroup", {
          namePrefix: `${name}-${team.name}-`,
          description: `Published ports of team ${team.name} on the SIIT-DC translators of ${this.node.path}`,
          vpcId: vpc.vpc.id,
          tags: { ...this.tags, Name: `${name}-${team.name}`, Team: team.name },
          lifecycle: { createBeforeDestroy: true },
        }),
      ]),
    );

    const region = regionOf(this, props.region);
    const launch = this.launchSettings(props, instanceType);
    // Each file is validated for the Jool its translator runs (a rollout may bring another).
    this.joolVersionOf = (plan) => launch(plan).image.joolVersion;
    // Filled in once every translator exists (each one's staging reads earlier zones' translators).
    const launchTags = new Map<string, Record<string, string>>();
    this.translators = this.plan.translators.map(
      (plan) =>
        new Translator(this, `Translator-${plan.id}`, {
          set: this,
          plan,
          ...launch(plan),
          securityGroup: this.securityGroup,
          store: this.configStore,
          region,
          monitoring: props.monitoring ?? {},
          tags: this.tags,
          protectInterface: !(props.allowInterfaceReplacement ?? false),
          launchTags: () => launchTags.get(plan.id)!,
          teamGroups: this.plan.teams.length ? [...this.teamGroups.values()].map((g) => g.id) : undefined,
        }),
    );
    this.stageLaunchSettings(props.rollout?.allAtOnce ? "all-at-once" : "zone-by-zone", launch, launchTags);
    this.prefixList = new aws.Ec2ManagedPrefixList(this, "TranslatorPrefixes", {
      name: `${name}-translation-prefixes`,
      addressFamily: "IPv6",
      // A reference counts as max_entries rules in a security group: no headroom.
      maxEntries: this.plan.translators.length,
      entry: this.plan.translators.map((t) => ({ cidr: t.prefix.toString(), description: `pool6 of translator ${t.id}` })),
      tags: { ...this.tags, Name: name },
    });

    if (!this.plan.serverEgressBlocksTranslators()) {
      Annotations.of(this).addWarning(
        `translationPrefix ${this.plan.home} is global unicast, inside the 2000::/3 that fleet security groups let servers reach: ` +
          "servers can start IPv4 traffic through these translators, leaving from service addresses (invariant 17). Use 64:ff9b:1::/48 (RFC 8215) to keep that off.",
      );
    }
    this.addresses = new PublicAddressInventory(this, this.plan, this.tags);

    this.teamPolicies = new Map(this.plan.teams.map((team) => [team.name, this.createTeamDeployPolicy(team.name)]));
    checkEipQuota(this);
    this.node.addValidation({ validate: () => this.validateWholeSet() });
  }

  /** Translator `ordinal` (default 0) of `zone`. */
  translator(zone: string, ordinal = 0): Translator {
    const plan = this.plan.translator(zone, ordinal, propOf(this, "translator"));
    return this.translators.find((t) => t.plan === plan)!;
  }

  /**
   * What this set shares with service team `name` (one of `teams`), for a SiitDcTeam in another
   * stack of this app: its references to this set become cross-stack references, so the team's
   * stack is applied after this one.
   */
  forTeam(name: string): TeamPlatform {
    const origin = propOf(this, "forTeam");
    const team = this.sharedSet().teams.find((t) => t.name === name);
    if (!team) fail(origin, name, `is not a team of this set (teams: ${this.plan.teams.map((t) => t.name).join(", ") || "none"})`, `add { name: "${name}", firstNumber: ... } to teams`);
    return TeamPlatform.ofConstructs({ platform: TerraformStack.of(this).node.id, set: this.sharedSet(), team, vpc: this.vpc, translatorPlans: this.plan.translators });
  }

  /** The set as teams see it (SharedTranslatorSet of the platform manifest; ids are tokens). */
  sharedSet(): SharedTranslatorSet {
    return once(this, "sharedSet", () => ({
      path: this.node.path,
      name: `${this.vpc.name}-${this.node.id.toLowerCase()}`,
      settings: {
        zones: this.plan.zonesWithTranslators(),
        translatorsPerZone: this.plan.translators.filter((t) => t.zone === this.plan.translators[0].zone).length,
        translationPrefix: this.plan.home.toString(),
        instanceType: this.instanceType,
        firstHostIndex: this.firstHostIndex,
        ipv4AddressesPerInterface: this.plan.addressLimit + 1,
      },
      translators: this.translators.map((t) => ({ id: t.plan.id, interfaceId: interfaceId(t), configKey: t.configKey })),
      prefixList: { id: this.prefixList.id, maxEntries: this.plan.translators.length },
      configBucket: { name: this.configStore.bucket.bucket, arn: this.configStore.bucket.arn },
      teams: this.plan.teams.map((team) => ({
        name: team.name,
        firstNumber: team.firstNumber,
        numberCount: team.lastNumber - team.firstNumber + 1,
        tiers: team.tiers,
        securityGroupId: this.teamGroups.get(team.name)!.id,
        deployPolicyArn: this.teamPolicies.get(team.name)!.arn,
      })),
    }));
  }

  /** The IAM policy of a team's deployments: attach it to the role that applies the team's stack. */
  teamDeployPolicy(name: string): IamPolicy {
    const policy = this.teamPolicies.get(name);
    if (!policy) fail(propOf(this, "teamDeployPolicy"), name, `is not a team of this set (teams: ${this.plan.teams.map((t) => t.name).join(", ") || "none"})`, "name one of teams");
    return policy;
  }

  /** Every published service, in publish order. */
  get publishedServices(): PublishedService[] {
    return [...this.services];
  }

  /**
   * Publishes `target` (a fleet server, a literal IPv6 address, or a plan address of this VPC) to
   * IPv4 clients as service `name`: one EIP per carrying translator, each mapped 1:1 (EAM) to the
   * target, plus security group rules and optional DNS.
   */
  publish(name: string, target: FleetServer | string | SymbolicIpv6Address, options: PublishOptions): PublishedService {
    checkPublishInput(this, name, target, options);
    const origin = propOf(this, `publish(${name})`);
    const { address, server } = resolvePublishTarget(this, this.vpc, target, at(origin, ".target"));
    const carriers = (options.translators ?? this.plan.zonesWithTranslators().map((z) => this.translator(z, 0))).map((t, i) => {
      if (!this.translators.includes(t)) fail(at(origin, `.translators[${i}]`), t.node.path, "is not a translator of this set", "pick translators with this set's translator()");
      return t.plan;
    });
    if (server) this.fleets.add(server.fleet);
    const service = publishService(this.serviceOwner(), this.plan, { origin, name, target: address, server, carriers }, options);
    this.services.push(service);
    return service;
  }

  /** How this set's publications are materialized (shared with teams' publications). */
  private serviceOwner(): ServiceOwner {
    return once(this, "serviceOwner", () => ({
      scope: this,
      renderer: this.vpc.renderer,
      tags: this.tags,
      ruleIdPrefix: this.node.id,
      translatorsDescription: `the SIIT-DC translators of ${this.node.path}`,
      prefixList: this.prefixList,
      translatorGroup: { scope: this, id: this.securityGroup.id },
      interfaceOf: (plan: TranslatorPlan) => {
        const t = this.translators.find((x) => x.plan === plan)!;
        // The secondary address must exist on the interface first. One dependency token per
        // interface, not one per association (as `dependsOn: [networkInterface]` would make).
        return { id: interfaceId(t), ready: once(t.networkInterface, "dependable", () => dependable(t.networkInterface)) };
      },
      eipOf: (slot: PublicAddressSlot, preventDestroy: boolean, tags: Record<string, string>) => this.addresses.eipOf(slot, preventDestroy, tags),
      addressScope: (slot: PublicAddressSlot) => this.addresses.addressScope(slot),
      onAddress: (service: string, zone: string, eip: Eip, association: EipAssociation) => {
        // Before 0.2 the EIP and its association were named by the service: follow them here.
        if (!this.plan.publicAddresses) {
          movedFrom(eip, `aws_eip.${this.legacyId(service, zone, "Eip")}`);
          movedFrom(association, `aws_eip_association.${this.legacyId(service, zone, "Association")}`);
        }
      },
    }));
  }

  /**
   * What a team's deployments may do on the platform's resources, and nothing more: write its own
   * fragment beside each translator's configuration, manage rules of its own group, and
   * associate addresses on the translators' interfaces (EC2 cannot scope an association to the
   * team's /28; the translators' config agent refuses a fragment with addresses outside it).
   */
  private createTeamDeployPolicy(team: string): IamPolicy {
    const bucket = this.configStore.bucket.arn;
    return new aws.IamPolicy(this.node.findChild(`Team-${team}`), "DeployPolicy", {
      namePrefix: `siit-dc-team-${team}-`,
      description: `Deployments of team ${team} on the SIIT-DC translators of ${this.node.path}`,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "OwnJoolFragments", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"], Resource: this.translators.map((t) => `${bucket}/${fragmentKey(t.configKey, team)}`) },
          {
            Sid: "OwnTranslatorRules",
            Effect: "Allow",
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress"],
            Resource: `arn:aws:ec2:*:*:security-group/${this.teamGroups.get(team)!.id}`,
          },
          { Sid: "AssociateOnTranslators", Effect: "Allow", Action: ["ec2:AssociateAddress", "ec2:DisassociateAddress"], Resource: [...this.translators.map((t) => `arn:aws:ec2:*:*:network-interface/${interfaceId(t)}`), "arn:aws:ec2:*:*:elastic-ip/*"] },
        ],
      }),
      tags: { ...this.tags, Team: team },
    });
  }

  /** Which image and instance type each translator runs (the rollout's in its zones). */
  private launchSettings(props: SiitDcTranslatorsProps, instanceType: string): (plan: TranslatorPlan) => { image: MachineImage; instanceType: string } {
    const image = props.image ?? MachineImage.debian12();
    const rollout = props.rollout;
    if (!rollout) return () => ({ image, instanceType });
    const origin = propOf(this, "rollout");
    const zones = rollout.zones === undefined ? this.plan.zonesWithTranslators() : requireLiteral(this, "rollout.zones", rollout.zones);
    zones.forEach((z, i) => {
      if (!this.plan.zonesWithTranslators().includes(z)) fail(at(origin, `.zones[${i}]`), z, "has no translators of this set", `use one of ${this.plan.zonesWithTranslators().join(", ")}`);
    });
    const nextType = rollout.instanceType === undefined ? instanceType : requireLiteral(this, "rollout.instanceType", rollout.instanceType);
    checkIpv6OnlyInstanceType(nextType, at(origin, ".instanceType"));
    const holds = ipv4AddressesPerInterface(nextType, at(origin, ".instanceType"), props.ipv4AddressesPerInterface) - 1;
    if (holds < this.plan.addressLimit) {
      fail(at(origin, ".instanceType"), nextType, `holds ${holds} secondary IPv4 addresses per interface, fewer than ${instanceType} (${this.plan.addressLimit})`, "roll out a type whose interface holds at least as many addresses");
    }
    return (plan) => (zones.includes(plan.zone.name) ? { image: rollout.image ?? image, instanceType: nextType } : { image, instanceType });
  }

  /**
   * Staged rollout (lib/plan/siit/staged-rollout.ts): every launch template takes the desired
   * image and type (a new template version); an instance follows its template's latest version
   * only when every translator of the earlier zones runs its own desired settings live, and
   * otherwise stays on the version it was launched from, read at plan time from its tags.
   * Interfaces and EIPs are not involved.
   */
  private stageLaunchSettings(pace: RolloutPace, launch: (plan: TranslatorPlan) => { image: MachineImage; instanceType: string }, instanceTags: Map<string, Record<string, string>>): void {
    const byId = new Map(this.translators.map((t) => [t.plan.id, t]));
    const desired = (plan: TranslatorPlan): TranslatorLaunch => {
      const l = launch(plan);
      // Already validated by the translator's launch template; resolving again only reads the reference.
      return { imageId: l.image.resolve(byId.get(plan.id)!, l.instanceType).imageId, instanceType: l.instanceType };
    };
    const stages = stageRollout(this.plan.translators, desired, pace);
    const live = new Map<string, { none: string; tags: string; type: string; state: string }>();
    for (const s of stages.filter((s) => s.observed)) {
      const t = byId.get(s.translator.id)!;
      const name = t.translatorName;
      const found = new aws.DataAwsInstances(t, "LiveInstances", {
        filter: liveInstanceFilters(s.translator, name),
        instanceStateNames: LIVE_INSTANCE_STATES,
        lifecycle: { postcondition: [{ condition: "${length(self.ids) <= 1}", errorMessage: ambiguousLiveInstanceMessage(s.translator, name) }] },
      });
      const instance = new aws.DataAwsInstance(t, "LiveInstance", {
        count: Token.asNumber(ref(`length(${found.fqn}.ids) > 0 ? 1 : 0`)),
        instanceId: Token.asString(ref(`${found.fqn}.ids[0]`)),
      });
      const one = `data.aws_instance.${instance.friendlyUniqueId}[0]`;
      live.set(s.translator.id, { none: `length(data.aws_instances.${found.friendlyUniqueId}.ids) == 0`, tags: `${one}.tags`, type: `${one}.instance_type`, state: `${one}.instance_state` });
    }
    // An instance launched before these tags existed is taken to run the desired image.
    const liveImage = (l: { tags: string }) => ref(`lookup(${l.tags}, "${LAUNCH_IMAGE_TAG}", "${UNTAGGED}")`);
    // Whether a translator runs what it should, and whether a zone's stage may advance, are locals
    // computed once: inlined in every later translator's expressions they grew with the square of
    // the translators (cdktf resolves every use of a token anew).
    const stageOf = new Map(stages.map((s) => [s.translator.id, s]));
    const runsDesired = new Map<string, TerraformLocal>();
    const runsDesiredOf = (u: StagedLaunch): TerraformLocal => {
      if (!runsDesired.has(u.translator.id)) {
        const l = live.get(u.translator.id)!;
        // try(): with no live instance the counted data source has no element [0].
        const test = Fn.try([Op.and(Op.and(Op.eq(ref(l.state), "running"), Op.eq(ref(l.type), u.desired.instanceType)), Op.or(Op.eq(liveImage(l), u.desired.imageId), Op.eq(liveImage(l), UNTAGGED))), false]);
        runsDesired.set(u.translator.id, new TerraformLocal(byId.get(u.translator.id)!, "RunsDesired", test));
      }
      return runsDesired.get(u.translator.id)!;
    };
    const gates = new Map<string, TerraformLocal>();
    const gateOf = (s: StagedLaunch): TerraformLocal => {
      const zone = s.translator.zone.name;
      if (!gates.has(zone)) gates.set(zone, new TerraformLocal(this, `RolloutGate-${zone}`, Fn.alltrue(s.waitsFor.map((u) => runsDesiredOf(stageOf.get(u.id)!).asBoolean))));
      return gates.get(zone)!;
    };
    for (const s of stages) {
      const t = byId.get(s.translator.id)!;
      const latest = latestVersionOf(t.launchTemplate);
      if (s.waitsFor.length === 0) {
        instanceTags.set(s.translator.id, { [LAUNCH_IMAGE_TAG]: s.desired.imageId, [LAUNCH_VERSION_TAG]: latest });
        continue;
      }
      const own = live.get(s.translator.id)!;
      const advance = Op.or(ref(own.none), gateOf(s).asBoolean);
      const version = Token.asString(Fn.conditional(advance, latest, Fn.try([ref(`${own.tags}["${LAUNCH_VERSION_TAG}"]`), latest])));
      const image = Token.asString(Fn.conditional(advance, s.desired.imageId, Fn.try([Fn.conditional(Op.neq(liveImage(own), UNTAGGED), liveImage(own), s.desired.imageId), s.desired.imageId])));
      t.instance.putLaunchTemplate({ id: attribute(t.launchTemplate, "id"), version });
      instanceTags.set(s.translator.id, { [LAUNCH_IMAGE_TAG]: image, [LAUNCH_VERSION_TAG]: version });
    }
  }

  /** The Terraform name a resource had under `Service-<name>/<zone>/<leaf>` (releases up to 0.1). */
  private legacyId(service: string, zone: string, leaf: string): string {
    const scopes = this.node.scopes;
    const stack = scopes.findIndex((c) => TerraformStack.isStack(c));
    const below = scopes.slice(stack + 1).map((c) => c.node.id);
    return makeUniqueId([...below, `Service-${service}`, zone, leaf]);
  }

  /**
   * How an IPv4 client's packets reach each service and come back (EIP, EAM entry, route,
   * security groups), with documentation prefixes standing in for prefixes known only at apply.
   */
  pathReport(): string {
    return renderPathReport(this.node.path, this.vpc.plan, this.plan);
  }

  private translatorSecurityGroupBaseline(): void {
    const sg = this.securityGroup.id;
    // Inbound: PMTUD and the server subnets now; each published port as it is first published.
    for (const spec of translatorIngress([], this.serverSubnetSources())) addIngress(this, sg, spec);
    // Invariant 17: IPv4 leaves a translator only in reply to clients (connection tracking
    // allows replies without an egress rule), plus path MTU errors; see allowServerInitiatedIpv4.
    const e = TRANSLATOR_IPV4_EGRESS_BASELINE;
    new aws.VpcSecurityGroupEgressRule(this, e.id, { securityGroupId: sg, ipProtocol: e.protocol, fromPort: e.fromPort, toPort: e.toPort, cidrIpv4: e.cidr, description: e.description });
    new aws.VpcSecurityGroupEgressRule(this, "AllIpv6Egress", { securityGroupId: sg, ipProtocol: "-1", cidrIpv6: "::/0", description: "Translated packets to servers; packages, S3, SSM" });
  }

  private serverSubnetSources(): { id: string; ipv6: string }[] {
    return this.vpc.serverSubnets().map((s) => ({ id: s.node.id, ipv6: s.ipv6CidrBlock }));
  }

  private validateWholeSet(): string[] {
    const problems: string[] = [];
    // Every rendered Jool file passes our validator (with documentation prefixes for unknowns).
    const bindings = documentationBindings(this.vpc.plan.ipv6Cidr.references());
    for (const t of this.plan.translators) {
      const text = joolFileText(this.plan.joolConfig(t, (a) => a.resolve(bindings).toString()));
      for (const e of validateJoolFile(text, "siit", this.joolVersionOf(t))) problems.push(`Jool configuration of translator ${t.id}: ${e}`);
    }
    // Default quota: 60 inbound rules per family per security group (prefix lists weigh max_entries).
    const budgets: SecurityGroupRuleCount[] = [
      { group: this.securityGroup.node.path, ipv4: this.plan.distinctPorts().length + 1, ipv6: this.vpc.serverSubnets().length },
      ...[...this.fleets].flatMap((f) => f.ingressRuleCounts()),
    ];
    problems.push(...ruleBudgetProblems(budgets));
    // Invariant 6: no translator in a subnet whose route table points at it.
    for (const t of this.translators) {
      const subnet = this.vpc.edgeSubnet(t.plan.zone.name);
      if (subnet.routesTo(interfaceId(t))) {
        problems.push(`${formatPlanError({ path: subnet.node.path, property: "routes", value: t.networkInterface.node.path, problem: `the edge route table of translator ${t.plan.id} routes to the translator itself`, fix: "route translation prefixes only in server route tables (Ipv6OnlyVpc.addServerRoute)" })}`);
      }
    }
    return problems;
  }
}
