import { fail, Origin, ShownAs } from "../errors";
import { checkShape, int, isPlainObject, list, oneOf, PropContext, record, required, Shape, shape, str } from "../props/check";

/**
 * What a platform shares with service teams in other apps (issue 13, model b): a versioned
 * manifest, the platform stack's output `siit_dc_platform` (`terraform output -json
 * siit_dc_platform > platform.json`). It holds literal ids and the settings a team's app plans
 * with, so the team's app needs no data source and no access to the platform's state: offline
 * plans keep working. Pure: no cdktf.
 */

/** Format marker; a new layout gets a new number, and readers refuse one they do not know. */
export const PLATFORM_MANIFEST_FORMAT = "siit-dc-platform/1";
/** The platform stack's output that holds the manifest. */
export const PLATFORM_MANIFEST_OUTPUT = "siit_dc_platform";

/** The literal settings of a translator set that a team's side plans with. */
export interface TranslatorSetSettings {
  /** Zones with translators, in the set's order. */
  readonly zones: readonly string[];
  /** Translators per zone. */
  readonly translatorsPerZone: number;
  /** The /48 of the translators' /96s. */
  readonly translationPrefix: string;
  /** The translators' instance type. */
  readonly instanceType: string;
  /** Edge host index of translator 0 of each zone. */
  readonly firstHostIndex: number;
  /** IPv4 addresses per translator interface (of its instance type). */
  readonly ipv4AddressesPerInterface: number;
}

/** A translator, as a team refers to it. */
export interface SharedTranslator {
  /** Its id: zone letter and ordinal, e.g. `a0`. */
  readonly id: string;
  /** Its network interface (where team EIPs are associated). */
  readonly interfaceId: string;
  /** Key of its node configuration object; the team's fragment lives beside it. */
  readonly configKey: string;
}

/** A team of a translator set, as the platform planned it. */
export interface SharedTeam {
  /** The team's name. */
  readonly name: string;
  /** Its first service number. */
  readonly firstNumber: number;
  /** How many numbers it has (a multiple of 16). */
  readonly numberCount: number;
  /** Server tiers its fleets use. */
  readonly tiers: readonly string[];
  /** The security group on every translator interface whose rules the team's stack owns. */
  readonly securityGroupId: string;
  /** The IAM policy a team's deployment role needs (its own fragments, its group, associations). */
  readonly deployPolicyArn: string;
}

/** A managed prefix list, as teams refer to it. */
export interface SharedPrefixList {
  /** Its id. */
  readonly id: string;
  /** Its max entries (what a security group reference to it weighs). */
  readonly maxEntries: number;
}

/** An S3 bucket, as teams refer to it. */
export interface SharedBucket {
  /** Its name. */
  readonly name: string;
  /** Its ARN. */
  readonly arn: string;
}

/** A translator set, as teams see it. */
export interface SharedTranslatorSet {
  /** Construct path of the set in the platform's app, e.g. `platform/Edge`. */
  readonly path: string;
  /** Name prefix of its resources, e.g. `net-edge`. */
  readonly name: string;
  /** Its literal settings. */
  readonly settings: TranslatorSetSettings;
  /** Its translators. */
  readonly translators: readonly SharedTranslator[];
  /** The managed prefix list of the translators' /96s (source of server rules). */
  readonly prefixList: SharedPrefixList;
  /** The bucket of the translators' configuration objects. */
  readonly configBucket: SharedBucket;
  /** Its teams. */
  readonly teams: readonly SharedTeam[];
}

/** The VPC, as teams see it. */
export interface SharedVpc {
  /** Short name (Name tag prefix). */
  readonly name: string;
  /** The VPC id. */
  readonly vpcId: string;
  /** The IPv4 block. */
  readonly ipv4Cidr: string;
  /** The IPv6 /56, as applied. */
  readonly ipv6Cidr: string;
  /** Zones, in the VPC's order. */
  readonly availabilityZones: readonly string[];
  /** Server tiers, in slot order. */
  readonly serverTiers: readonly string[];
  /** Subnet id of every server tier in every zone, keyed `tier/zone`. */
  readonly serverSubnetIds: Readonly<Record<string, string>>;
}

/** The manifest a platform publishes. */
export interface PlatformManifestData {
  /** {@link PLATFORM_MANIFEST_FORMAT}. */
  readonly format: typeof PLATFORM_MANIFEST_FORMAT;
  /** The platform's stack name (what a team waits for). */
  readonly platform: string;
  /** The VPC. */
  readonly vpc: SharedVpc;
  /** The translator sets that have teams. */
  readonly translatorSets: readonly SharedTranslatorSet[];
}

const text = (expected: string, example: string) => str({ expected, example });
const count = int({ min: 1, range: "a count or index of at least 1", fix: "re-export the manifest from the platform" });
const MANIFEST: Shape = {
  format: required(oneOf([PLATFORM_MANIFEST_FORMAT], "a manifest format this release reads")),
  platform: required(text("the platform's stack name", '"platform"')),
  vpc: required(
    shape(
      {
        name: required(text("a name", '"net"')),
        vpcId: required(text("a VPC id", '"vpc-0123456789abcdef0"')),
        ipv4Cidr: required(text("an IPv4 block", '"10.0.0.0/16"')),
        ipv6Cidr: required(text("an IPv6 /56", '"2600:1f18:1234:5600::/56"')),
        availabilityZones: required(list(text("a zone", '"eu-north-1a"'), { expected: "a list of zones", example: '["eu-north-1a"]', min: 1 })),
        serverTiers: required(list(text("a tier", '"servers"'), { expected: "a list of tiers", example: '["servers"]', min: 1 })),
        serverSubnetIds: required(record(text("a subnet id", '"subnet-0123456789abcdef0"'), { expected: "an object of tier/zone to subnet id" })),
      },
      { typeName: "SharedVpc" },
    ),
  ),
  translatorSets: required(
    list(
      shape(
        {
          path: required(text("a construct path", '"platform/Edge"')),
          name: required(text("a name", '"net-edge"')),
          settings: required(
            shape(
              {
                zones: required(list(text("a zone", '"eu-north-1a"'), { expected: "a list of zones", example: '["eu-north-1a"]', min: 1 })),
                translatorsPerZone: required(count),
                translationPrefix: required(text("an IPv6 /48", '"64:ff9b:1::/48"')),
                instanceType: required(text("an instance type", '"c7gn.large"')),
                firstHostIndex: required(count),
                ipv4AddressesPerInterface: required(count),
              },
              { typeName: "TranslatorSetSettings" },
            ),
          ),
          translators: required(
            list(
              shape(
                { id: required(text("a translator id", '"a0"')), interfaceId: required(text("a network interface id", '"eni-0123456789abcdef0"')), configKey: required(text("an S3 key", '"siit/platform/Edge/a0.json"')) },
                { typeName: "SharedTranslator" },
              ),
              { expected: "a list of translators", min: 1 },
            ),
          ),
          prefixList: required(shape({ id: required(text("a prefix list id", '"pl-0123456789abcdef0"')), maxEntries: required(count) }, { typeName: "PrefixList" })),
          configBucket: required(shape({ name: required(text("a bucket name", '"siit-dc-jool-..."')), arn: required(text("a bucket ARN", '"arn:aws:s3:::siit-dc-jool-..."')) }, { typeName: "ConfigBucket" })),
          teams: required(
            list(
              shape(
                {
                  name: required(text("a team name", '"payments"')),
                  firstNumber: required(count),
                  numberCount: required(count),
                  tiers: required(list(text("a tier", '"payments"'), { expected: "a list of tiers", min: 0 })),
                  securityGroupId: required(text("a security group id", '"sg-0123456789abcdef0"')),
                  deployPolicyArn: required(text("an IAM policy ARN", '"arn:aws:iam::123456789012:policy/..."')),
                },
                { typeName: "SharedTeam" },
              ),
              { expected: "a list of teams", min: 0 },
            ),
          ),
        },
        { typeName: "SharedTranslatorSet" },
      ),
      { expected: "a list of translator sets", min: 0 },
    ),
  ),
};

const REEXPORT = `re-export it after the platform's apply: terraform output -json ${PLATFORM_MANIFEST_OUTPUT} > platform.json`;

/**
 * Checks a parsed manifest (JSON from `terraform output -json`) and returns it typed. `origin`
 * names where the team's app read it, e.g. its team construct's `platform` prop.
 */
export function parsePlatformManifest(json: unknown, origin: Origin): PlatformManifestData {
  if (!isPlainObject(json)) fail(origin, json, "is not a platform manifest (a JSON object)", REEXPORT);
  if (typeof json.format === "string" && json.format !== PLATFORM_MANIFEST_FORMAT && json.format.startsWith("siit-dc-platform/")) {
    fail({ ...origin, property: `${origin.property}.format` }, json.format, `is a manifest layout this release does not read (it reads ${PLATFORM_MANIFEST_FORMAT})`, "use the library release the platform uses, or ask the platform to publish this layout");
  }
  const ctx: PropContext = { path: origin.path, isToken: () => false, showToken: (v) => new ShownAs(String(v)) };
  checkShape(MANIFEST, json, origin.property, "PlatformManifest", ctx);
  return json as unknown as PlatformManifestData;
}

/** Where one team stands in a manifest: its set and its entry. */
export function findTeam(manifest: PlatformManifestData, team: string, translatorSet: string | undefined, origin: Origin): { set: SharedTranslatorSet; team: SharedTeam } {
  const sets = manifest.translatorSets.filter((s) => translatorSet === undefined || s.path === translatorSet || s.path.endsWith(`/${translatorSet}`));
  if (translatorSet !== undefined && sets.length === 0) {
    fail(origin, translatorSet, `is not a translator set of platform ${manifest.platform} (sets: ${manifest.translatorSets.map((s) => s.path).join(", ") || "none with teams"})`, "name a set the manifest lists, by its path or construct id");
  }
  const hits = sets.flatMap((set) => set.teams.filter((t) => t.name === team).map((t) => ({ set, team: t })));
  if (hits.length === 0) {
    const known = sets.flatMap((s) => s.teams.map((t) => `${t.name} (${s.path})`));
    fail(
      origin,
      team,
      `is not a team of platform ${manifest.platform} (teams: ${known.join(", ") || "none"})`,
      `add { name: "${team}", firstNumber: ... } to the platform's SiitDcTranslators teams, apply the platform stack ${manifest.platform} first, then ${REEXPORT}`,
    );
  }
  if (hits.length > 1) fail(origin, team, `is a team of several translator sets (${hits.map((h) => h.set.path).join(", ")})`, "name the set with translatorSet");
  return hits[0];
}
