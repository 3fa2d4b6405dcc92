import { AddressSyntaxError, Ipv6Prefix } from "../address/ip";
import { fail } from "../errors";
import {
  ACTIONS_PER_ALARM,
  CLOUDWATCH_NAME_LENGTH,
  DNS_NAME_LENGTH,
  GP3_MAX_GIB,
  HEALTH_CHECK_PATH_LENGTH,
  MAX_IPV4_PER_INTERFACE,
  ROUTE53_MAX_TTL,
  SECURITY_GROUP_TEXT,
  SECURITY_GROUP_TEXT_LENGTH,
  SECURITY_GROUPS_PER_INTERFACE,
  SSM_LEVELS,
  SSM_NAME_LENGTH,
} from "./aws-limits";
import { bool, custom, instance, instanceOfAny, int, list, oneOf, record, required, Shape, shape, str } from "./check";
import { alarmAction, instanceFamily, instanceType, ownedTags, region, tags, vpcZones, zoneList } from "./rules";

/**
 * The props of every public construct and the options of every public method, as rules. Type,
 * range and enum checks live here; checks that need several props or other constructs live in
 * lib/constructs/core/input-checks.ts. A prop added to an interface must be added here too: an
 * unknown key is refused (a misspelt key would otherwise be silently ignored).
 */

const vpc = required(instance("Ipv6OnlyVpc", "new Ipv6OnlyVpc(stack, \"Net\", { availabilityZones: [...] })"));
const image = instance("MachineImage", "MachineImage.debian12()");
const configStore = instance("JoolConfigStore", "new JoolConfigStore(stack, \"Store\")");
const hostIndex = int({ min: 4, max: 65535, range: "fixed host indexes run from 4 (AWS reserves ::0 to ::3) to 65535 (::ffff)", fix: "use a host index between 4 and 65535" });
// The upper end depends on the VPC's IPv4 block; the address plan checks it with the block's size.
const edgeHostIndex = int({ min: 4, range: "edge host indexes start at 4 (AWS reserves the first four addresses of every subnet)", fix: "use an edge host index of at least 4" });

export const MONITORING: Shape = {
  alarmActions: list(alarmAction, {
    expected: "a list of ARNs",
    example: "[topic.arn]",
    max: ACTIONS_PER_ALARM - 1,
    maxReason: `CloudWatch allows ${ACTIONS_PER_ALARM} actions per alarm and the recovery alarms use one for their EC2 action`,
    maxFix: `notify at most ${ACTIONS_PER_ALARM - 1} targets, e.g. one SNS topic that fans out`,
    tokens: true,
    unique: true,
  }),
  dropsPer5Minutes: int({ min: 0, expected: "a whole number of packets (0 or more)", fix: "give a whole number of dropped packets per 5 minutes, e.g. 1000" }),
};
const monitoring = shape(MONITORING, { typeName: "JoolNodeMonitoring", example: "{ alarmActions: [topic.arn] }" });

export const VPC_PROPS: Shape = {
  availabilityZones: required(vpcZones),
  ipv4Cidr: str({ expected: "an IPv4 CIDR", example: '"10.0.0.0/16"' }),
  ipv6Cidr: instance("VpcIpv6Cidr", "VpcIpv6Cidr.amazonProvided()"),
  serverTiers: list(str({ expected: "a tier name", example: '"servers"' }), { expected: "a list of tier names", example: '["servers"]', min: 1 }),
  serverIpv6Internet: instance("ServerIpv6Internet", "ServerIpv6Internet.OUTBOUND_ONLY"),
  dns64: bool(),
  flowLogs: instance("FlowLogs", "FlowLogs.internetSubnets()"),
  tags: ownedTags,
};

export const AUTO_SCALING: Shape = {
  minCapacity: required(int({ min: 0, fix: "give a whole number of instances, 0 or more" })),
  maxCapacity: required(int({ min: 1, fix: "give a whole number of instances, 1 or more" })),
  desiredCapacity: int({ min: 0, fix: "give a whole number between minCapacity and maxCapacity" }),
};

/** A fleet's VPC: one of this app, or one a platform manifest describes (a team's). */
const fleetVpc = required(instanceOfAny(["Ipv6OnlyVpc", "ImportedIpv6OnlyVpc"], 'new Ipv6OnlyVpc(stack, "Net", { availabilityZones: [...] })'));

export const FLEET_PROPS: Shape = {
  vpc: fleetVpc,
  instanceType: required(instanceType),
  servers: int({ min: 1, range: "a fleet with fixed addresses needs at least one server", fix: "set servers to 1 or more, or remove the fleet" }),
  serversPerZone: int({ min: 1, range: "a fleet with fixed addresses needs at least one server per zone", fix: "set serversPerZone to 1 or more, or remove the fleet" }),
  autoScaling: shape(AUTO_SCALING, { typeName: "FleetAutoScaling", example: "{ minCapacity: 1, maxCapacity: 4 }" }),
  zones: zoneList,
  tier: str({ expected: "a server tier name", example: '"servers"' }),
  firstHostIndex: hostIndex,
  hostIndexes: list(hostIndex, { expected: "a list of host indexes", example: "[16, 17]", min: 1 }),
  image,
  userData: str({ expected: "user data text (#cloud-config or a #! script)", example: '"#!/bin/sh\\n..."' }),
  rootVolumeSize: int({ min: 1, max: GP3_MAX_GIB, range: `gp3 volumes are 1 to ${GP3_MAX_GIB} GiB`, fix: "give a whole number of GiB, at least the image's size (8 for Debian 12)" }),
  metadataHopLimit: int({ min: 1, max: 64, range: "EC2 accepts hop limits from 1 to 64", fix: "use 1 (or 2 for containers that need instance metadata)" }),
  nitroInstanceFamilies: list(instanceFamily, { expected: "a list of instance families", example: '["c9g"]' }),
  tags: ownedTags,
};

export const FLEET_INGRESS: Shape = {
  port: required(instance("Port", "Port.tcp(443)")),
  ipv6Cidr: str({
    expected: "an IPv6 CIDR",
    example: '"2001:db8::/32"',
    tokens: true,
    also(text, property, ctx) {
      try {
        Ipv6Prefix.parse(text);
      } catch (e) {
        if (!(e instanceof AddressSyntaxError)) throw e;
        fail({ path: ctx.path, property }, text, e.message, 'give an IPv6 prefix such as "2001:db8::/32" (IPv4 clients reach servers only through the translators)');
      }
    },
  }),
  prefixList: instance("Ec2ManagedPrefixList", "a managed prefix list of IPv6 prefixes"),
  description: required(securityGroupText("a rule description", '"HTTPS from the office"')),
};

/** Declared public addresses (of a translator set or a team). */
const PUBLIC_ADDRESSES = list(
  shape(
    {
      id: required(str({ expected: "an address id", example: '"www"' })),
      number: required(int({ min: 1, range: "service numbers start at 1", fix: "give the number of the service that uses these addresses" })),
      translators: list(str({ expected: 'a translator as "zone" or "zone/ordinal"', example: '"eu-north-1a"' }), { expected: "a list of translators", example: '["eu-north-1a", "eu-north-1b/1"]', min: 1 }),
      preventDestroy: bool(),
    },
    { typeName: "PublicAddress", example: '{ id: "www", number: 1 }' },
  ),
  { expected: "a list of public addresses", example: '[{ id: "www", number: 1 }]' },
);

export const TRANSLATORS_PROPS: Shape = {
  vpc,
  instanceType,
  zones: zoneList,
  translatorsPerZone: int({ min: 1, max: 16, range: "must be a whole number from 1 to 16", fix: "choose how many translators each zone runs" }),
  translationPrefix: str({ expected: "an IPv6 /48", example: '"64:ff9b:1::/48"' }),
  image,
  firstHostIndex: edgeHostIndex,
  lowestIpv6Mtu: int({ min: 1500, max: 9001, range: "must lie between 1500 (the internet path through an AWS internet gateway) and 9001 (the VPC MTU)", fix: "use 1500 unless every IPv6 path is known to carry more" }),
  eamHairpinMode: instance("EamHairpinMode", "EamHairpinMode.INTRINSIC"),
  ipv4AddressesPerInterface: record(
    int({ min: 2, max: MAX_IPV4_PER_INTERFACE, range: `an interface holds 2 (the primary and one service) to ${MAX_IPV4_PER_INTERFACE} (the largest EC2 instance types) private IPv4 addresses`, fix: 'look up "IPv4 addresses per interface" for the type in the EC2 documentation' }),
    { expected: "an object of instance types to address counts", example: '{ "c8gn.large": 10 }', key: instanceType },
  ),
  configStore,
  monitoring,
  region,
  publicAddresses: PUBLIC_ADDRESSES,
  teams: list(
    shape(
      {
        name: required(str({ expected: "a team name", example: '"payments"' })),
        firstNumber: required(int({ min: 1, range: "service numbers start at 1", fix: "give the team's first service number (64 + number a multiple of 16)" })),
        numberCount: int({ min: 16, range: "a team gets whole /28s of 16 numbers", fix: "use 16, 32, ..." }),
        tiers: list(str({ expected: "a server tier", example: '"payments"' }), { expected: "a list of server tiers", example: '["payments"]', unique: true }),
      },
      { typeName: "TranslatorTeam", example: '{ name: "payments", firstNumber: 64, tiers: ["payments"] }' },
    ),
    { expected: "a list of teams", example: '[{ name: "payments", firstNumber: 64 }]' },
  ),
  rollout: shape(
    {
      zones: zoneList,
      image,
      instanceType,
      allAtOnce: bool(),
    },
    { typeName: "TranslatorRollout", example: '{ zones: ["eu-north-1a"], image: newImage }' },
  ),
  allowInterfaceReplacement: bool(),
  tags: ownedTags,
};

export const HEALTH_CHECK: Shape = {
  port: int({ min: 1, max: 65535, range: "ports run from 1 to 65535", fix: "use a TCP port the service publishes" }),
  type: oneOf(["TCP", "HTTP", "HTTPS"]),
  resourcePath: str({
    expected: "a path",
    example: '"/health"',
    pattern: /^\/\S*$/,
    patternProblem: "is not a path (it must start with / and contain no spaces)",
    patternFix: 'give a path such as "/health"',
    maxLength: HEALTH_CHECK_PATH_LENGTH,
    maxLengthReason: `Route 53 allows resource paths of at most ${HEALTH_CHECK_PATH_LENGTH} characters`,
  }),
  requestInterval: int({ expected: "10 or 30", fix: "use 10 or 30" }),
  failureThreshold: int({ min: 1, max: 10, range: "Route 53 accepts 1 to 10", fix: "use a value from 1 to 10" }),
};

const dnsName = str({
  expected: "a fully qualified domain name",
  example: '"www.example.com"',
  maxLength: DNS_NAME_LENGTH,
  maxLengthReason: `DNS names are at most ${DNS_NAME_LENGTH} characters`,
  also(name, property, ctx) {
    const labels = name.replace(/\.$/, "").split(".");
    const bad = labels.find((l) => !/^(\*|[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)$/.test(l));
    if (bad !== undefined || labels.length < 2) {
      fail({ path: ctx.path, property }, name, bad === "" ? "has an empty label" : labels.length < 2 ? "is a single label, not a fully qualified name" : `has the label "${bad}", which is not a DNS label`, 'give a name such as "www.example.com" (labels of 1-63 letters, digits and hyphens)');
    }
  },
});

export const DNS: Shape = {
  hostedZoneId: required(
    str({ expected: "a Route 53 hosted zone id", example: "zone.zoneId", tokens: true, pattern: /^(\/hostedzone\/)?Z[A-Z0-9]{1,32}$/, patternProblem: "is not a Route 53 hosted zone id", patternFix: 'give the zone\'s id (e.g. "Z0123456789ABCDEFGHIJ" or zone.zoneId), not its name' }),
  ),
  name: required(dnsName),
  ttl: int({ min: 0, max: ROUTE53_MAX_TTL, range: `Route 53 TTLs run from 0 to ${ROUTE53_MAX_TTL} seconds`, fix: "use 60 or less for health-checked records" }),
  healthCheck: shape(HEALTH_CHECK, { typeName: "HealthCheckOptions", example: '{ type: "HTTP", port: 80 }' }),
};

export const PUBLISH_OPTIONS: Shape = {
  number: required(int({ min: 1, range: "service numbers start at 1 (the service's edge host is 64 + number)", fix: "give the service a whole number, unique in the VPC, e.g. 1" })),
  ports: required(list(instance("Port", "Port.tcp(443)"), { expected: "a list of ports", example: "[Port.tcp(443)]", min: 1 })),
  translators: list(instance("Translator", "edge.translator(\"eu-north-1a\")"), { expected: "a list of translators", example: '[edge.translator("eu-north-1a")]', min: 1 }),
  dns: shape(DNS, { typeName: "ServiceDnsOptions", example: '{ hostedZoneId: zone.zoneId, name: "www.example.com" }' }),
  ipv6Internet: bool(),
  preventDestroy: bool(),
  outboundIpv4: bool(),
};

/** Options of SiitDcTeam.publish: as the set's, carrying translators by id. */
export const TEAM_PUBLISH_OPTIONS: Shape = {
  ...PUBLISH_OPTIONS,
  translators: list(str({ expected: "a translator id", example: '"a0"' }), { expected: "a list of translator ids", example: '["a0", "b0"]', min: 1, unique: true }),
};

/** Props of SiitDcTeam. */
export const TEAM_PROPS: Shape = {
  platform: required(instance("TeamPlatform", 'translators.forTeam("payments"), or TeamPlatform.fromManifest(json, { team: "payments" })')),
  publicAddresses: PUBLIC_ADDRESSES,
  tags,
};

export const JOOL_NAT64_OPTIONS: Shape = {
  instanceType,
  image,
  pool4: list(shape({ protocol: required(oneOf(["tcp", "udp", "icmp"])), ports: required(str({ expected: 'a port range "from-to"', example: '"61001-65535"' })) }, { typeName: "Pool4Range", example: '{ protocol: "tcp", ports: "61001-65535" }' }), {
    expected: "a list of pool4 ranges",
    example: '[{ protocol: "tcp", ports: "61001-65535" }]',
  }),
  firstHostIndex: edgeHostIndex,
  monitoring,
  region,
};

export const NAT64_PROPS: Shape = {
  vpc,
  provider: instance("Nat64Provider", "Nat64Provider.natGateway()"),
  zones: zoneList,
  placement: instance("Nat64Placement", "Nat64Placement.perZone()"),
  prefix: str({ expected: "an IPv6 prefix", example: '"64:ff9b::/96"' }),
  configStore,
  tags: ownedTags,
};

export const JOOL_IMAGE_PROPS: Shape = {
  architecture: oneOf(["arm64", "amd64"]),
  joolVersion: str({ expected: "a Jool version", example: '"4.1.15"' }),
  parameterName: str({
    expected: "an SSM parameter name",
    example: '"/siit-dc/jool-ami"',
    maxLength: SSM_NAME_LENGTH,
    maxLengthReason: `SSM parameter names are at most ${SSM_NAME_LENGTH} characters`,
    pattern: /^\/[A-Za-z0-9_.\-/]+$/,
    patternProblem: "is not an SSM parameter name",
    patternFix: 'use a path such as "/siit-dc/jool-ami"',
    also(name, property, ctx) {
      const o = { path: ctx.path, property };
      if (/^\/(aws|ssm)(\/|$)/i.test(name)) fail(o, name, "is under /aws or /ssm, which AWS reserves for public parameters", 'use a path of your own, e.g. "/siit-dc/jool-ami"');
      if (name.split("/").length - 1 > SSM_LEVELS) fail(o, name, `has ${name.split("/").length - 1} levels; SSM allows ${SSM_LEVELS}`, "use a shorter path");
      if (/\/\/|\/$/.test(name)) fail(o, name, "has an empty level", 'use a path such as "/siit-dc/jool-ami"');
    },
  }),
  buildInstanceType: instanceType,
  buildSubnetId: str({ expected: "a subnet id", example: "subnet.id", tokens: true, pattern: /^subnet-[0-9a-f]{8,17}$/, patternProblem: "is not a subnet id", patternFix: 'give an id such as "subnet-0123456789abcdef0" or a subnet\'s id attribute' }),
  buildSecurityGroupIds: list(str({ expected: "a security group id", example: "group.id", tokens: true, pattern: /^sg-[0-9a-f]{8,17}$/, patternProblem: "is not a security group id", patternFix: 'give an id such as "sg-0123456789abcdef0" or a group\'s id attribute' }), {
    expected: "a list of security group ids",
    example: "[group.id]",
    min: 1,
    max: SECURITY_GROUPS_PER_INTERFACE,
    maxReason: `the default quota "Security groups per network interface" is ${SECURITY_GROUPS_PER_INTERFACE} (L-2AFB9258)`,
    maxFix: `use at most ${SECURITY_GROUPS_PER_INTERFACE} groups, or raise the quota`,
    tokens: true,
    unique: true,
  }),
  schedule: str({
    expected: "an Image Builder cron expression",
    example: '"cron(0 4 ? * MON *)"',
    pattern: /^cron\(\S+( \S+){5}\)$/,
    patternProblem: "is not an Image Builder schedule (cron with six fields)",
    patternFix: 'write it as "cron(minutes hours day-of-month month day-of-week year)", e.g. "cron(0 4 ? * MON *)"',
  }),
  buildNetworkCidr: str({ expected: "an IPv4 CIDR", example: '"10.254.0.0/24"' }),
  buildAvailabilityZone: str({ expected: "an availability zone name", example: '"eu-north-1a"' }),
  buildNetworkFlowLogs: instance("FlowLogs", "FlowLogs.wholeVpc()"),
  region,
  tags: ownedTags,
};

/** InstanceRoleProps. */
export const INSTANCE_ROLE_PROPS: Shape = { sessionManager: bool(), tags };

export const DASHBOARD_PROPS: Shape = {
  translators: list(instance("SiitDcTranslators", "new SiitDcTranslators(...)"), { expected: "a list of translator sets", example: "[edge]", unique: true }),
  nat64: list(instance("OutboundNat64", "new OutboundNat64(...)"), { expected: "a list of OutboundNat64 constructs", example: "[outbound]", unique: true }),
  dashboardName: str({
    expected: "a dashboard name",
    example: '"siit-dc"',
    maxLength: CLOUDWATCH_NAME_LENGTH,
    maxLengthReason: `CloudWatch allows dashboard names of at most ${CLOUDWATCH_NAME_LENGTH} characters`,
    pattern: /^[A-Za-z0-9_-]+$/,
    patternProblem: "has characters CloudWatch does not allow in dashboard names",
    patternFix: "use letters, digits, - and _ only",
  }),
  region,
};

export const TAGS_ONLY: Shape = { tags };

/** A Jool node's props (set by translator sets and NAT64s, or by your own construct). */
export const JOOL_NODE_PROPS: Shape = {
  mode: required(oneOf(["siit", "nat64"])),
  name: required(str({ expected: "a name", example: '"net-edge-a0"', maxLength: 200, maxLengthReason: "it prefixes alarm names, which CloudWatch limits to 255 characters" })),
  subnet: required(instance("TierSubnet", 'vpc.edgeSubnet("eu-north-1a")')),
  primaryIpv4: required(str({ expected: "a private IPv4 address", example: '"10.0.0.10"' })),
  secondaryIpv4: custom("a function returning the secondary private IPv4 addresses", (value, property, ctx) => {
    if (typeof value !== "function") fail({ path: ctx.path, property }, value, "is not a function", "pass () => [...addresses]");
  }),
  protectInterface: bool(),
  ipv4Prefixes: custom("a function returning the IPv4 /28 prefixes delegated to the interface", (value, property, ctx) => {
    if (typeof value !== "function") fail({ path: ctx.path, property }, value, "is not a function", "pass () => [...prefixes]");
  }),
  teamSecurityGroups: custom("a function returning the teams' security group ids", (value, property, ctx) => {
    if (typeof value !== "function") fail({ path: ctx.path, property }, value, "is not a function", "pass () => [...ids]");
  }),
  ipv6: required(str({ expected: "an IPv6 address", tokens: true })),
  securityGroup: required(instance("SecurityGroup", "a SecurityGroup")),
  instanceType: required(instanceType),
  image: required(image),
  store: required(configStore),
  configKey: required(str({ expected: "an S3 object key", example: '"siit/a0.json"' })),
  config: required(str({ expected: "the complete Jool file", tokens: true })),
  region: required(region),
  monitoring: required(monitoring),
  tags,
  instanceTags: tags,
};

export const POLICY_STATEMENT: Shape = {
  sid: str({ expected: "a statement id", example: '"ReadConfig"', pattern: /^[A-Za-z0-9]+$/, patternProblem: "is not an IAM statement id", patternFix: "use letters and digits only" }),
  actions: required(list(str({ expected: "an IAM action", example: '"s3:GetObject"', pattern: /^([a-z0-9-]+:[A-Za-z0-9*]+|\*)$/, patternProblem: "is not an IAM action", patternFix: 'write service:Action, e.g. "s3:GetObject"' }), { expected: "a list of actions", example: '["s3:GetObject"]', min: 1 })),
  resources: required(list(str({ expected: "an ARN or *", example: "bucket.arn", tokens: true }), { expected: "a list of resources", example: "[bucket.arn]", min: 1, tokens: true })),
  conditions: record(record(custom("a string or a list of strings", () => undefined), { expected: "an object of condition keys to values" }), { expected: "an object of condition operators", example: '{ StringEquals: { "aws:SourceVpc": vpc.id } }' }),
};


/** Text EC2 accepts in security group names and descriptions. */
export function securityGroupText(expected: string, example: string) {
  return str({
    expected,
    example,
    maxLength: SECURITY_GROUP_TEXT_LENGTH,
    maxLengthReason: `EC2 allows ${SECURITY_GROUP_TEXT_LENGTH} characters`,
    pattern: SECURITY_GROUP_TEXT,
    patternProblem: "has characters EC2 refuses in security group text",
    patternFix: "use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only",
    tokens: true,
  });
}
