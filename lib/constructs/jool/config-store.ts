import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { Construct } from "constructs";
import { instance, str } from "../../plan/props/check";
import { TAGS_ONLY } from "../../plan/props/schemas";
import { fragmentPrefix } from "../../plan/jool/fragments";
import { InstanceRole, PolicyStatement } from "../compute/instance-role";
import { checkProps, checkValue } from "../core/props";
import { aws } from "../core/aws";
import { attribute } from "../core/once";

/**
 * Where Jool nodes fetch their configuration: a private, versioned, encrypted S3 bucket with one
 * object per node. Nodes reach it over the dual-stack endpoint and may read only their own object.
 */
export class JoolConfigStore extends Construct {
  /** The bucket (private, versioned, encrypted, TLS only). */
  readonly bucket: S3Bucket;

  constructor(
    scope: Construct,
    id: string,
    props: {
      /**
       * Tags for the bucket.
       * @default - none
       */
      readonly tags?: Record<string, string>;
    } = {},
  ) {
    super(scope, id);
    checkProps(this, "JoolConfigStoreProps", TAGS_ONLY, props);
    this.bucket = new aws.S3Bucket(this, "Bucket", { bucketPrefix: "siit-dc-jool-", tags: props.tags });
    new aws.S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket: attribute(this.bucket, "id"),
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new aws.S3BucketOwnershipControls(this, "Ownership", { bucket: attribute(this.bucket, "id"), rule: { objectOwnership: "BucketOwnerEnforced" } });
    // Earlier configurations stay retrievable: a rollback is a copy of an older version.
    new aws.S3BucketVersioning(this, "Versioning", { bucket: attribute(this.bucket, "id"), versioningConfiguration: { status: "Enabled" } });
    new aws.S3BucketServerSideEncryptionConfiguration(this, "Encryption", {
      bucket: attribute(this.bucket, "id"),
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new aws.S3BucketPolicy(this, "TlsOnly", {
      bucket: attribute(this.bucket, "id"),
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [attribute(this.bucket, "arn"), `${attribute(this.bucket, "arn")}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
  }

  /**
   * Publishes `content` as the configuration of one node and lets `role` read that object only,
   * and with `fragments` also the teams' fragment objects beside it (`<stem>.d/`, see
   * lib/plan/jool/fragments.ts), which each team's own stack writes.
   * @returns the object and its `s3://` location for the node's SiitDcConfig tag
   */
  addNodeConfig(
    id: string,
    key: string,
    content: string,
    role: InstanceRole,
    options: {
      /**
       * Whether the node also reads the fragment objects of its teams.
       * @default false
       */
      readonly fragments?: boolean;
    } = {},
  ): {
    /** The configuration object. */
    object: S3Object;
    /** `s3://<bucket>/<key>`. */
    location: string;
  } {
    checkValue(this, `addNodeConfig(${id}).key`, str({ expected: "an S3 object key", example: '"siit/a0.json"', maxLength: 1024, maxLengthReason: "S3 keys are at most 1,024 bytes" }), key);
    checkValue(this, `addNodeConfig(${id}).content`, str({ expected: "the configuration text", tokens: true }), content);
    checkValue(this, `addNodeConfig(${id}).role`, instance("InstanceRole", "node.role"), role);
    const object = new aws.S3Object(this, id, { bucket: attribute(this.bucket, "id"), key, content, contentType: "application/json" });
    const statements: PolicyStatement[] = [{ sid: "ReadOwnJoolConfiguration", actions: ["s3:GetObject"], resources: [`${attribute(this.bucket, "arn")}/${key}`] }];
    if (options.fragments) {
      const prefix = fragmentPrefix(key);
      statements.push(
        { sid: "ReadOwnTeamFragments", actions: ["s3:GetObject"], resources: [`${attribute(this.bucket, "arn")}/${prefix}*`] },
        { sid: "ListOwnTeamFragments", actions: ["s3:ListBucket"], resources: [attribute(this.bucket, "arn")], conditions: { StringLike: { "s3:prefix": [`${prefix}*`] } } },
      );
    }
    role.addStatements(`Read${id}`, statements);
    return { object, location: `s3://${this.bucket.bucket}/${key}` };
  }
}
