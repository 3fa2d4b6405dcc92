/**
 * AWS limits that synthesis can know, so the apply does not fail part-way. Each names its source;
 * default quotas are named as Service Quotas shows them, so a message can say what to raise.
 */

/** EC2 User Guide, "Tag restrictions": 50 tags per resource, keys up to 128 and values up to 256 characters, `aws:` reserved. */
export const TAGS_PER_RESOURCE = 50;
export const TAG_KEY_LENGTH = 128;
export const TAG_VALUE_LENGTH = 256;
/** Tags the library adds itself on some resources (Name, Service, Translator, SiitDcConfig, SiitDcImage, SiitDcTemplateVersion; at most 4 on one resource; image tags add 4 more on their own resources). */
export const LIBRARY_TAGS = 4;

/** EC2 API: security group names and descriptions are at most 255 characters of a restricted set (VPC groups). */
export const SECURITY_GROUP_TEXT_LENGTH = 255;
export const SECURITY_GROUP_TEXT = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

/** VPC quota "Security groups per network interface" (default 5, L-2AFB9258). */
export const SECURITY_GROUPS_PER_INTERFACE = 5;

/** EC2 Image Builder resource names: 1-128 characters; AMI names 3-128 characters after `{{ imagebuilder:buildDate }}` expands (24 characters, e.g. 2026-12-01T23-30-07.123Z). */
export const IMAGE_BUILDER_NAME_LENGTH = 128;
export const BUILD_DATE_LENGTH = 24;

/** CloudWatch: at most 5 actions per alarm state; recovery alarms already use one for the EC2 action. */
export const ACTIONS_PER_ALARM = 5;
/** CloudWatch: alarm names up to 255 characters; dashboard names up to 255 of A-Z, a-z, 0-9, "-", "_". */
export const CLOUDWATCH_NAME_LENGTH = 255;

/** Route 53 quota "Health checks" per account (default 200, L-ACB674F3). */
export const HEALTH_CHECKS_PER_ACCOUNT = 200;
/** Route 53: TTL 0 to 2147483647 seconds; resource paths up to 255 characters; names up to 255 octets (253 characters written). */
export const ROUTE53_MAX_TTL = 2147483647;
export const HEALTH_CHECK_PATH_LENGTH = 255;
export const DNS_NAME_LENGTH = 253;

/** EC2: at most 50 private IPv4 addresses per network interface on any instance type (EC2 User Guide, "IP addresses per network interface per instance type"). */
export const MAX_IPV4_PER_INTERFACE = 50;

/** EC2 quota "Network interfaces per Region" (default 5,000, L-DF5E4CA3): every fixed-address server owns one. */
export const INTERFACES_PER_REGION = 5000;
/** Fleets above this size get a word about EC2's vCPU-based instance quota. */
export const LARGE_FLEET = 100;
export const ON_DEMAND_QUOTA = 'EC2 "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" (vCPUs, L-1216C47A)';

/** SSM Parameter Store: names up to 1011 characters (of 2048 with the ARN), at most 15 levels, not under /aws or /ssm. */
export const SSM_NAME_LENGTH = 1011;
export const SSM_LEVELS = 15;

/** EBS: gp3 volumes are 1 to 16,384 GiB; EC2 refuses a root volume smaller than the image's snapshot. */
export const GP3_MAX_GIB = 16384;
/** Root snapshot of Debian 12's and Canonical's Ubuntu 24.04 AMIs (8 GiB), the images this library names. */
export const LIBRARY_IMAGE_ROOT_GIB = 8;
