import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "../../cdktf";
import { fail } from "../../plan/errors";
import { PLATFORM_MANIFEST_FORMAT, PLATFORM_MANIFEST_OUTPUT, PlatformManifestData } from "../../plan/siit/platform-manifest";
import { brand } from "../core/brand";
import { propOf } from "../core/validate";
import { Ipv6OnlyVpc } from "../network/ipv6-only-vpc";
import { SiitDcTranslators } from "./siit-dc-translators";

/** Props of {@link PlatformManifest}. */
export interface PlatformManifestProps {
  /** The VPC the teams' fleets live in. */
  readonly vpc: Ipv6OnlyVpc;
  /** The translator sets whose teams publish from apps of their own. */
  readonly translatorSets: SiitDcTranslators[];
}

/**
 * The manifest a platform publishes for teams in other apps (issue 13, model b): the stack output
 * `siit_dc_platform` (format `siit-dc-platform/1`, lib/plan/siit/platform-manifest.ts). After each
 * platform apply that adds or changes a team, export it (`terraform output -json siit_dc_platform
 * > platform.json`) and hand the file to the teams; their apps read it with
 * `TeamPlatform.fromManifest`, with literal ids and no data source.
 */
export class PlatformManifest extends Construct {
  /** The output holding the manifest. */
  readonly output: TerraformOutput;

  constructor(scope: Construct, id: string, props: PlatformManifestProps) {
    super(scope, id);
    brand(this, "PlatformManifest");
    const vpc = props.vpc;
    props.translatorSets.forEach((set, i) => {
      if (set.vpc !== vpc) fail(propOf(this, `translatorSets[${i}]`), set.node.path, "is a translator set of another VPC", "list the sets of this VPC");
    });
    const data: PlatformManifestData = {
      format: PLATFORM_MANIFEST_FORMAT,
      platform: TerraformStack.of(this).node.id,
      vpc: {
        name: vpc.name,
        vpcId: vpc.vpcId,
        ipv4Cidr: vpc.plan.ipv4Cidr.toString(),
        ipv6Cidr: vpc.plan.ipv6Cidr.literal?.toString() ?? vpc.vpc.ipv6CidrBlock,
        availabilityZones: vpc.availabilityZones,
        serverTiers: vpc.plan.serverTierNames(),
        serverSubnetIds: Object.fromEntries(vpc.plan.serverTierNames().flatMap((tier) => vpc.availabilityZones.map((zone) => [`${tier}/${zone}`, vpc.serverSubnetId(zone, tier)]))),
      },
      translatorSets: props.translatorSets.map((set) => set.sharedSet()),
    };
    this.output = new TerraformOutput(this, "Output", { value: data, description: `What service teams of ${vpc.node.path} need (${PLATFORM_MANIFEST_FORMAT}); export it after each apply.` });
    this.output.overrideLogicalId(PLATFORM_MANIFEST_OUTPUT);
  }
}
