import { Ipv6Address, Ipv6Prefix, WELL_KNOWN } from "../address/ip";
import { fail, Origin } from "../errors";
import { LIBRARY_TAGS, TAG_KEY_LENGTH, TAG_VALUE_LENGTH, TAGS_PER_RESOURCE } from "./aws-limits";
import { custom, list, record, Rule, str } from "./check";

/** Rules for the library's domain values, shared by the props schemas. */

/** A region name: `eu-north-1`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`. */
export const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d$/;
/** A regular availability zone: its region plus one letter. */
const AVAILABILITY_ZONE = /^([a-z]{2,4}(?:-[a-z]+)+-\d)([a-z])$/;
const LOCAL_ZONE = /^[a-z]{2}-[a-z]+-\d-[a-z]+-\d+[a-z]$/;
const WAVELENGTH_ZONE = /^[a-z]{2}-[a-z]+-\d-wl\d+-[a-z0-9-]+$/;
const ZONE_ID = /^[a-z]{3,5}\d+-(az|lz|wl)\d+$/;

/** The region of a regular availability zone name, or undefined. */
export function regionOfZone(zone: string): string | undefined {
  return AVAILABILITY_ZONE.exec(zone)?.[1];
}

/** An availability zone name; Local Zones, Wavelength Zones and zone IDs are refused with the reason. */
export const zoneName: Rule = custom(
  "an availability zone name",
  (value, property, ctx) => {
    str({ expected: "an availability zone name", example: '"eu-north-1a"' }).check(value, property, ctx);
    const zone = value as string;
    const o = { path: ctx.path, property };
    if (WAVELENGTH_ZONE.test(zone)) {
      fail(o, zone, "is a Wavelength Zone; the library plans regular availability zones only (Wavelength subnets reach the internet through a carrier gateway, not an internet gateway)", "use availability zones of the parent region, e.g. \"us-east-1a\"");
    }
    if (LOCAL_ZONE.test(zone)) {
      fail(o, zone, "is a Local Zone; the library plans regular availability zones only (a zone's subnet slot comes from its last letter, which Local Zones share with the region's zones)", `use availability zones of the parent region, e.g. "${zone.split("-").slice(0, 3).join("-")}a"`);
    }
    if (ZONE_ID.test(zone)) fail(o, zone, "is a zone ID, not a zone name", 'give the zone name, e.g. "eu-north-1a" (zone IDs differ between accounts)');
    if (!AVAILABILITY_ZONE.test(zone)) fail(o, zone, "is not an availability zone name", 'give a zone name such as "eu-north-1a" (its region followed by one letter)');
  },
  '"eu-north-1a"',
);

/** Zones of one VPC: names, and all in one region. */
export const vpcZones: Rule = custom(
  'a list of availability zone names of one region, e.g. ["eu-north-1a", "eu-north-1b"]',
  (value, property, ctx) => {
    list(zoneName, { expected: "a list of availability zone names", example: '["eu-north-1a", "eu-north-1b"]', min: 1, max: 16, maxReason: "the address plan has 16 zone slots" }).check(value, property, ctx);
    const zones = value as string[];
    const first = regionOfZone(zones[0])!;
    zones.forEach((z, i) => {
      const region = regionOfZone(z)!;
      if (region !== first) {
        fail({ path: ctx.path, property: `${property}[${i}]` }, z, `is in region ${region}, but ${property}[0] "${zones[0]}" is in ${first}; a VPC lives in one region`, `list zones of one region, e.g. "${first}${z.at(-1)}"`);
      }
    });
  },
);

/** A zone among the VPC's (constructs check membership; this checks the shape). */
export const zoneList = list(zoneName, { expected: "a list of availability zone names", example: '["eu-north-1a"]', min: 1, unique: true });

export const region = str({ expected: "an AWS region", example: '"eu-north-1"', pattern: REGION, patternProblem: "is not an AWS region name", patternFix: 'give a region such as "eu-north-1"' });

/** An EC2 instance type such as `c7g.large` (family checks happen where the type is used). */
export const instanceType = str({
  expected: "an EC2 instance type",
  example: '"c7g.large"',
  pattern: /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/,
  patternProblem: "is not an EC2 instance type",
  patternFix: 'give a type such as "c7g.large" (lowercase family, a dot, the size)',
});

export const instanceFamily = str({ expected: "an instance family", example: '"c9g"', pattern: /^[a-z][a-z0-9-]*$/, patternProblem: "is not an instance family", patternFix: 'give the family only, e.g. "c9g" for c9g.large' });

/** Tags: EC2 limits on keys and values, `aws:` reserved, room left for the library's own tags. */
export const tags: Rule = tagRule(false);
/** Tags of constructs that set Name (and Service, Translator, SiitDcConfig, SiitDcImage, SiitDcTemplateVersion) themselves: those keys would be overwritten. */
export const ownedTags: Rule = tagRule(true);

function tagRule(owned: boolean): Rule {
  return record(
  str({ expected: "a tag value", maxLength: TAG_VALUE_LENGTH, maxLengthReason: `AWS allows tag values of at most ${TAG_VALUE_LENGTH} characters`, minLength: 0, tokens: true }),
  {
    expected: "an object of tag keys to values",
    example: '{ Team: "net" }',
    maxEntries: TAGS_PER_RESOURCE - LIBRARY_TAGS,
    maxReason: `AWS allows ${TAGS_PER_RESOURCE} tags per resource and the library adds up to ${LIBRARY_TAGS} of its own`,
    key: str({
      expected: "a tag key",
      maxLength: TAG_KEY_LENGTH,
      maxLengthReason: `AWS allows tag keys of at most ${TAG_KEY_LENGTH} characters`,
      also(key, property, ctx) {
        if (/^aws:/i.test(key)) fail({ path: ctx.path, property }, key, 'starts with "aws:", which AWS reserves for its own tags', "use a key without the aws: prefix");
        if (owned && ["Name", "Service", "Translator", "SiitDcConfig", "SiitDcImage", "SiitDcTemplateVersion"].includes(key)) fail({ path: ctx.path, property }, key, "is a tag the library sets itself (it would be overwritten)", "use another key");
      },
    }),
  },
  );
}

/** An ARN an alarm can act on: SNS topic, Auto Scaling policy, Lambda, SSM OpsItem/incident. */
export const alarmAction = str({
  expected: "an alarm action ARN",
  example: '"arn:aws:sns:eu-north-1:123456789012:ops"',
  tokens: true,
  pattern: /^arn:aws[a-z-]*:(sns|autoscaling|lambda|ssm|ssm-incidents|automate):[a-z0-9-]*:[^:]*:.+$/,
  patternProblem: "is not an ARN CloudWatch alarms can act on (SNS topic, Auto Scaling policy, Lambda function, Systems Manager, EC2 action)",
  patternFix: 'give an ARN such as "arn:aws:sns:eu-north-1:123456789012:ops", or the topic\'s arn attribute',
});

let specialIpv6: readonly { readonly prefix: Ipv6Prefix; readonly what: string }[] | undefined;
/**
 * Special IPv6 ranges no service address or translation prefix may touch; parsed on first use,
 * so that importing the library parses nothing.
 */
const special6 = () =>
  (specialIpv6 ??= [
    { prefix: Ipv6Prefix.parse("::/128"), what: "the unspecified address" },
    { prefix: Ipv6Prefix.parse("::1/128"), what: "the loopback address" },
    { prefix: Ipv6Prefix.parse("::ffff:0:0/96"), what: "IPv4-mapped space ::ffff:0:0/96" },
    { prefix: Ipv6Prefix.parse("fe80::/10"), what: "link-local space fe80::/10" },
    { prefix: Ipv6Prefix.parse("fec0::/10"), what: "deprecated site-local space fec0::/10" },
    { prefix: Ipv6Prefix.parse("ff00::/8"), what: "multicast space ff00::/8" },
  ]);

/** The special range `prefix` overlaps, if any (64:ff9b::/96 is checked separately, with its own reason). */
export function specialIpv6Overlap(prefix: Ipv6Prefix): string | undefined {
  return special6().find((s) => s.prefix.overlaps(prefix))?.what;
}

/** Fails when a publish target address cannot be a server's unicast address. */
export function checkTargetAddress(address: Ipv6Address, shown: unknown, origin: Origin): void {
  const special = specialIpv6Overlap(address.toPrefix());
  if (special) fail(origin, shown, `is ${special.endsWith("address") ? "" : "in "}${special}; a server's address must be a global or unique-local unicast address of the VPC`, "publish the server's own address, e.g. fleet.server(0)");
  if (WELL_KNOWN.nat64.contains(address)) {
    fail(origin, shown, "is inside 64:ff9b::/96, the NAT64 prefix: it stands for an IPv4 host behind the outbound NAT64, not a server", "publish the server's own IPv6 address, e.g. fleet.server(0)");
  }
}

/** Fails when a prefix the user gives (VPC /56, translation /48) lies in special space. */
export function checkUnicastPrefix(prefix: Ipv6Prefix, shown: unknown, origin: Origin, fix: string): void {
  const special = specialIpv6Overlap(prefix);
  if (special) fail(origin, shown, `overlaps ${special.endsWith("address") ? `${special} ${special.includes("loopback") ? "::1" : "::"}` : special}, which is never routed as a VPC or translation prefix`, fix);
}
