import { fail, Origin } from "../errors";

/**
 * What the plan needs to know about EC2 instance types, from AWS's own data:
 * - Only instances built on the Nitro System launch in IPv6-only subnets (VPC User Guide, "Create a
 *   subnet": "Any instances that you launch into an IPv6-only subnet must be instances built on the
 *   Nitro System"). Xen families below are those whose virtualized sizes report `Hypervisor: xen`
 *   in DescribeInstanceTypes (as generated into aws/amazon-vpc-cni-k8s
 *   pkg/vpc/vpc_ip_resource_limit.go), plus retired Xen-era families.
 * - Private IPv4 addresses per network interface (EC2 User Guide, "IP addresses per network
 *   interface per instance type", and the same VPC CNI data).
 */

/** Families whose virtualized sizes run on Xen and so cannot launch in IPv6-only subnets. */
const XEN_FAMILIES = new Set(["t1", "t2", "m1", "m2", "m3", "m4", "c1", "c3", "c4", "r3", "r4", "x1", "x1e", "i2", "i3", "d2", "h1", "f1", "p2", "p3", "g2", "g3", "g3s", "cc2", "cr1", "hs1"]);

/** Families AWS lists as built on the Nitro System (all later generations of these letters are too). */
// Generations and suffix letters as AWS has released them (a AMD, b EBS, d local NVMe, e extra
// memory, g Graviton, i Intel, n network, z frequency; "-flex"): a made-up family such as x9z or
// c9g is refused until it is listed in nitroInstanceFamilies, never guessed.
const NITRO_FAMILY = /^(a1|t3a?|t4g|[cmr][5-8][abdegins]*z?n?(-flex)?|x2(gd|idn|iedn|iezn)|x8[a-z]*|z1d|i3en|i[4-8][a-z]*|im4gn|is4gen|d3e?n?|u-[0-9a-z]+|u7i[a-z]*-[0-9a-z]+|hpc[6-8][a-z]*|inf[1-2]|trn[1-2][a-z]*|dl[1-2][a-z]*|vt1|g4ad|g4dn|g[5-6][a-z]*|p3dn|p[4-6][a-z0-9-]*|mac[1-2][a-z0-9-]*|mac-m4[a-z]*|f2|gr6)$/;

export interface InstanceTypeParts {
  readonly family: string;
  readonly size: string;
}

const INSTANCE_TYPE = /^([a-z][a-z0-9-]*)\.([a-z0-9-]+)$/;

export function parseInstanceType(type: string, origin: Origin): InstanceTypeParts {
  const m = INSTANCE_TYPE.exec(type);
  if (!m) fail(origin, type, "is not an EC2 instance type", 'give a type such as "c7g.large"');
  return { family: m[1], size: m[2] };
}

/**
 * Checks that `type` can launch in an IPv6-only subnet. `extraNitroFamilies` is the escape hatch
 * for families newer than this table: list a family there once AWS documents it as Nitro.
 */
export function checkIpv6OnlyInstanceType(type: string, origin: Origin, extraNitroFamilies: readonly string[] = []): InstanceTypeParts {
  const parts = parseInstanceType(type, origin);
  const isMetal = parts.size.startsWith("metal");
  if (XEN_FAMILIES.has(parts.family) && !(parts.family === "i3" && isMetal)) {
    fail(
      origin,
      type,
      `the ${parts.family} family runs on Xen, and only instances built on the Nitro System launch in IPv6-only subnets`,
      "choose a Nitro family, e.g. t4g, c7g, m7g or c7gn",
    );
  }
  if (!NITRO_FAMILY.test(parts.family) && !extraNitroFamilies.includes(parts.family) && !isMetal) {
    fail(
      origin,
      type,
      `the ${parts.family} family is not known to this library as built on the Nitro System (required in IPv6-only subnets)`,
      `if AWS lists ${parts.family} as a Nitro family, add it to nitroInstanceFamilies: ["${parts.family}"]`,
    );
  }
  return parts;
}

/**
 * Private IPv4 addresses per network interface (primary included), by instance type. Only types
 * confirmed in AWS data are listed; others need an explicit override.
 */
export const IPV4_ADDRESSES_PER_INTERFACE: Readonly<Record<string, number>> = {
  ...sizes(["t3", "t3a", "t4g"], { nano: 2, micro: 2, small: 4, medium: 6, large: 12, xlarge: 15, "2xlarge": 15 }),
  ...sizes(["c6g", "c6gn", "m6g", "c7g", "m7g", "c7gn"], { medium: 4, large: 10, xlarge: 15, "2xlarge": 15, "4xlarge": 30 }),
  ...sizes(["c6i", "m6i", "c7i", "m7i"], { large: 10, xlarge: 15, "2xlarge": 15, "4xlarge": 30 }),
};

function sizes(families: string[], bySize: Record<string, number>): Record<string, number> {
  return Object.fromEntries(families.flatMap((f) => Object.entries(bySize).map(([size, n]) => [`${f}.${size}`, n])));
}

/**
 * The private IPv4 addresses one interface of `type` can hold, from `overrides` or the table.
 * Unknown types are an error naming the override that fixes it: never a guess.
 */
export function ipv4AddressesPerInterface(type: string, origin: Origin, overrides: Readonly<Record<string, number>> = {}): number {
  const n = overrides[type] ?? IPV4_ADDRESSES_PER_INTERFACE[type];
  if (n === undefined) {
    fail(
      origin,
      type,
      "has no known limit of private IPv4 addresses per network interface",
      `look up "IPv4 addresses per interface" for ${type} in the EC2 documentation and pass ipv4AddressesPerInterface: { "${type}": N }`,
    );
  }
  return n;
}

/** CPU architecture of an instance type: Graviton families (a1, and a `g` after the generation) are arm64. */
export function architectureOf(instanceType: string): "arm64" | "amd64" {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) ? "arm64" : "amd64";
}
