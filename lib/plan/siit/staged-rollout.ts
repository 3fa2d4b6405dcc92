import { TranslatorPlan } from "./translation-plan";

/**
 * Staged rollout of translator launch settings (image reference and instance type), decided per
 * apply from what runs live (issue 16, item 7).
 *
 * Terraform replaces every instance whose launch template changes in one apply, and synthesis
 * does not know what is deployed. Terraform's plan does: data sources whose arguments are all
 * known are read while planning. So each translator of a set spanning two zones or more reads its
 * own live instance (`aws_instances` by literal tag, zone and primary IPv4, then `aws_instance`),
 * and its instance follows its launch template's latest version (which always has the desired
 * settings) only when every translator of every earlier zone (zone slot order, i.e. by zone
 * letter) already runs *its* desired settings, live and `running`; otherwise the instance stays
 * on the template version it was launched from. The instance is held, not the template: every
 * attribute of a launch template (description and root device name included) makes a new
 * version when it changes (provider `resourceLaunchTemplateUpdate`, its `updateKeys`), and an
 * instance pinned to the version it runs is not replaced by any of them. A translator without an instance
 * (first deploy, a new zone or translator) takes the desired settings at once: there is nothing
 * to keep. Each apply therefore moves the translators of at most one zone; a service carried in
 * two zones or more never loses all its addresses in one apply.
 *
 * What an instance runs is recorded in its tags when it is launched: {@link LAUNCH_VERSION_TAG}
 * (the template version) and {@link LAUNCH_IMAGE_TAG} (the image reference, an AMI id or
 * `resolve:ssm:<parameter>`: a rebuilt image behind the same parameter is the same reference and
 * replaces nothing); its instance type is what EC2 reports. This module decides; the constructs render the Terraform expressions.
 */

/** Instance tag holding the image reference a translator instance was launched with. */
export const LAUNCH_IMAGE_TAG = "SiitDcImage";
/** Instance tag holding the launch template version a translator instance was launched from. */
export const LAUNCH_VERSION_TAG = "SiitDcTemplateVersion";

/** How fast a change of launch settings reaches the translators. */
export type RolloutPace = "zone-by-zone" | "all-at-once";

/** The launch settings one translator should run (opaque strings: may hold Terraform references). */
export interface TranslatorLaunch {
  /** Image reference as the launch template holds it: an AMI id or `resolve:ssm:<parameter>`. */
  readonly imageId: string;
  /** EC2 instance type. */
  readonly instanceType: string;
}

/** What a translator's launch template gets in the next apply. */
export interface StagedLaunch {
  readonly translator: TranslatorPlan;
  /** The settings it should run once the rollout reaches it. */
  readonly desired: TranslatorLaunch;
  /**
   * Translators of earlier zones that must run their own desired settings live before this one
   * takes its desired settings; empty: it takes them in this apply.
   */
  readonly waitsFor: TranslatorPlan[];
  /**
   * Whether this translator's live instance is read at plan time (as a gate of later zones, or to
   * keep what it runs). False for all-at-once and for sets in a single zone.
   */
  readonly observed: boolean;
}

/**
 * The staging of a translator set: zones in slot order; every translator of zone k waits for
 * every translator of zones 0..k-1. All at once, or a set in a single zone, waits for nothing and
 * reads nothing (one zone cannot keep an address up anyway).
 */
export function stageRollout(translators: readonly TranslatorPlan[], desired: (t: TranslatorPlan) => TranslatorLaunch, pace: RolloutPace): StagedLaunch[] {
  const slots = [...new Set(translators.map((t) => t.zone.slot))].sort((a, b) => a - b);
  const staged = pace === "zone-by-zone" && slots.length > 1;
  return translators.map((t) => ({
    translator: t,
    desired: desired(t),
    waitsFor: staged ? translators.filter((u) => u.zone.slot < t.zone.slot).sort(byZoneThenOrdinal) : [],
    observed: staged,
  }));
}

function byZoneThenOrdinal(a: TranslatorPlan, b: TranslatorPlan): number {
  return a.zone.slot - b.zone.slot || a.ordinal - b.ordinal;
}

/** EC2 DescribeInstances filters that find a translator's live instance with literal values only. */
export function liveInstanceFilters(t: TranslatorPlan, nameTag: string): { name: string; values: string[] }[] {
  // Literal values only: a data source that referenced a managed resource with pending changes
  // would be read at apply, its values unknown at plan, and every held zone replaced.
  return [
    { name: "tag:Name", values: [nameTag] },
    { name: "availability-zone", values: [t.zone.name] },
    { name: "private-ip-address", values: [t.primaryIpv4.toString()] },
  ];
}

/** States of an instance that still runs (or will run again) what it was launched with. */
export const LIVE_INSTANCE_STATES = ["pending", "running", "stopping", "stopped"];

/** The message of the plan-time check that a translator's live instance is unambiguous. */
export function ambiguousLiveInstanceMessage(t: TranslatorPlan, nameTag: string): string {
  return (
    `translator ${t.id}: more than one EC2 instance is tagged Name=${nameTag} in ${t.zone.name} with primary IPv4 ${t.primaryIpv4}, ` +
    "so the staged rollout cannot tell which one the translator runs. Terminate the instance Terraform does not manage, or set rollout.allAtOnce for this apply."
  );
}
