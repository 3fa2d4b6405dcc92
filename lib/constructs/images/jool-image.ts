import type { ImagebuilderComponent } from "@cdktf/provider-aws/lib/imagebuilder-component";
import type { ImagebuilderDistributionConfiguration } from "@cdktf/provider-aws/lib/imagebuilder-distribution-configuration";
import type { ImagebuilderImage } from "@cdktf/provider-aws/lib/imagebuilder-image";
import type { ImagebuilderImagePipeline } from "@cdktf/provider-aws/lib/imagebuilder-image-pipeline";
import type { ImagebuilderImageRecipe } from "@cdktf/provider-aws/lib/imagebuilder-image-recipe";
import type { ImagebuilderInfrastructureConfiguration } from "@cdktf/provider-aws/lib/imagebuilder-infrastructure-configuration";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { Subnet } from "@cdktf/provider-aws/lib/subnet";
import type { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { Ipv4Prefix } from "../../plan/address/ip";
import { fail } from "../../plan/errors";
import { IMAGE_BUILDER_INSTANCE_POLICIES } from "../../plan/policy/iam-actions";
import { checkJoolVersion, contentVersion, DEFAULT_JOOL_VERSION, joolComponentDocument, ubuntuParentImage } from "../../plan/images/jool-image-plan";
import { MachineImage } from "../compute/machine-image";
import { FlowLogDelivery, FlowLogs } from "../network/flow-logs";
import { regionOf } from "../core/region";
import { terraformLiteral } from "../core/render";
import { checkJoolImageInput } from "../core/input-checks";
import { propOf, requireLiteral } from "../core/validate";
import { aws } from "../core/aws";

/** Props of {@link JoolImage}. */
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
   * Subnet of the build instance, with `buildSecurityGroupIds`. It needs IPv4 internet access
   * (GitHub, where Jool's source lives, has no IPv6) and a public IPv4 or a NAT on the way, so
   * not an IPv6-only server subnet.
   * @default - a build network of the library's own (see `buildNetworkCidr`)
   */
  readonly buildSubnetId?: string;
  /**
   * Security groups of the build instance (required with `buildSubnetId`, refused without it).
   * @default - the build network's group: egress tcp/80 and tcp/443 only, no ingress
   */
  readonly buildSecurityGroupIds?: string[];
  /**
   * IPv4 block of the library's build network: a VPC with one public subnet (public IPv4 on
   * launch; the only instance there is the build instance, which nothing can reach: its group
   * admits no inbound traffic), its own route table to an internet gateway, and flow logs.
   * @default "10.254.0.0/24"
   */
  readonly buildNetworkCidr?: string;
  /**
   * Availability zone of the library's build subnet (pick one that offers `buildInstanceType`).
   * @default - AWS picks one
   */
  readonly buildAvailabilityZone?: string;
  /**
   * Flow logs of the library's build network.
   * @default FlowLogs.wholeVpc() (30 days)
   */
  readonly buildNetworkFlowLogs?: FlowLogs;
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
  /**
   * Tags for every resource (and the images).
   * @default - Name tags, and on images JoolVersion, JoolCommit and the kernel policy
   */
  readonly tags?: Record<string, string>;
}

/**
 * A baked image for translators and NAT64 instances, built inside the same Terraform graph by EC2
 * Image Builder: component (build Jool, then test it), recipe on Ubuntu 24.04, infrastructure,
 * distribution that publishes the AMI id to an SSM parameter, a first image built during apply
 * (so the parameter exists before any instance launches) and a weekly pipeline for new parents.
 */
export class JoolImage extends Construct {
  /** The Image Builder component: builds Jool from its pinned commit, holds the kernel, then tests module and tools. */
  readonly component: ImagebuilderComponent;
  /** The recipe: Ubuntu 24.04 parent, the component, an encrypted root volume. */
  readonly recipe: ImagebuilderImageRecipe;
  /** Where the build instance runs (instance type, subnet, security groups, IMDSv2). */
  readonly infrastructure: ImagebuilderInfrastructureConfiguration;
  /** Publishes each new AMI id to `parameterName`. */
  readonly distribution: ImagebuilderDistributionConfiguration;
  /** The first image, built during apply so the parameter exists before any instance launches. */
  readonly image: ImagebuilderImage;
  /** The scheduled pipeline that rebuilds when the parent image or the component changes. */
  readonly pipeline: ImagebuilderImagePipeline;
  /** The SSM parameter that holds the latest AMI id. */
  readonly parameterName: string;
  /** CPU architecture of the image. */
  readonly architecture: "arm64" | "amd64";
  /** The Jool release the image carries; Jool files are validated for it. */
  readonly joolVersion: string;
  /** The build network, unless `buildSubnetId` names one. */
  readonly buildNetwork?: JoolImageBuildNetwork;

  constructor(scope: Construct, id: string, props: JoolImageProps = {}) {
    super(scope, id);
    checkJoolImageInput(this, props);
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
    this.component = new aws.ImagebuilderComponent(this, "Component", {
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
    this.recipe = new aws.ImagebuilderImageRecipe(this, "Recipe", {
      name: `${name}-recipe`,
      version: contentVersion(`${parentImage}\n${document}`),
      parentImage,
      component: [{ componentArn: this.component.arn }],
      blockDeviceMapping: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true", volumeType: "gp3", volumeSize: 8, deleteOnTermination: "true" } }],
      tags: imageTags,
      lifecycle: { createBeforeDestroy: true },
    });

    const role = new aws.IamRole(this, "BuildRole", {
      namePrefix: "siit-dc-imagebuilder-",
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      tags,
    });
    // The two policies Image Builder documents for the build instance's profile (Image Builder
    // user guide, "Identity and Access Management for EC2 Image Builder",
    // https://docs.aws.amazon.com/imagebuilder/latest/userguide/security-iam.html:
    // EC2InstanceProfileForImageBuilder for components and logs, AmazonSSMManagedInstanceCore
    // because Image Builder drives the build through Systems Manager).
    // Only this short-lived instance, alone in its own network, holds them (policy rule
    // AWS-IAM-BROAD-MANAGED-POLICY documents the exception).
    for (const [attachmentId, policy] of IMAGE_BUILDER_INSTANCE_POLICIES) {
      new aws.IamRolePolicyAttachment(this, `BuildRole${attachmentId}`, { role: role.name, policyArn: policy });
    }
    const profile = new aws.IamInstanceProfile(this, "BuildProfile", { namePrefix: "siit-dc-imagebuilder-", role: role.name, tags });
    let subnetId = props.buildSubnetId;
    let securityGroupIds = props.buildSecurityGroupIds;
    if ((subnetId === undefined) !== (securityGroupIds === undefined)) {
      fail(
        propOf(this, subnetId === undefined ? "buildSecurityGroupIds" : "buildSubnetId"),
        subnetId === undefined ? securityGroupIds : subnetId,
        subnetId === undefined ? "names security groups but no buildSubnetId" : "names a subnet but no buildSecurityGroupIds (the build instance would get its VPC's default group)",
        "give both buildSubnetId and buildSecurityGroupIds, or neither (the library then creates the build network)",
      );
    }
    if (subnetId === undefined) {
      this.buildNetwork = new JoolImageBuildNetwork(this, "BuildNetwork", {
        name,
        cidr: requireLiteral(this, "buildNetworkCidr", props.buildNetworkCidr ?? "10.254.0.0/24"),
        availabilityZone: props.buildAvailabilityZone,
        flowLogs: props.buildNetworkFlowLogs ?? FlowLogs.wholeVpc({ retentionDays: 30 }),
        tags,
      });
      subnetId = this.buildNetwork.subnet.id;
      securityGroupIds = [this.buildNetwork.securityGroup.id];
    }
    this.infrastructure = new aws.ImagebuilderInfrastructureConfiguration(this, "Infrastructure", {
      name: `${name}-infrastructure`,
      instanceProfileName: profile.name,
      instanceTypes: [props.buildInstanceType ?? (this.architecture === "arm64" ? "c7g.large" : "c7i.large")],
      subnetId,
      securityGroupIds,
      terminateInstanceOnFailure: true,
      instanceMetadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      tags,
    });
    this.distribution = new aws.ImagebuilderDistributionConfiguration(this, "Distribution", {
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
    this.image = new aws.ImagebuilderImage(this, "Image", { ...common, timeouts: { create: "90m" } });
    this.pipeline = new aws.ImagebuilderImagePipeline(this, "Pipeline", {
      ...common,
      name: `${name}-pipeline`,
      schedule: { scheduleExpression: props.schedule ?? "cron(0 4 ? * MON *)", pipelineExecutionStartCondition: "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE" },
    });
  }

  /** The image for translators and NAT64 instances: the SSM parameter, once the first build is done. */
  machineImage(): MachineImage {
    return MachineImage.fromSsmParameter(this.parameterName, { rootDeviceName: "/dev/sda1", architecture: this.architecture, dependsOn: [this.image], rootSnapshotGiB: 8, joolVersion: this.joolVersion });
  }
}

/**
 * Where the image build instance runs unless the user names a subnet: a VPC of its own with one
 * public subnet (the build needs IPv4 to GitHub and the Ubuntu archive; no NAT gateway to pay
 * for), a route table of its own, and a security group that admits nothing and lets out only
 * HTTP and HTTPS (apt, GitHub, S3, the SSM and Image Builder endpoints). DNS and NTP go to the
 * Amazon-provided resolvers, which security groups do not filter.
 */
export class JoolImageBuildNetwork extends Construct {
  /** The build VPC (IPv4 only). */
  readonly vpc: Vpc;
  /** Its one public subnet. */
  readonly subnet: Subnet;
  /** The build instance's group: no ingress, egress tcp/80 and tcp/443 only. */
  readonly securityGroup: SecurityGroup;
  /** Flow logs of the build VPC, unless turned off. */
  readonly flowLogs?: FlowLogDelivery;

  /** @internal JoolImage creates its build network. */
  constructor(scope: Construct, id: string, props: { readonly name: string; readonly cidr: string; readonly availabilityZone?: string; readonly flowLogs: FlowLogs; readonly tags: Record<string, string> }) {
    super(scope, id);
    const origin = propOf(scope, "buildNetworkCidr");
    let cidr: Ipv4Prefix;
    try {
      cidr = Ipv4Prefix.parse(props.cidr);
    } catch {
      fail(origin, props.cidr, "is not an IPv4 prefix", 'give a block such as "10.254.0.0/24"');
    }
    if (cidr.length < 16 || cidr.length > 28) fail(origin, props.cidr, "is outside the /16 to /28 a VPC accepts", 'use a block such as "10.254.0.0/24"');
    const tags = { ...props.tags, Name: `${props.name}-build` };
    this.vpc = new aws.Vpc(this, "Vpc", { cidrBlock: cidr.toString(), enableDnsSupport: true, enableDnsHostnames: true, tags });
    const igw = new aws.InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags });
    this.subnet = new aws.Subnet(this, "Subnet", { vpcId: this.vpc.id, cidrBlock: cidr.toString(), availabilityZone: props.availabilityZone, mapPublicIpOnLaunch: true, enableDns64: false, tags });
    const routeTable = new aws.RouteTable(this, "RouteTable", { vpcId: this.vpc.id, tags });
    new aws.Route(this, "DefaultIpv4", { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    new aws.RouteTableAssociation(this, "Association", { subnetId: this.subnet.id, routeTableId: routeTable.id });
    this.securityGroup = new aws.SecurityGroup(this, "SecurityGroup", {
      namePrefix: `${props.name}-build-`,
      description: `Jool image build instance of ${scope.node.path}: no inbound, HTTP(S) out`,
      vpcId: this.vpc.id,
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
    for (const port of [80, 443]) {
      new aws.VpcSecurityGroupEgressRule(this, `Tcp${port}`, {
        securityGroupId: this.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
        description: port === 80 ? "Ubuntu archive (apt over HTTP, signed)" : "GitHub, S3, SSM and Image Builder endpoints",
      });
    }
    if (props.flowLogs.coverage !== "off") {
      this.flowLogs = new FlowLogDelivery(this, "FlowLogs", { name: `${props.name}-build`, options: props.flowLogs.options, targets: { vpcId: this.vpc.id }, tags: props.tags });
    }
  }
}
