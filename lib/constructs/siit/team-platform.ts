import { Origin } from "../../plan/errors";
import { findTeam, parsePlatformManifest, PlatformManifestData, SharedTeam, SharedTranslatorSet, SharedVpc } from "../../plan/siit/platform-manifest";
import { TranslatorPlan } from "../../plan/siit/translation-plan";
import { IIpv6OnlyVpc } from "../network/ipv6-only-vpc";

/** Options of {@link TeamPlatform.fromManifest}. */
export interface TeamManifestOptions {
  /** The team's name, as the platform's `teams` gives it. */
  readonly team: string;
  /**
   * The translator set, by construct path or id, when the team belongs to several.
   * @default - the one set that has the team
   */
  readonly translatorSet?: string;
}

/** What a TeamPlatform gives a team's construct. */
export interface ResolvedTeamPlatform {
  /** The platform's stack name. */
  readonly platform: string;
  /** The translator set (ids may be tokens in one app, literals from a manifest). */
  readonly set: SharedTranslatorSet;
  /** The team's entry. */
  readonly team: SharedTeam;
  /** The VPC: the platform's own construct in one app, or its manifest description. */
  readonly vpc: IIpv6OnlyVpc | SharedVpc;
  /** The platform's translator plans, in one app (their addresses are claimed there). */
  readonly translatorPlans?: readonly TranslatorPlan[];
}

/**
 * What the platform shares with one service team (issue 13): the translator set, the team's
 * numbers, tiers, security group and policy, the VPC. Two ways to get one:
 * - in the platform's app: `translators.forTeam("payments")`; references to the platform's
 *   resources become cdktf cross-stack references (remote state of the platform's stack);
 * - in the team's own app: `TeamPlatform.fromManifest(json, { team: "payments" })`, from the
 *   manifest the platform publishes (PlatformManifest): literal ids, no data sources.
 */
export class TeamPlatform {
  /** From the manifest a platform published (`terraform output -json siit_dc_platform`), checked when the team construct uses it. */
  static fromManifest(manifest: unknown, options: TeamManifestOptions): TeamPlatform {
    return new TeamPlatform((origin) => {
      const data: PlatformManifestData = parsePlatformManifest(manifest, origin);
      const { set, team } = findTeam(data, options.team, options.translatorSet, origin);
      return { platform: data.platform, set, team, vpc: data.vpc };
    });
  }

  /** @internal A translator set of this app shares itself (SiitDcTranslators.forTeam). */
  static ofConstructs(resolved: ResolvedTeamPlatform): TeamPlatform {
    return new TeamPlatform(() => resolved);
  }

  private constructor(private readonly resolver: (origin: Origin) => ResolvedTeamPlatform) {}

  /** @internal The shared data; a bad manifest fails naming `origin` (the team construct's `platform`). */
  resolve(origin: Origin): ResolvedTeamPlatform {
    return this.resolver(origin);
  }
}
