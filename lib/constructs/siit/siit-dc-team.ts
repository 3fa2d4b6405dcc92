import type { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { Construct } from "constructs";
import { Annotations, Lazy, TerraformLocal, TerraformStack } from "../../cdktf";
import { SymbolicIpv6Address } from "../../plan/address/symbolic";
import { at, fail, Origin } from "../../plan/errors";
import { fragmentKey } from "../../plan/jool/fragments";
import { teamFragmentObjectText } from "../../plan/siit/translator-object";
import { EamHairpinMode } from "../../plan/jool/config";
import { SharedTranslatorSet, SharedVpc } from "../../plan/siit/platform-manifest";
import { PublicAddressSlot } from "../../plan/siit/public-addresses";
import { numberRange, planTeams, TeamPlan } from "../../plan/siit/teams";
import { MIN_LOWEST_IPV6_MTU, TranslationPlan, TranslatorPlan } from "../../plan/siit/translation-plan";
import { str } from "../../plan/props/check";
import { TEAM_PROPS, TEAM_PUBLISH_OPTIONS } from "../../plan/props/schemas";
import { aws } from "../core/aws";
import { brand } from "../core/brand";
import { checkTeamPublishInput } from "../core/input-checks";
import { checkOptions, checkProps, checkValue } from "../core/props";
import { once } from "../core/once";
import { propOf, requireLiteral } from "../core/validate";
import { FleetServer } from "../fleet/ipv6-server-fleet";
import { ImportedIpv6OnlyVpc } from "../network/imported-vpc";
import { IIpv6OnlyVpc } from "../network/ipv6-only-vpc";
import { PublicAddressInventory } from "./address-inventory";
import { checkEipQuota } from "./eip-quota";
import { PublishedService, publishService, resolvePublishTarget, ServiceOwner, ServicePublishOptions } from "./published-service";
import { PublicAddress } from "./siit-dc-translators";
import { TeamPlatform } from "./team-platform";

/** Props of {@link SiitDcTeam}. */
export interface SiitDcTeamProps {
  /**
   * What the platform shares with this team: `translators.forTeam("payments")` in the platform's
   * app, or `TeamPlatform.fromManifest(json, { team: "payments" })` in the team's own app.
   */
  readonly platform: TeamPlatform;
  /**
   * The team's public IPv4 addresses, declared by stable ids (as SiitDcTranslatorsProps.publicAddresses):
   * they outlive their services; deleting a declaration releases its addresses.
   * @default - each service address gets its own EIP, named by the service number
   */
  readonly publicAddresses?: PublicAddress[];
  /**
   * Tags for every resource the team's stack creates.
   * @default - Name, Service and Team tags only
   */
  readonly tags?: Record<string, string>;
}

/** Options of {@link SiitDcTeam.publish}. */
export interface TeamPublishOptions extends ServicePublishOptions {
  /**
   * Translators that carry the service, at most one per zone, by id (`a0`, `b0`, ...).
   * @default - translator 0 of every zone of the set
   */
  readonly translators?: string[];
}

/**
 * One service team's side of a translator set (issue 13): in the team's own stack (of the
 * platform's app, or of an app of its own), it owns its services' EIPs, their associations, DNS
 * records, health checks, the rules of its security group on the translators and of its servers'
 * groups, and one Jool fragment per translator, which the translators' config agent merges with
 * the platform's configuration. Its services take numbers of its range only; their addresses lie
 * in the /28 the platform delegated to it, so publishing needs no change to, and no apply of, the
 * platform.
 */
export class SiitDcTeam extends Construct {
  /** The team's name. */
  readonly teamName: string;
  /** The VPC its fleets use: the platform's (one app) or rebuilt from the manifest (its own app). */
  readonly vpc: IIpv6OnlyVpc;
  /** The team's side of the translation plan: its services and their addresses. */
  readonly plan: TranslationPlan;
  /** Its Jool fragment object on each translator, by translator id. */
  readonly fragments: ReadonlyMap<string, S3Object>;
  /** The platform's stack name: apply it before this stack (see the deploy-order note at synth). */
  readonly platformStack: string;
  private readonly set: SharedTranslatorSet;
  private readonly team: TeamPlan;
  private readonly securityGroupId: string;
  private readonly tags: Record<string, string>;
  private readonly addresses: PublicAddressInventory;
  private readonly services: PublishedService[] = [];

  constructor(scope: Construct, id: string, props: SiitDcTeamProps) {
    super(scope, id);
    brand(this, "SiitDcTeam");
    checkProps(this, "SiitDcTeamProps", TEAM_PROPS, props);
    const origin = propOf(this, "platform");
    const shared = props.platform.resolve(origin);
    this.set = shared.set;
    this.platformStack = shared.platform;
    this.teamName = shared.team.name;
    this.securityGroupId = shared.team.securityGroupId;
    this.tags = { ...(props.tags ?? {}), Team: shared.team.name };
    this.vpc = isVpcConstruct(shared.vpc) ? shared.vpc : importVpc(this, shared.vpc, shared.team.tiers);
    const settings = shared.set.settings;
    this.team = planTeams([{ name: shared.team.name, firstNumber: shared.team.firstNumber, numberCount: shared.team.numberCount, tiers: shared.team.tiers }], this.vpc.plan, settings.zones, origin)[0];
    this.plan = new TranslationPlan({
      path: this.node.path,
      vpc: this.vpc.plan,
      zones: settings.zones,
      translatorsPerZone: settings.translatorsPerZone,
      translationPrefix: settings.translationPrefix,
      instanceType: settings.instanceType,
      ipv4AddressesPerInterface: { [settings.instanceType]: settings.ipv4AddressesPerInterface },
      // Jool's globals are the platform's; a team's fragment carries EAM entries and filter data only.
      lowestIpv6Mtu: MIN_LOWEST_IPV6_MTU,
      eamHairpinMode: EamHairpinMode.INTRINSIC,
      firstHostIndex: settings.firstHostIndex,
      translators: shared.translatorPlans,
      team: this.team,
      publicAddresses: props.publicAddresses === undefined ? undefined : requireLiteral(this, "publicAddresses", props.publicAddresses),
    });
    checkTranslatorsMatch(this.plan.translators, shared.set, origin);
    this.addresses = new PublicAddressInventory(this, this.plan, this.tags);
    checkEipQuota(this);
    this.fragments = new Map(this.plan.translators.map((t) => [t.id, this.fragmentObject(t)]));
    // Every shared id once, whatever the services use: in one app each is a cross-stack output
    // of the platform's stack, so the platform's outputs exist from the team's first synth on and
    // a later service (say, the team's first on translator b0) needs no platform apply.
    new TerraformLocal(this, "Platform", { set: { ...shared.set, teams: undefined }, team: shared.team, vpcId: this.vpc.vpcId, subnets: this.team.tiers.flatMap((tier) => this.vpc.availabilityZones.map((z) => this.vpc.serverSubnetId(z, tier))) });
    this.node.addValidation({ validate: () => this.noteDeployOrder() });
  }

  /** @internal The translator set as the platform shared it (ids: tokens in one app, literals from a manifest); the testing kit reads it. */
  get sharedSet(): SharedTranslatorSet {
    return this.set;
  }

  /** @internal The id of the team's security group on the translators' interfaces, as shared. */
  get translatorGroupId(): string {
    return this.securityGroupId;
  }

  /** Every service the team published, in publish order. */
  get publishedServices(): PublishedService[] {
    return [...this.services];
  }

  /**
   * Publishes `target` (a server of a fleet in the team's tiers, a literal IPv6 address, or a
   * plan address of the VPC) as service `name`, with a number of the team's range: one EIP per
   * carrying translator, associated with the service's address in the team's delegated /28.
   */
  publish(name: string, target: FleetServer | string | SymbolicIpv6Address, options: TeamPublishOptions): PublishedService {
    checkValue(this, "publish.name", str({ expected: "a service name", example: '"pay"' }), name);
    checkOptions(this, `publish(${name})`, "TeamPublishOptions", TEAM_PUBLISH_OPTIONS, options);
    checkTeamPublishInput(this, name, options);
    const origin = propOf(this, `publish(${name})`);
    if (target === undefined || target === null) fail(at(origin, ".target"), target, "is not a server (an index past the end of a fleet's servers gives undefined)", "pass fleet.server(i) of a fleet in the team's tiers, an IPv6 address string or a plan address");
    const { address, server } = resolvePublishTarget(this, this.vpc, target, at(origin, ".target"));
    if (server && !this.team.tiers.includes(server.fleet.tier)) {
      fail(at(origin, ".target"), server.fleet.node.path, `is a fleet of tier ${server.fleet.tier}, which is not a tier of team ${this.teamName} (its tiers: ${this.team.tiers.join(", ") || "none"})`, "place the team's fleets in its own tiers (the fleet's tier prop), or ask the platform for the tier");
    }
    const carriers = (options.translators ?? this.plan.zonesWithTranslators().map((z) => this.plan.translator(z, 0, origin).id)).map((tid, i) => {
      const t = this.plan.translators.find((x) => x.id === tid);
      if (!t) fail(at(origin, `.translators[${i}]`), tid, "is not a translator of the platform's set", `use one of ${this.plan.translators.map((x) => x.id).join(", ")}`);
      return t;
    });
    const service = publishService(this.serviceOwner(), this.plan, { origin, name, target: address, server, carriers }, options);
    this.services.push(service);
    return service;
  }

  private serviceOwner(): ServiceOwner {
    return once(this, "serviceOwner", () => ({
      scope: this,
      renderer: this.vpc.renderer,
      tags: this.tags,
      ruleIdPrefix: this.node.id,
      translatorsDescription: `the SIIT-DC translators of ${this.set.path} (team ${this.teamName})`,
      prefixList: { id: this.set.prefixList.id, maxEntriesInput: this.set.prefixList.maxEntries },
      // The platform made this group for the team and put it on every translator interface.
      translatorGroup: { scope: this, id: this.securityGroupId },
      interfaceOf: (plan: TranslatorPlan) => ({ id: this.set.translators.find((t) => t.id === plan.id)!.interfaceId }),
      eipOf: (slot: PublicAddressSlot, preventDestroy: boolean, tags: Record<string, string>) => this.addresses.eipOf(slot, preventDestroy, tags),
      addressScope: (slot: PublicAddressSlot) => this.addresses.addressScope(slot),
    }));
  }

  /** The team's fragment on one translator: its services' EAM entries and filter data (lib/plan/jool/fragments.ts). */
  private fragmentObject(translator: TranslatorPlan): S3Object {
    const shared = this.set.translators.find((t) => t.id === translator.id)!;
    const content = () => teamFragmentObjectText(this.plan, translator, (a) => a.render(this.vpc.renderer));
    return new aws.S3Object(this, `Fragment-${translator.id}`, {
      bucket: this.set.configBucket.name,
      key: fragmentKey(shared.configKey, this.teamName),
      content: Lazy.stringValue({ produce: content }),
      contentType: "application/json",
      tags: this.tags,
    });
  }

  /** Synth says what the platform must have applied before this stack's first apply. */
  private noteDeployOrder(): string[] {
    const prefixes = this.plan.translators.map((t) => `${this.plan.teamPrefixesOn(t).join(", ")} on ${t.id}`).join("; ");
    const sameStack = TerraformStack.of(this).node.id === this.platformStack;
    Annotations.of(this).addInfo(
      `deploy order: ${sameStack ? "this stack holds the platform too" : `apply the platform stack ${this.platformStack} first`}; it must have applied team ${this.teamName} ` +
        `(its /28 prefixes ${prefixes}, its security group and deploy policy). After that, services of numbers ${numberRange(this.team)} need no platform apply.`,
    );
    return [];
  }
}

function isVpcConstruct(vpc: IIpv6OnlyVpc | SharedVpc): vpc is IIpv6OnlyVpc {
  return typeof (vpc as IIpv6OnlyVpc).serverSubnetId === "function";
}

/** The platform's VPC, from its manifest, with only the team's tiers' subnets. */
function importVpc(scope: Construct, vpc: SharedVpc, tiers: readonly string[]): ImportedIpv6OnlyVpc {
  return new ImportedIpv6OnlyVpc(scope, "Vpc", {
    name: vpc.name,
    vpcId: vpc.vpcId,
    ipv4Cidr: vpc.ipv4Cidr,
    ipv6Cidr: vpc.ipv6Cidr,
    availabilityZones: [...vpc.availabilityZones],
    serverTiers: [...vpc.serverTiers],
    serverSubnetIds: Object.fromEntries(Object.entries(vpc.serverSubnetIds).filter(([key]) => tiers.includes(key.split("/")[0]))),
  });
}

/** A manifest's translators are the ones its settings plan (else it was edited or is stale). */
function checkTranslatorsMatch(planned: readonly TranslatorPlan[], set: SharedTranslatorSet, origin: Origin): void {
  const want = planned.map((t) => t.id).join(", ");
  const have = set.translators.map((t) => t.id).join(", ");
  if (want !== have) fail(at(origin, ".translators"), have, `do not match the translators the set's settings plan (${want})`, "re-export the platform manifest after the platform's apply");
}
