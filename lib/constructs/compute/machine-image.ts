import { Construct } from "constructs";
import { ITerraformDependable, Token } from "../../cdktf";
import { architectureOf } from "../../plan/aws/instance-types";
import { fail } from "../../plan/errors";
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
}

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
   * The Jool version the image carries, for Jool nodes: their files are validated for it.
   * @default "4.1.9" (Debian 12's, which the boot script installs when the image has no Jool)
   */
  readonly joolVersion?: string;
}

/**
 * Where instances get their image. SSM parameters are referenced as `resolve:ssm:` in the launch
 * template: EC2 resolves them at launch, so synthesis needs no data source. A new image reaches
 * running instances only when they are replaced (see README, "Changing images").
 */
export class MachineImage {
  /**
   * Debian 12 from Debian's public SSM parameters, for the instance type's architecture.
   * @param architecture `arm64` or `amd64`; @default - from the instance type (Graviton types are arm64)
   */
  static debian12(architecture?: "arm64" | "amd64"): MachineImage {
    return new MachineImage(DEBIAN_12_JOOL_VERSION, (_scope, instanceType) => {
      const arch = architecture ?? architectureOf(instanceType);
      return { imageId: `resolve:ssm:/aws/service/debian/release/12/latest/${arch}`, rootDeviceName: "/dev/xvda", description: `Debian 12 (${arch}, latest)` };
    });
  }

  /** An image whose id an SSM parameter holds (a public parameter or your own, of type aws:ec2:image). */
  static fromSsmParameter(parameterName: string, options: MachineImageOptions = {}): MachineImage {
    return new MachineImage(options.joolVersion ?? DEBIAN_12_JOOL_VERSION, (scope, instanceType) => {
      if (!Token.isUnresolved(parameterName) && !parameterName.startsWith("/")) {
        fail(propOf(scope, "image"), parameterName, "is not an SSM parameter name", 'give the full parameter path, starting with "/"');
      }
      checkArchitecture(scope, instanceType, options.architecture, parameterName);
      return { imageId: `resolve:ssm:${parameterName}`, rootDeviceName: options.rootDeviceName ?? "/dev/xvda", description: `SSM ${parameterName}`, dependsOn: options.dependsOn };
    });
  }

  /** A fixed AMI id. */
  static fromAmiId(amiId: string, options: MachineImageOptions = {}): MachineImage {
    return new MachineImage(options.joolVersion ?? DEBIAN_12_JOOL_VERSION, (scope, instanceType) => {
      if (!Token.isUnresolved(amiId) && !/^ami-[0-9a-f]{8,17}$/.test(amiId)) {
        fail(propOf(scope, "image"), amiId, "is not an AMI id", 'give an id such as "ami-0123456789abcdef0"');
      }
      checkArchitecture(scope, instanceType, options.architecture, amiId);
      return { imageId: amiId, rootDeviceName: options.rootDeviceName ?? "/dev/xvda", description: amiId, dependsOn: options.dependsOn };
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
