import { Construct } from "constructs";
import { ITerraformDependable, Token } from "../../cdktf";
import { architectureOf } from "../../plan/aws/instance-types";
import { fail } from "../../plan/errors";
import { GP3_MAX_GIB, LIBRARY_IMAGE_ROOT_GIB } from "../../plan/props/aws-limits";
import { custom, int, list, oneOf, Shape, str } from "../../plan/props/check";
import { checkOptions, checkValue } from "../core/props";
import { DEBIAN_12_JOOL_VERSION } from "../../plan/jool/validate";
import { propOf } from "../core/validate";

/** The image an instance boots, resolved without data sources so that an offline plan works. */
export interface ResolvedImage {
  /** An AMI id, or `resolve:ssm:<parameter>` (resolved by EC2 at launch; launch templates only). */
  readonly imageId: string;
  /** The image's root device, whose volume the launch template encrypts. */
  readonly rootDeviceName: string;
  /** Human-readable description for tags and reports. */
  readonly description: string;
  /** Resources that must exist before an instance launches from the image (e.g. its first build). */
  readonly dependsOn?: ITerraformDependable[];
  /** Size of the image's root snapshot in GiB, when known: EC2 refuses a smaller root volume. */
  readonly rootSnapshotGiB?: number;
}

/** Options of {@link MachineImage.fromSsmParameter} and {@link MachineImage.fromAmiId}. */
export interface MachineImageOptions {
  /**
   * Root device name of the image: the launch template maps an encrypted volume to it.
   * @default "/dev/xvda" (Debian and Amazon Linux AMIs; Ubuntu uses "/dev/sda1")
   */
  readonly rootDeviceName?: string;
  /**
   * The image's CPU architecture; an instance type of another architecture is refused at synth.
   * @default - not checked
   */
  readonly architecture?: "arm64" | "amd64";
  /**
   * Resources that must exist before an instance launches from this image.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Size of the image's root snapshot in GiB: a smaller `rootVolumeSize` is refused at synth
   * (EC2 refuses it at launch).
   * @default - unknown, not checked
   */
  readonly rootSnapshotGiB?: number;
  /**
   * The Jool version the image carries, for Jool nodes: their files are validated for it.
   * @default "4.1.9" (Debian 12's, which the boot script installs when the image has no Jool)
   */
  readonly joolVersion?: string;
}

const IMAGE_OPTIONS: Shape = {
  joolVersion: str({ expected: "a Jool 4.1 version", example: '"4.1.15"', pattern: /^4\.1\.\d+$/, patternProblem: "is not a Jool 4.1 version", patternFix: 'give the version the image carries, e.g. "4.1.15"' }),
  rootDeviceName: str({ expected: "a device name", example: '"/dev/sda1"', pattern: /^\/dev\/[a-z0-9]+$/, patternProblem: "is not a device name", patternFix: 'give a device such as "/dev/xvda" or "/dev/sda1"' }),
  architecture: oneOf(["arm64", "amd64"]),
  dependsOn: list(custom("a Terraform resource", () => undefined), { expected: "a list of resources" }),
  rootSnapshotGiB: int({ min: 1, max: GP3_MAX_GIB }),
};

/**
 * Where instances get their image. SSM parameters are referenced as `resolve:ssm:` in the launch
 * template: EC2 resolves them at launch, so synthesis needs no data source. A new image reaches
 * running instances only when they are replaced (see docs/constructs.md, "Changing images").
 */
export class MachineImage {
  /**
   * Debian 12 from Debian's public SSM parameters, for the instance type's architecture.
   * @param architecture `arm64` or `amd64`; @default - from the instance type (Graviton types are arm64)
   */
  static debian12(architecture?: "arm64" | "amd64"): MachineImage {
    return new MachineImage(DEBIAN_12_JOOL_VERSION, (scope, instanceType) => {
      if (architecture !== undefined) {
        checkValue(scope, "image", oneOf(["arm64", "amd64"], 'an architecture, "arm64" or "amd64"'), architecture);
        checkArchitecture(scope, instanceType, architecture, `MachineImage.debian12("${architecture}")`);
      }
      const arch = architecture ?? architectureOf(instanceType);
      return { imageId: `resolve:ssm:/aws/service/debian/release/12/latest/${arch}`, rootDeviceName: "/dev/xvda", description: `Debian 12 (${arch}, latest)`, rootSnapshotGiB: LIBRARY_IMAGE_ROOT_GIB };
    });
  }

  /** An image whose id an SSM parameter holds (a public parameter or your own, of type aws:ec2:image). */
  static fromSsmParameter(parameterName: string, options: MachineImageOptions = {}): MachineImage {
    return new MachineImage(options.joolVersion ?? DEBIAN_12_JOOL_VERSION, (scope, instanceType) => {
      checkValue(scope, "image", str({ expected: "an SSM parameter name", example: '"/aws/service/debian/release/12/latest/arm64"', tokens: true }), parameterName);
      checkOptions(scope, "image.options", "MachineImageOptions", IMAGE_OPTIONS, options);
      if (!Token.isUnresolved(parameterName) && !parameterName.startsWith("/")) {
        fail(propOf(scope, "image"), parameterName, "is not an SSM parameter name", 'give the full parameter path, starting with "/"');
      }
      checkArchitecture(scope, instanceType, options.architecture, parameterName);
      return { imageId: `resolve:ssm:${parameterName}`, rootDeviceName: options.rootDeviceName ?? "/dev/xvda", description: `SSM ${parameterName}`, dependsOn: options.dependsOn, rootSnapshotGiB: options.rootSnapshotGiB };
    });
  }

  /** A fixed AMI id. */
  static fromAmiId(amiId: string, options: MachineImageOptions = {}): MachineImage {
    return new MachineImage(options.joolVersion ?? DEBIAN_12_JOOL_VERSION, (scope, instanceType) => {
      checkValue(scope, "image", str({ expected: "an AMI id", example: '"ami-0123456789abcdef0"', tokens: true }), amiId);
      checkOptions(scope, "image.options", "MachineImageOptions", IMAGE_OPTIONS, options);
      if (!Token.isUnresolved(amiId) && !/^ami-[0-9a-f]{8,17}$/.test(amiId)) {
        fail(propOf(scope, "image"), amiId, "is not an AMI id", 'give an id such as "ami-0123456789abcdef0"');
      }
      checkArchitecture(scope, instanceType, options.architecture, amiId);
      return { imageId: amiId, rootDeviceName: options.rootDeviceName ?? "/dev/xvda", description: amiId, dependsOn: options.dependsOn, rootSnapshotGiB: options.rootSnapshotGiB };
    });
  }

  private constructor(
    /** The Jool version of the image (Debian 12's 4.1.9 unless the image says otherwise). */
    public readonly joolVersion: string,
    private readonly resolver: (scope: Construct, instanceType: string) => ResolvedImage,
  ) {}

  /** The image for `instanceType`, validated in the context of `scope`. */
  resolve(scope: Construct, instanceType: string): ResolvedImage {
    return this.resolver(scope, instanceType);
  }
}

function checkArchitecture(scope: Construct, instanceType: string, architecture: "arm64" | "amd64" | undefined, image: string): void {
  if (architecture !== undefined && architectureOf(instanceType) !== architecture) {
    fail(propOf(scope, "instanceType"), instanceType, `is ${architectureOf(instanceType)}, but image ${image} is ${architecture}`, `use an ${architecture} instance type, or an image built for ${architectureOf(instanceType)}`);
  }
}
