import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { Lazy } from "../../cdktf";
import { LAUNCH_IMAGE_TAG, LAUNCH_VERSION_TAG } from "../../plan/siit/staged-rollout";
import { TranslatorPlan } from "../../plan/siit/translation-plan";
import { translatorObjectText } from "../../plan/siit/translator-object";
import { MachineImage } from "../compute/machine-image";
import { attribute } from "../core/once";
import { interpolatingRenderer } from "../core/render";
import { JoolConfigStore } from "../jool/config-store";
import { JoolNode, JoolNodeMonitoring } from "../jool/jool-node";
import { RouteTarget } from "../network/route-target";
import type { SiitDcTranslators } from "./siit-dc-translators";

/** One border relay: interface, instance and its own /96. */
export class Translator extends JoolNode {
  /** This translator's plan: zone, ordinal, its /96 (`prefix`), primary IPv4 and IPv6 addresses. */
  readonly plan: TranslatorPlan;
  /** The Name tag of its interface and instance, e.g. `net-edge-a0`. */
  readonly translatorName: string;
  /** Key of its configuration object in the set's store (teams' fragments live beside it). */
  readonly configKey: string;

  constructor(
    scope: Construct,
    id: string,
    props: {
      set: SiitDcTranslators;
      plan: TranslatorPlan;
      instanceType: string;
      image: MachineImage;
      securityGroup: SecurityGroup;
      store: JoolConfigStore;
      region: string;
      monitoring: JoolNodeMonitoring;
      tags: Record<string, string>;
      protectInterface: boolean;
      /** The instance's SiitDcImage and SiitDcTemplateVersion tags (what it was launched with), read at synth. */
      launchTags: () => Record<string, string>;
      /** The teams' security groups, when the set has teams. */
      teamGroups?: string[];
    },
  ) {
    const { set, plan } = props;
    const vpc = set.vpc;
    // cdktf resolves every token twice in a synth (preparing the stack, then writing it): the
    // file is made once for each state of the plan's services.
    let made: { services: number; text: string } | undefined;
    const interpolated = interpolatingRenderer(set, vpc.renderer);
    const configText = (): string => {
      if (made?.services !== set.plan.services.length) made = { services: set.plan.services.length, text: translatorObjectText(set.plan, plan, interpolated) };
      return made.text;
    };
    const name = `${vpc.name}-${set.node.id.toLowerCase()}-${plan.id}`;
    super(scope, id, {
      mode: "siit",
      name,
      subnet: vpc.edgeSubnet(plan.zone.name),
      primaryIpv4: plan.primaryIpv4.toString(),
      secondaryIpv4: () => set.plan.addressesOn(plan).map((a) => a.address.privateIpv4.toString()),
      ipv4Prefixes: props.teamGroups && (() => set.plan.teamPrefixesOn(plan)),
      teamSecurityGroups: props.teamGroups && (() => props.teamGroups!),
      ipv6: plan.ipv6.render(vpc.renderer),
      securityGroup: props.securityGroup,
      instanceType: props.instanceType,
      image: props.image,
      store: props.store,
      configKey: configKeyOf(set, plan),
      config: Lazy.stringValue({ produce: () => configText() }),
      region: props.region,
      monitoring: props.monitoring,
      tags: props.tags,
      protectInterface: props.protectInterface,
      instanceTags: {
        [LAUNCH_IMAGE_TAG]: Lazy.stringValue({ produce: () => props.launchTags()[LAUNCH_IMAGE_TAG] }),
        [LAUNCH_VERSION_TAG]: Lazy.stringValue({ produce: () => props.launchTags()[LAUNCH_VERSION_TAG] }),
      },
    });
    this.plan = plan;
    this.translatorName = name;
    this.configKey = configKeyOf(set, plan);
    // Invariant 3: every server route table sends this translator's /96 back to it.
    vpc.addServerRoute(`Translator-${set.node.id}-${plan.id}`, plan.prefix.toString(), RouteTarget.networkInterface(interfaceId(this)));
  }
}

function configKeyOf(set: SiitDcTranslators, plan: TranslatorPlan): string {
  return `siit/${set.node.path}/${plan.id}.json`;
}

/** The translator's interface id, one token for every reference to it. */
export function interfaceId(translator: Translator): string {
  return attribute(translator.networkInterface, "id");
}

