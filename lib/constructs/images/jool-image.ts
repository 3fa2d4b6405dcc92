import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ImagebuilderComponent } from "@cdktf/provider-aws/lib/imagebuilder-component";
import { ImagebuilderDistributionConfiguration } from "@cdktf/provider-aws/lib/imagebuilder-distribution-configuration";
import { ImagebuilderImage } from "@cdktf/provider-aws/lib/imagebuilder-image";
import { ImagebuilderImagePipeline } from "@cdktf/provider-aws/lib/imagebuilder-image-pipeline";
import { ImagebuilderImageRecipe } from "@cdktf/provider-aws/lib/imagebuilder-image-recipe";
import { ImagebuilderInfrastructureConfiguration } from "@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration";
import { Construct } from "constructs";
import { fail } from "../../plan/errors";
import { checkJoolVersion, contentVersion, DEFAULT_JOOL_VERSION, joolComponentDocument, ubuntuParentImage } from "../../plan/images/jool-image-plan";
import { MachineImage } from "../compute/machine-image";
import { regionOf } from "../core/region";
import { terraformLiteral } from "../core/render";
import { propOf, requireLiteral } from "../core/validate";

export interface JoolImageProps {
  /**
   * CPU architecture of the image; it must match the instance types that use it.
   * @default "arm64" (Graviton: c7gn, t4g, ...)
   */
  readonly architecture?: "arm64" | "amd64";
  /**
   * Jool release to build, pinned to the commit of its tag.
   * @default "4.1.15" (kernels up to 6.18)
   */
  readonly joolVersion?: string;
  /**
   * SSM parameter that receives the id of every new image; translators and NAT64 instances
   * launch from it (`resolve:ssm:`).
   * @default "/siit-dc/<construct path, stack included>/ami-id"
   */
  readonly parameterName?: string;
  /**
   * Instance type of the build and test instance.
   * @default "c7g.large" (arm64) or "c7i.large" (amd64)
   */
  readonly buildInstanceType?: string;
  /**
   * Subnet of the build instance. It needs IPv4 internet access (GitHub, where Jool's source
   * lives, has no IPv6), so not an IPv6-only server subnet.
   * @default - the account's default VPC
   */
  readonly buildSubnetId?: string;
  /**
   * Security groups of the build instance (with buildSubnetId).
   * @default - the default group of the build VPC
   */
  readonly buildSecurityGroupIds?: string[];
  /**
   * Pipeline schedule (Image Builder cron syntax); a run builds only when the parent image or a
   * component changed.
   * @default "cron(0 4 ? * MON *)" (weekly)
   */
  readonly schedule?: string;
  /**
   * Region where the image is distributed.
   * @default - the region of the stack's AWS provider
   */
  readonly region?: string;
  readonly tags?: Record<string, string>;
}

/**
 * A baked image for translators and NAT64 instances, built inside the same Terraform graph by EC2
 * Image Builder: component (build Jool, then test it), recipe on Ubuntu 24.04, infrastructure,
 * distribution that publishes the AMI id to an SSM parameter, a first image built during apply
 * (so the parameter exists before any instance launches) and a weekly pipeline for new parents.
 */
export class JoolImage extends Construct {
  readonly component: ImagebuilderComponent;
  readonly recipe: ImagebuilderImageRecipe;
  readonly infrastructure: ImagebuilderInfrastructureConfiguration;
  readonly distribution: ImagebuilderDistributionConfiguration;
  readonly image: ImagebuilderImage;
  readonly pipeline: ImagebuilderImagePipeline;
  readonly parameterName: string;
  readonly architecture: "arm64" | "amd64";
  readonly joolVersion: string;

  constructor(scope: Construct, id: string, props: JoolImageProps = {}) {
    super(scope, id);
    const tags = props.tags ?? {};
    this.architecture = requireLiteral(this, "architecture", props.architecture ?? "arm64");
    if (this.architecture !== "arm64" && this.architecture !== "amd64") fail(propOf(this, "architecture"), this.architecture, "is not an architecture", 'use "arm64" or "amd64"');
    this.joolVersion = requireLiteral(this, "joolVersion", props.joolVersion ?? DEFAULT_JOOL_VERSION);
    const release = checkJoolVersion(this.joolVersion, propOf(this, "joolVersion"));
    this.parameterName = requireLiteral(this, "parameterName", props.parameterName ?? `/siit-dc/${this.node.path}/ami-id`);
    if (!/^\/[A-Za-z0-9_.\-/]+$/.test(this.parameterName)) {
      fail(propOf(this, "parameterName"), this.parameterName, "is not an SSM parameter name", 'use a path such as "/siit-dc/jool-ami"');
    }
    const region = regionOf(this, props.region);
    // Image Builder names are unique per account and region: the stack is part of the name.
    const name = `siit-dc-${this.node.path.replace(/[^A-Za-z0-9-]/g, "-").toLowerCase()}`;
    const imageTags = { ...tags, JoolVersion: this.joolVersion, JoolCommit: release.commit, Kernel: "Ubuntu 24.04 linux-aws, held at build", JoolMaxKernel: release.maxKernel };

    const document = joolComponentDocument(this.joolVersion, release.commit);
    this.component = new ImagebuilderComponent(this, "Component", {
      name: `${name}-jool`,
      platform: "Linux",
      version: contentVersion(document),
      data: terraformLiteral(document),
      supportedOsVersions: ["Ubuntu 24"],
      description: `Jool ${this.joolVersion} from commit ${release.commit}, tested by creating a throwaway instance`,
      tags: imageTags,
      lifecycle: { createBeforeDestroy: true },
    });

    const parentImage = ubuntuParentImage(this.architecture);
    this.recipe = new ImagebuilderImageRecipe(this, "Recipe", {
      name: `${name}-recipe`,
      version: contentVersion(`${parentImage}\n${document}`),
      parentImage,
      component: [{ componentArn: this.component.arn }],
      blockDeviceMapping: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true", volumeType: "gp3", volumeSize: 8, deleteOnTermination: "true" } }],
      tags: imageTags,
      lifecycle: { createBeforeDestroy: true },
    });

    const role = new IamRole(this, "BuildRole", {
      namePrefix: "siit-dc-imagebuilder-",
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      tags,
    });
    for (const [attachmentId, policy] of [
      ["ImageBuilder", "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder"],
      ["Ssm", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
    ]) {
      new IamRolePolicyAttachment(this, `BuildRole${attachmentId}`, { role: role.name, policyArn: policy });
    }
    const profile = new IamInstanceProfile(this, "BuildProfile", { namePrefix: "siit-dc-imagebuilder-", role: role.name, tags });
    this.infrastructure = new ImagebuilderInfrastructureConfiguration(this, "Infrastructure", {
      name: `${name}-infrastructure`,
      instanceProfileName: profile.name,
      instanceTypes: [props.buildInstanceType ?? (this.architecture === "arm64" ? "c7g.large" : "c7i.large")],
      subnetId: props.buildSubnetId,
      securityGroupIds: props.buildSecurityGroupIds,
      terminateInstanceOnFailure: true,
      instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      tags,
    });
    this.distribution = new ImagebuilderDistributionConfiguration(this, "Distribution", {
      name: `${name}-distribution`,
      distribution: [
        {
          region,
          amiDistributionConfiguration: { name: `${name}-{{ imagebuilder:buildDate }}`, description: `Jool ${this.joolVersion} for SIIT-DC translators and NAT64`, amiTags: imageTags },
          ssmParameterConfiguration: [{ parameterName: this.parameterName, dataType: "aws:ec2:image" }],
        },
      ],
      tags,
    });
    const common = {
      imageRecipeArn: this.recipe.arn,
      infrastructureConfigurationArn: this.infrastructure.arn,
      distributionConfigurationArn: this.distribution.arn,
      imageTestsConfiguration: { imageTestsEnabled: true, timeoutMinutes: 60 },
      tags: imageTags,
    };
    this.image = new ImagebuilderImage(this, "Image", { ...common, timeouts: { create: "90m" } });
    this.pipeline = new ImagebuilderImagePipeline(this, "Pipeline", {
      ...common,
      name: `${name}-pipeline`,
      schedule: { scheduleExpression: props.schedule ?? "cron(0 4 ? * MON *)", pipelineExecutionStartCondition: "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE" },
    });
  }

  /** The image for translators and NAT64 instances: the SSM parameter, once the first build is done. */
  machineImage(): MachineImage {
    return MachineImage.fromSsmParameter(this.parameterName, { rootDeviceName: "/dev/sda1", architecture: this.architecture, dependsOn: [this.image], joolVersion: this.joolVersion });
  }
}
