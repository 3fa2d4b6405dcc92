/**
 * The platform manifest as `terraform output -json siit_dc_platform` would print it after an
 * apply, with deterministic stand-ins for the ids AWS assigns: how examples/teams/platform.json
 * is made (`npm run generate`) and what the tests compare it with. Nothing is deployed from here.
 */

/** The VPC /56 the stand-in manifest gives (inside eu-north-1's Amazon-provided 2a05:d016::/36). */
export const STAND_IN_VPC_IPV6 = "2a05:d016:abc:de00::/56";

const ID_PREFIX: Record<string, string> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_network_interface: "eni",
  aws_security_group: "sg",
  aws_ec2_managed_prefix_list: "pl",
};

/** The manifest output's value of a synthesized platform stack, each `${...}` replaced by what AWS would assign. */
export function standInManifest(platformStack: Record<string, unknown>): unknown {
  const output = (platformStack.output as Record<string, { value: unknown }> | undefined)?.siit_dc_platform;
  if (!output) throw new Error("the stack has no siit_dc_platform output (no PlatformManifest)");
  return withStandIns(output.value);
}

/** Every `${aws_type.name.attr}` reference in `value` replaced by its stand-in (other expressions stay). */
export function withStandIns(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g, (_m, type: string, name: string, attr: string) => standIn(type, name, attr));
  if (Array.isArray(value)) return value.map(withStandIns);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, withStandIns(x)]));
  return value;
}

function standIn(type: string, name: string, attr: string): string {
  const h = hex(name);
  if (attr === "id" && ID_PREFIX[type]) return `${ID_PREFIX[type]}-${h}`;
  if (type === "aws_vpc" && attr === "ipv6_cidr_block") return STAND_IN_VPC_IPV6;
  if (type === "aws_s3_bucket" && attr === "bucket") return `siit-dc-jool-${h}`;
  if (type === "aws_s3_bucket" && attr === "arn") return `arn:aws:s3:::siit-dc-jool-${h}`;
  if (type === "aws_iam_policy" && attr === "arn") return `arn:aws:iam::123456789012:policy/siit-dc-team-${h}`;
  throw new Error(`no stand-in for ${type}.${name}.${attr}`);
}

/** 17 hex digits, as EC2 ids have, from a name (FNV-1a, twice). */
function hex(s: string): string {
  const fnv = (seed: number) => {
    let h = seed;
    for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    return h.toString(16).padStart(8, "0");
  };
  return `${fnv(2166136261)}${fnv(0x811c9dc5 ^ 0x5bd1e995)}0`.slice(0, 17);
}
