import type { Instance } from "@cdktf/provider-aws/lib/instance";
import type { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { Construct } from "constructs";
import { Fn, ITerraformDependable, Token } from "../../cdktf";
import { encodeUserData } from "../../plan/boot/user-data";
import { fail } from "../../plan/errors";
import { propOf } from "../core/validate";
import { InstanceRole } from "./instance-role";
import { MachineImage } from "./machine-image";
import { aws } from "../core/aws";
import { attribute, once } from "../core/once";

/** Launch settings shared by every instance the library runs (servers, translators, NAT64). */
export interface HardenedLaunchProps {
  readonly instanceType: string;
  readonly image: MachineImage;
  readonly role: InstanceRole;
  /** Complete user data (plain text; encoded here). */
  readonly userData: string;
  /**
   * gzip the user data (cloud-init decompresses it): for boot configurations whose text exceeds 16 KB.
   * @default false
   */
  readonly compressUserData?: boolean;
  /**
   * Size of the encrypted root volume in GiB.
   * @default - the image's own size
   */
  readonly rootVolumeSize?: number;
  /**
   * KMS key for the root volume.
   * @default - the account's default EBS key
   */
  readonly rootVolumeKmsKeyId?: string;
  /**
   * IMDSv2 hop limit: 1 keeps metadata (and the role's credentials) away from containers and
   * anything the instance forwards.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Whether instance tags are readable from instance metadata (Jool nodes read the location of
   * their configuration from a tag).
   * @default false
   */
  readonly instanceMetadataTags?: boolean;
  /** Network interfaces for instances launched by an Auto Scaling group (fixed instances attach their own). */
  readonly networkInterfaces?: LaunchTemplate["networkInterfaces"]["internalValue"];
  /**
   * Tags of the template itself. Keep them stable for fixed instances: any change to the template,
   * tags included, makes the provider plan a new `latest_version`, and an instance that follows
   * it is replaced.
   */
  readonly tags?: Record<string, string>;
  /**
   * Tags the template gives what it launches. Only for Auto Scaling groups: a change makes a new
   * template version, which would replace fixed instances; those carry their tags themselves.
   * @default - none
   */
  readonly launchTags?: Record<string, string>;
}

/**
 * A launch template with the library's invariants (docs/DESIGN.md invariant 9 and the fleet issue):
 * IMDSv2 required and reachable over IPv6 (fd00:ec2::254), a small hop limit, an encrypted root
 * volume, and EC2 simplified automatic recovery.
 */
export function hardenedLaunchTemplate(scope: Construct, id: string, props: HardenedLaunchProps): LaunchTemplate {
  const hopLimit = props.metadataHopLimit ?? 1;
  if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) {
    fail(propOf(scope, "metadataHopLimit"), hopLimit, "EC2 accepts hop limits from 1 to 64", "use 1 (or 2 for containers that need instance metadata)");
  }
  if (props.rootVolumeSize !== undefined && (!Number.isInteger(props.rootVolumeSize) || props.rootVolumeSize < 1 || props.rootVolumeSize > 16384)) {
    fail(propOf(scope, "rootVolumeSize"), props.rootVolumeSize, "is not a gp3 volume size", "give a whole number of GiB between 1 and 16384");
  }
  const image = props.image.resolve(scope, props.instanceType);
  if (props.rootVolumeSize !== undefined && image.rootSnapshotGiB !== undefined && props.rootVolumeSize < image.rootSnapshotGiB) {
    fail(propOf(scope, "rootVolumeSize"), props.rootVolumeSize, `is smaller than the ${image.rootSnapshotGiB} GiB root snapshot of ${image.description}, and EC2 refuses a root volume smaller than its snapshot`, `give at least ${image.rootSnapshotGiB} GiB, or leave rootVolumeSize unset for the image's size`);
  }
  // User data is static by design (what changes per deployment travels by S3 and instance tags),
  // so it is encoded here and the launch template never changes behind the user's back.
  if (Token.isUnresolved(props.userData)) throw new Error(`internal: ${scope.node.path} user data must not contain tokens`);
  return new aws.LaunchTemplate(scope, id, {
    namePrefix: "siit-dc-",
    description: `${scope.node.path}: ${image.description}`,
    imageId: image.imageId,
    instanceType: props.instanceType,
    iamInstanceProfile: { arn: props.role.instanceProfile.arn },
    userData: encodeUserData(props.userData, props.compressUserData ?? false, propOf(scope, "userData")),
    updateDefaultVersion: true,
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpProtocolIpv6: "enabled",
      httpPutResponseHopLimit: hopLimit,
      instanceMetadataTags: props.instanceMetadataTags ? "enabled" : "disabled",
    },
    maintenanceOptions: { autoRecovery: "default" },
    blockDeviceMappings: [
      {
        deviceName: image.rootDeviceName,
        ebs: { encrypted: "true", volumeType: "gp3", volumeSize: props.rootVolumeSize, kmsKeyId: props.rootVolumeKmsKeyId, deleteOnTermination: "true" },
      },
    ],
    networkInterfaces: props.networkInterfaces,
    // A baked image's first build must publish its id before anything launches from it.
    dependsOn: image.dependsOn,
    tagSpecifications: props.launchTags ? ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: props.launchTags })) : undefined,
    tags: props.tags,
  });
}

/** `tostring(latest_version)` of a launch template, one token for the instance and the staged rollout alike. */
export function latestVersionOf(template: LaunchTemplate): string {
  return once(template, "latest version", () => Fn.tostring(attribute(template, "latestVersion")));
}

/**
 * An instance on a persistent network interface at device index 0: replacing the instance
 * (new image, new user data, new type) keeps the interface and so every address on it.
 */
export function instanceOnInterface(scope: Construct, id: string, template: LaunchTemplate, networkInterface: NetworkInterface, tags?: Record<string, string>, dependsOn?: ITerraformDependable[]): Instance {
  return new aws.Instance(scope, id, {
    launchTemplate: { id: attribute(template, "id"), version: latestVersionOf(template) },
    networkInterface: [{ deviceIndex: 0, networkInterfaceId: networkInterface.id }],
    // Tags on the instance and its volumes update in place; in the launch template they would
    // make a new version and so a new instance.
    tags,
    volumeTags: tags,
    dependsOn,
  });
}
