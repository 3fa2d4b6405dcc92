import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import {
  EamHairpinMode,
  Ipv6OnlyVpc,
  Ipv6OnlyVpcProps,
  Ipv6ServerFleet,
  Ipv6ServerFleetProps,
  JoolConfigStore,
  JoolImage,
  JoolImageProps,
  JoolNode,
  MachineImage,
  Nat64Placement,
  Nat64Provider,
  OutboundNat64,
  OutboundNat64Props,
  PlanError,
  Port,
  PublishOptions,
  RouteTarget,
  ServerIpv6Internet,
  SiitDcDashboard,
  SiitDcDashboardProps,
  SiitDcTeam,
  SiitDcTranslators,
  TeamPlatform,
  SiitDcTranslatorsProps,
  VpcIpv6Cidr,
} from "../../lib";
import { InstanceRole } from "../../lib/constructs/compute/instance-role";
import { TerraformStack, TerraformVariable, Testing } from "../../lib/cdktf";
import { decodeUserData, splitUserData } from "../../lib/plan/boot/user-data";
import { resourcesOf, synthJson, testStack } from "../support/stacks";

/**
 * The bad-input catalogue: what a hurried user (or plain JavaScript, or JSON-driven code) gets
 * wrong, each with the exact message it must produce. Every message names the construct path,
 * the property, the value as written, the problem and a fix; none may be a crash (a TypeError, a
 * RangeError, an internal error) and none may synthesize silently. `js()` stands for a call from
 * plain JavaScript: the value goes through `unknown`, as the compiler would never see it.
 */

const js = <T>(value: unknown): T => value as T;
const zones = ["eu-north-1a", "eu-north-1b"];

type Build = (s: TerraformStack) => unknown;

const vpc = (s: TerraformStack, extra: Partial<Ipv6OnlyVpcProps> = {}) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones, ...extra });
const fleet = (s: TerraformStack, extra: Partial<Ipv6ServerFleetProps> = {}, net = vpc(s)) => new Ipv6ServerFleet(s, "Web", { vpc: net, servers: 4, instanceType: "c7g.large", ...extra });
const edge = (s: TerraformStack, extra: Partial<SiitDcTranslatorsProps> = {}, net = vpc(s)) => new SiitDcTranslators(s, "Edge", { vpc: net, ...extra });
/** A translator set and a fleet, and `options` published for server 0. */
function publish(s: TerraformStack, options: unknown, target?: (web: Ipv6ServerFleet) => unknown, vpcProps: Partial<Ipv6OnlyVpcProps> = {}) {
  const net = vpc(s, vpcProps);
  const web = fleet(s, {}, net);
  const set = edge(s, {}, net);
  return set.publish("www", js(target ? target(web) : web.server(0)), js<PublishOptions>(options));
}
const www = { number: 1, ports: [Port.tcp(80), Port.tcp(443)] };
const dns = (extra: object = {}) => ({ ...www, dns: { hostedZoneId: "Z0EXAMPLE0SIITDC", name: "www.example.com", ...extra } });
const hc = (healthCheck: object, ports = www.ports) => ({ ...dns({ healthCheck }), ports });
/** A team of a set in the same stack (one-app model, the share read directly). */
const teamOf = (s: TerraformStack) => new SiitDcTeam(s, "Payments", { platform: edge(s, { instanceType: "c7gn.large", teams: [{ name: "payments", firstNumber: 64 }] }).forTeam("payments") });
const nat64 = (s: TerraformStack, props: Partial<OutboundNat64Props> = {}, net = vpc(s)) => new OutboundNat64(s, "Outbound", { vpc: net, ...props });
const image = (s: TerraformStack, props: unknown) => new JoolImage(s, "JoolImage", js<JoolImageProps>(props));

/** Builds in a fresh stack and synthesizes with validations; returns what went wrong. */
function outcome(build: Build): { kind: "ok" | "PlanError" | "validation" | "crash"; message: string } {
  const stack = testStack();
  try {
    build(stack);
  } catch (e) {
    return { kind: e instanceof PlanError ? "PlanError" : "crash", message: e instanceof Error ? `${e.message}` : String(e) };
  }
  try {
    Testing.synth(stack, true);
  } catch (e) {
    return { kind: "validation", message: e instanceof Error ? e.message : String(e) };
  }
  return { kind: "ok", message: "" };
}

/** [what the user did, the build, the exact message]. */
const catalogue: [string, Build, string][] = [
  // --- Ipv6OnlyVpc: types, required, unknown keys (plain JavaScript) ---
  ["vpc: no props at all", (s) => new Ipv6OnlyVpc(s, "Net", js(undefined)), "test/Net: props = undefined: is missing; Ipv6OnlyVpcProps needs availabilityZones. Fix: pass Ipv6OnlyVpcProps { availabilityZones: \u2026 }"],
  ["vpc: props are a string", (s) => new Ipv6OnlyVpc(s, "Net", js("eu-north-1a")), "test/Net: props = \"eu-north-1a\": is a string, not Ipv6OnlyVpcProps (an object). Fix: pass Ipv6OnlyVpcProps { availabilityZones: \u2026 }"],
  ["vpc: availabilityZones missing", (s) => new Ipv6OnlyVpc(s, "Net", js({})), "test/Net: availabilityZones = undefined: is required by Ipv6OnlyVpcProps. Fix: give a list of availability zone names of one region, e.g. [\"eu-north-1a\", \"eu-north-1b\"]"],
  ["vpc: availabilityZones as a string", (s) => new Ipv6OnlyVpc(s, "Net", js({ availabilityZones: "eu-north-1a" })), "test/Net: availabilityZones = \"eu-north-1a\": is a string, not a list of availability zone names. Fix: give a list of availability zone names, e.g. [\"eu-north-1a\", \"eu-north-1b\"]"],
  ["vpc: availabilityZones as an object", (s) => new Ipv6OnlyVpc(s, "Net", js({ availabilityZones: { a: "eu-north-1a" } })), "test/Net: availabilityZones = {\"a\":\"eu-north-1a\"}: is an object, not a list of availability zone names. Fix: give a list of availability zone names, e.g. [\"eu-north-1a\", \"eu-north-1b\"]"],
  ["vpc: availabilityZones empty", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: [] }), "test/Net: availabilityZones = []: is empty. Fix: give a list of availability zone names, e.g. [\"eu-north-1a\", \"eu-north-1b\"]"],
  ["vpc: zone as a number", (s) => new Ipv6OnlyVpc(s, "Net", js({ availabilityZones: [1, 2] })), "test/Net: availabilityZones[0] = 1: is a number, not an availability zone name. Fix: give an availability zone name, e.g. \"eu-north-1a\""],
  ["vpc: a hole in the zone list", (s) => new Ipv6OnlyVpc(s, "Net", js({ availabilityZones: ["eu-north-1a", undefined] })), "test/Net: availabilityZones[1] = undefined: is undefined, not an availability zone name. Fix: remove the hole from the list or give an availability zone name, e.g. \"eu-north-1a\""],
  ["vpc: misspelt availabilityZone", (s) => new Ipv6OnlyVpc(s, "Net", js({ availabilityZone: zones })), "test/Net: availabilityZone = [\"eu-north-1a\",\"eu-north-1b\"]: is not a property of Ipv6OnlyVpcProps, so it would be ignored. Fix: did you mean availabilityZones? (Ipv6OnlyVpcProps has availabilityZones, ipv4Cidr, ipv6Cidr, serverTiers, serverIpv6Internet, dns64, flowLogs, tags)"],
  ["vpc: misspelt key besides the right ones", (s) => new Ipv6OnlyVpc(s, "Net", js({ availabilityZones: zones, serverTier: ["web"] })), "test/Net: serverTier = [\"web\"]: is not a property of Ipv6OnlyVpcProps, so it would be ignored. Fix: did you mean serverTiers? (Ipv6OnlyVpcProps has availabilityZones, ipv4Cidr, ipv6Cidr, serverTiers, serverIpv6Internet, dns64, flowLogs, tags)"],
  ["vpc: null for an optional prop", (s) => new Ipv6OnlyVpc(s, "Net", js({ availabilityZones: zones, ipv4Cidr: null })), "test/Net: ipv4Cidr = null: is null, not an IPv4 CIDR. Fix: give an IPv4 CIDR, e.g. \"10.0.0.0/16\", or leave ipv4Cidr out for its default"],
  // region consistency
  ["vpc: zones of another region than the provider", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["us-east-1a", "us-east-1b"] }), "test/Net: availabilityZones[0] = \"us-east-1a\": is in region us-east-1, but the stack's AWS provider deploys to eu-north-1; the subnets would be requested in a zone the region does not have. Fix: use zones of eu-north-1 (e.g. \"eu-north-1a\"), or configure the stack's provider for us-east-1"],
  ["vpc: zones of two regions", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eu-north-1a", "eu-west-1b"] }), "test/Net: availabilityZones[1] = \"eu-west-1b\": is in region eu-west-1, but availabilityZones[0] \"eu-north-1a\" is in eu-north-1; a VPC lives in one region. Fix: list zones of one region, e.g. \"eu-north-1b\""],
  ["vpc: a Local Zone", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eu-north-1a", "us-east-1-bos-1a"] }), "test/Net: availabilityZones[1] = \"us-east-1-bos-1a\": is a Local Zone; the library plans regular availability zones only (a zone's subnet slot comes from its last letter, which Local Zones share with the region's zones). Fix: use availability zones of the parent region, e.g. \"us-east-1a\""],
  ["vpc: a Wavelength Zone", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["us-east-1-wl1-bos-wlz-1"] }), "test/Net: availabilityZones[0] = \"us-east-1-wl1-bos-wlz-1\": is a Wavelength Zone; the library plans regular availability zones only (Wavelength subnets reach the internet through a carrier gateway, not an internet gateway). Fix: use availability zones of the parent region, e.g. \"us-east-1a\""],
  ["vpc: a zone ID", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eun1-az1"] }), "test/Net: availabilityZones[0] = \"eun1-az1\": is a zone ID, not a zone name. Fix: give the zone name, e.g. \"eu-north-1a\" (zone IDs differ between accounts)"],
  ["vpc: a region instead of a zone", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eu-north-1"] }), "test/Net: availabilityZones[0] = \"eu-north-1\": is not an availability zone name. Fix: give a zone name such as \"eu-north-1a\" (its region followed by one letter)"],
  ["vpc: a zone listed twice", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eu-north-1a", "eu-north-1a"] }), "test/Net: availabilityZones[1] = \"eu-north-1a\": is listed twice. Fix: list each availability zone once"],
  ["vpc: a zone letter past p", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eu-north-1q"] }), "test/Net: availabilityZones[0] = \"eu-north-1q\": zone letters a to p map to the 16 subnet slots per tier. Fix: use a zone whose name ends in a to p"],
  ["vpc: uppercase zone", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["EU-NORTH-1A"] }), "test/Net: availabilityZones[0] = \"EU-NORTH-1A\": is not an availability zone name. Fix: give a zone name such as \"eu-north-1a\" (its region followed by one letter)"],
  ["vpc: 17 zones", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: Array.from({ length: 17 }, (_, i) => `eu-north-1${String.fromCharCode(97 + i)}`) }), "test/Net: availabilityZones = [\"eu-north-1a\",\"eu-north-1b\",\"eu-north-1c\",\"eu-north-1d\",\"eu-north-1e\",\"eu-north-1f\",\"eu-north-1g\",\"eu-north-1h\",\"eu-north-1i\",\"eu-north-1j\",\"eu-north-1k\",\"eu-north-1l\",\"eu-north-1m\",\"eu-north-1n\",\"eu\u2026: has 17 entries; the address plan has 16 zone slots. Fix: list at most 16"],
  ["vpc: zones from a variable", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: new TerraformVariable(s, "zones", { type: "list(string)" }).listValue }), "test/Net: availabilityZones = ${var.zones}: is a token resolved only at apply time, but the library needs it at synth time. Fix: pass a literal value (a string or number written in the program, not a resource attribute or variable)"],
  // addresses
  ["vpc: IPv4 /8", (s) => vpc(s, { ipv4Cidr: "10.0.0.0/8" }), "test/Net: ipv4Cidr = \"10.0.0.0/8\": edge subnets take 1/16 of the VPC IPv4 block each and need at least a /24; AWS allows at most a /16. Fix: use a block from /16 to /20, e.g. 10.0.0.0/16"],
  ["vpc: IPv4 as a number", (s) => vpc(s, js({ ipv4Cidr: 10 })), "test/Net: ipv4Cidr = 10: is a number, not an IPv4 CIDR. Fix: give an IPv4 CIDR, e.g. \"10.0.0.0/16\""],
  ["vpc: IPv4 with host bits", (s) => vpc(s, { ipv4Cidr: "10.0.0.1/16" }), "test/Net: ipv4Cidr = \"10.0.0.1/16\": host bits are set; the prefix is 10.0.0.0/16. Fix: give an IPv4 CIDR with zero host bits, e.g. 10.0.0.0/16"],
  ["vpc: ipv6Cidr as a string", (s) => vpc(s, js({ ipv6Cidr: "2001:db8:1200::/56" })), "test/Net: ipv6Cidr = \"2001:db8:1200::/56\": is a string, not a VpcIpv6Cidr. Fix: give a VpcIpv6Cidr, e.g. VpcIpv6Cidr.amazonProvided()"],
  ["vpc: a /56 from fe80::/10", (s) => vpc(s, { ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "fe80::/56") }), "test/Net: ipv6Cidr = \"fe80::/56\": overlaps link-local space fe80::/10, which is never routed as a VPC or translation prefix. Fix: use a global unicast /56 allocated to you (BYOIP through IPAM)"],
  ["vpc: a multicast /56", (s) => vpc(s, { ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "ff00::/56") }), "test/Net: ipv6Cidr = \"ff00::/56\": overlaps multicast space ff00::/8, which is never routed as a VPC or translation prefix. Fix: use a global unicast /56 allocated to you (BYOIP through IPAM)"],
  ["vpc: the unspecified /56", (s) => vpc(s, { ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "::/56") }), "test/Net: ipv6Cidr = \"::/56\": overlaps the unspecified address ::, which is never routed as a VPC or translation prefix. Fix: use a global unicast /56 allocated to you (BYOIP through IPAM)"],
  ["vpc: a /48 instead of a /56", (s) => vpc(s, { ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "2001:db8::/48") }), "test/Net: ipv6Cidr = \"2001:db8::/48\": the address plan carves /64s from a /56. Fix: supply a /56"],
  ["vpc: a /56 inside 64:ff9b::/96's /48", (s) => vpc(s, { ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "64:ff9b::/56") }), "test/Net: ipv6Cidr = \"64:ff9b::/56\": overlaps the NAT64 well-known prefix 64:ff9b::/96. Fix: use a global unicast /56 allocated to you"],
  ["vpc: an IPAM pool id that is not one", (s) => vpc(s, { ipv6Cidr: VpcIpv6Cidr.fromIpamPool("my-pool") }), "test/Net: ipv6Cidr.ipamPoolId = \"my-pool\": is not an IPAM pool id. Fix: give an id such as \"ipam-pool-0123456789abcdef0\" or the pool's id attribute"],
  ["vpc: an IPAM pool id as a number", (s) => vpc(s, { ipv6Cidr: VpcIpv6Cidr.fromIpamPool(js(12)) }), "test/Net: ipv6Cidr.ipamPoolId = 12: is a number, not an IPAM pool id. Fix: give an IPAM pool id, e.g. pool.id"],
  // tiers and modes
  ["vpc: serverTiers as a string", (s) => vpc(s, js({ serverTiers: "web" })), "test/Net: serverTiers = \"web\": is a string, not a list of tier names. Fix: give a list of tier names, e.g. [\"servers\"]"],
  ["vpc: serverTiers empty", (s) => vpc(s, { serverTiers: [] }), "test/Net: serverTiers = []: is empty. Fix: give a list of tier names, e.g. [\"servers\"]"],
  ["vpc: a tier named edge", (s) => vpc(s, { serverTiers: ["edge"] }), "test/Net: serverTiers[0] = \"edge\": is reserved for the dual-stack edge tier. Fix: give each server tier a distinct name"],
  ["vpc: an uppercase tier", (s) => vpc(s, { serverTiers: ["Web"] }), "test/Net: serverTiers[0] = \"Web\": is not a valid tier name. Fix: use 2-32 lowercase letters, digits and hyphens, starting with a letter"],
  ["vpc: serverIpv6Internet as a string", (s) => vpc(s, js({ serverIpv6Internet: "outbound-only" })), "test/Net: serverIpv6Internet = \"outbound-only\": is a string, not a ServerIpv6Internet. Fix: give a ServerIpv6Internet, e.g. ServerIpv6Internet.OUTBOUND_ONLY"],
  ["vpc: dns64 as a string", (s) => vpc(s, js({ dns64: "true" })), "test/Net: dns64 = \"true\": is a string, not true or false. Fix: give true or false"],
  ["vpc: dns64 true without NAT64", (s) => vpc(s, { dns64: true }), "Validation failed with the following errors:\n  [test/Net] test/Net: dns64 = true: DNS64 without NAT64 sends IPv4-only names nowhere, and zones eu-north-1a, eu-north-1b have no NAT64. Fix: add an OutboundNat64 for those zones, or leave dns64 unset (DNS64 then follows the NAT64 routes)\n\nIf you wish to ignore these validations, pass 'skipValidation: true' to your App configuration.\n"],
  // tags (EC2 tag limits)
  ["vpc: a Name tag the library overwrites", (s) => vpc(s, { tags: { Name: "mine" } }), "test/Net: tags[\"Name\"] = \"Name\": is a tag the library sets itself (it would be overwritten). Fix: use another key"],
  ["vpc: an aws: tag", (s) => vpc(s, { tags: { "aws:owner": "me" } }), "test/Net: tags[\"aws:owner\"] = \"aws:owner\": starts with \"aws:\", which AWS reserves for its own tags. Fix: use a key without the aws: prefix"],
  ["vpc: a numeric tag value", (s) => vpc(s, js({ tags: { Team: 5 } })), "test/Net: tags[\"Team\"] = 5: is a number, not a tag value. Fix: give a tag value"],
  ["vpc: a 129-character tag key", (s) => vpc(s, { tags: { ["k".repeat(129)]: "v" } }), "test/Net: tags[\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\"] = \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\": is 129 characters long; AWS allows tag keys of at most 128 characters. Fix: shorten it to 128 characters or fewer"],
  ["vpc: a 257-character tag value", (s) => vpc(s, { tags: { Team: "v".repeat(257) } }), "test/Net: tags[\"Team\"] = \"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\u2026: is 257 characters long; AWS allows tag values of at most 256 characters. Fix: shorten it to 256 characters or fewer"],
  ["vpc: 47 tags", (s) => vpc(s, { tags: Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, "v"])) }), "test/Net: tags = {\"t0\":\"v\",\"t1\":\"v\",\"t2\":\"v\",\"t3\":\"v\",\"t4\":\"v\",\"t5\":\"v\",\"t6\":\"v\",\"t7\":\"v\",\"t8\":\"v\",\"t9\":\"v\",\"t10\":\"v\",\"t11\":\"v\",\"t12\":\"v\",\"t13\":\"v\",\"t14\":\"v\",\"t15\":\"v\",\"t16\":\"v\",\"t17\":\"v\",\"t18\":\"v\",\"t19\":\"v\",\"t20\":\"v\"\u2026: has 47 entries; AWS allows 50 tags per resource and the library adds up to 4 of its own. Fix: keep at most 46"],
  ["vpc: tags as a list of pairs", (s) => vpc(s, js({ tags: [["Team", "net"]] })), "test/Net: tags = [[\"Team\",\"net\"]]: is a list, not an object of tag keys to values. Fix: give an object of tag keys to values, e.g. { Team: \"net\" }"],
  ["vpc: a construct id EC2 refuses in security group text", (s) => new Ipv6OnlyVpc(s, "Nät", { availabilityZones: zones }), "test/N\u00e4t: id = \"N\u00e4t\": makes the construct path \"test/N\u00e4t\", which names security groups, and EC2 allows only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* there (at most 255 characters). Fix: use construct ids of letters, digits and hyphens"],
  // methods
  ["vpc.addServerRoute: a number for the prefix", (s) => vpc(s).addServerRoute("X", js(96), RouteTarget.networkInterface("eni-0")), "test/Net: addServerRoute(X).destination = 96: is a number, not an IPv6 prefix. Fix: give an IPv6 prefix, e.g. \"64:ff9b:1:1::/96\""],
  ["vpc.addServerRoute: 64:ff9b::/96", (s) => vpc(s).addServerRoute("X", "64:ff9b::/96", RouteTarget.networkInterface("eni-0")), "test/Net: addServerRoute(X).destination = \"64:ff9b::/96\": overlaps 64:ff9b::/96, which only the outbound NAT64 may use. Fix: route translation prefixes outside 64:ff9b::/96; use enableNat64 for the NAT64 route"],
  ["vpc.addServerRoute: a target id instead of a RouteTarget", (s) => vpc(s).addServerRoute("X", "2001:db8:9::/96", js("eni-0")), "test/Net: addServerRoute(X).target = \"eni-0\": is a string, not a RouteTarget. Fix: give a RouteTarget, e.g. RouteTarget.networkInterface(eni.id)"],
  ["vpc.enableNat64: a zone the VPC lacks", (s) => vpc(s).enableNat64("eu-north-1c", RouteTarget.natGateway("nat-0")), "test/Net: enableNat64.zone = \"eu-north-1c\": is not an availability zone of this VPC. Fix: use one of eu-north-1a, eu-north-1b, or add the zone to the VPC"],
  ["vpc.enableNat64: no target", (s) => vpc(s).enableNat64("eu-north-1a", js(undefined)), "test/Net: enableNat64.target = undefined: is undefined, not a RouteTarget. Fix: give a RouteTarget, e.g. RouteTarget.natGateway(nat.id)"],
  ["vpc.serverSubnet: the edge tier", (s) => vpc(s).serverSubnet("eu-north-1a", "edge"), "test/Net: serverSubnet.tier = \"edge\": is the dual-stack edge tier, not a server tier. Fix: use edgeSubnet(zone) for it, or a server tier: servers"],
  ["vpc.edgeSubnet: a zone the VPC lacks", (s) => vpc(s).edgeSubnet("eu-north-1c"), "test/Net: edgeSubnet.zone = \"eu-north-1c\": is not an availability zone of this VPC. Fix: use one of eu-north-1a, eu-north-1b"],

  // --- Ipv6ServerFleet ---
  ["fleet: no props", (s) => new Ipv6ServerFleet(s, "Web", js(undefined)), "test/Web: props = undefined: is missing; Ipv6ServerFleetProps needs vpc, instanceType. Fix: pass Ipv6ServerFleetProps { vpc: \u2026, instanceType: \u2026 }"],
  ["fleet: vpc missing", (s) => new Ipv6ServerFleet(s, "Web", js({ servers: 2, instanceType: "c7g.large" })), "test/Web: vpc = undefined: is required by Ipv6ServerFleetProps. Fix: give an Ipv6OnlyVpc or an ImportedIpv6OnlyVpc, e.g. new Ipv6OnlyVpc(stack, \"Net\", { availabilityZones: [...] })"],
  ["fleet: vpc given by name", (s) => new Ipv6ServerFleet(s, "Web", js({ vpc: "Net", servers: 2, instanceType: "c7g.large" })), "test/Web: vpc = \"Net\": is a string, not an Ipv6OnlyVpc or an ImportedIpv6OnlyVpc. Fix: give an Ipv6OnlyVpc or an ImportedIpv6OnlyVpc, e.g. new Ipv6OnlyVpc(stack, \"Net\", { availabilityZones: [...] })"],
  ["fleet: instanceType missing", (s) => new Ipv6ServerFleet(s, "Web", js({ vpc: vpc(s), servers: 2 })), "test/Web: instanceType = undefined: is required by Ipv6ServerFleetProps. Fix: give an EC2 instance type, e.g. \"c7g.large\""],
  ["fleet: instanceType as a number", (s) => fleet(s, js({ instanceType: 5 })), "test/Web: instanceType = 5: is a number, not an EC2 instance type. Fix: give an EC2 instance type, e.g. \"c7g.large\""],
  ["fleet: uppercase instance type", (s) => fleet(s, { instanceType: "C7G.LARGE" }), "test/Web: instanceType = \"C7G.LARGE\": is not an EC2 instance type. Fix: give a type such as \"c7g.large\" (lowercase family, a dot, the size)"],
  ["fleet: a Xen type", (s) => fleet(s, { instanceType: "t2.micro" }), "test/Web: instanceType = \"t2.micro\": the t2 family runs on Xen, and only instances built on the Nitro System launch in IPv6-only subnets. Fix: choose a Nitro family, e.g. t4g, c7g, m7g or c7gn"],
  ["fleet: the README's unknown family x9z without the escape hatch", (s) => fleet(s, { instanceType: "x9z.large" }), "test/Web: instanceType = \"x9z.large\": the x9z family is not known to this library as built on the Nitro System (required in IPv6-only subnets). Fix: if AWS lists x9z as a Nitro family, add it to nitroInstanceFamilies: [\"x9z\"]"],
  ["fleet: a made-up generation c9g", (s) => fleet(s, { instanceType: "c9g.large" }), "test/Web: instanceType = \"c9g.large\": the c9g family is not known to this library as built on the Nitro System (required in IPv6-only subnets). Fix: if AWS lists c9g as a Nitro family, add it to nitroInstanceFamilies: [\"c9g\"]"],
  ["fleet: servers as a string", (s) => fleet(s, js({ servers: "4" })), "test/Web: servers = \"4\": is a string (a number in quotes), not a whole number of at least 1. Fix: give a whole number of at least 1"],
  ["fleet: servers NaN", (s) => fleet(s, { servers: NaN }), "test/Web: servers = NaN: is not a number. Fix: set servers to 1 or more, or remove the fleet"],
  ["fleet: servers negative", (s) => fleet(s, { servers: -1 }), "test/Web: servers = -1: a fleet with fixed addresses needs at least one server. Fix: set servers to 1 or more, or remove the fleet"],
  ["fleet: servers fractional", (s) => fleet(s, { servers: 2.5 }), "test/Web: servers = 2.5: is not a whole number. Fix: set servers to 1 or more, or remove the fleet"],
  ["fleet: servers 0", (s) => fleet(s, { servers: 0 }), "test/Web: servers = 0: a fleet with fixed addresses needs at least one server. Fix: set servers to 1 or more, or remove the fleet"],
  ["fleet: servers Infinity", (s) => fleet(s, { servers: Infinity }), "test/Web: servers = Infinity: is not a finite number. Fix: set servers to 1 or more, or remove the fleet"],
  ["fleet: servers from a variable", (s) => fleet(s, { servers: new TerraformVariable(s, "n", { type: "number" }).numberValue }), "test/Web: servers = ${var.n}: is a token resolved only at apply time, but the library needs it at synth time. Fix: pass a literal value (a string or number written in the program, not a resource attribute or variable)"],
  ["fleet: both servers and autoScaling", (s) => fleet(s, { autoScaling: { minCapacity: 1, maxCapacity: 2 } }), "test/Web: servers = 4: exactly one of servers, serversPerZone (fixed addresses) and autoScaling (workers) must be set. Fix: set servers or serversPerZone for publishable servers, or autoScaling for workers"],
  ["fleet: both servers and serversPerZone", (s) => fleet(s, { serversPerZone: 2 }), "test/Web: servers = 4: exactly one of servers, serversPerZone (fixed addresses) and autoScaling (workers) must be set. Fix: set servers or serversPerZone for publishable servers, or autoScaling for workers"],
  ["fleet: serversPerZone 0", (s) => fleet(s, { servers: undefined, serversPerZone: 0 }), "test/Web: serversPerZone = 0: a fleet with fixed addresses needs at least one server per zone. Fix: set serversPerZone to 1 or more, or remove the fleet"],
  ["fleet: serversPerZone with hostIndexes", (s) => fleet(s, { servers: undefined, serversPerZone: 2, hostIndexes: [16, 17] }), "test/Web: hostIndexes = [16,17]: gives host indexes by server number, but serversPerZone numbers servers per zone. Fix: use firstHostIndex: server j of each zone takes firstHostIndex + j"],
  ["fleet: neither servers nor autoScaling", (s) => fleet(s, { servers: undefined }), "test/Web: servers = undefined: exactly one of servers, serversPerZone (fixed addresses) and autoScaling (workers) must be set. Fix: set servers or serversPerZone for publishable servers, or autoScaling for workers"],
  ["fleet: autoScaling min above max", (s) => fleet(s, { servers: undefined, autoScaling: { minCapacity: 3, maxCapacity: 2 } }), "test/Web: autoScaling = {\"minCapacity\":3,\"maxCapacity\":2}: needs whole numbers with 0 <= minCapacity <= maxCapacity and maxCapacity >= 1. Fix: lower minCapacity to 2 or less, or raise maxCapacity"],
  ["fleet: autoScaling without maxCapacity", (s) => fleet(s, js({ servers: undefined, autoScaling: { minCapacity: 1 } })), "test/Web: autoScaling.maxCapacity = undefined: is required by FleetAutoScaling. Fix: give a whole number of at least 1"],
  ["fleet: autoScaling with a negative minimum", (s) => fleet(s, { servers: undefined, autoScaling: { minCapacity: -1, maxCapacity: 2 } }), "test/Web: autoScaling.minCapacity = -1: is less than 0. Fix: give a whole number of instances, 0 or more"],
  ["fleet: autoScaling with firstHostIndex", (s) => fleet(s, { servers: undefined, autoScaling: { minCapacity: 1, maxCapacity: 2 }, firstHostIndex: 20 }), "test/Web: firstHostIndex = 20: applies to fixed-address servers, but this fleet is autoscaled (AWS picks its addresses). Fix: remove firstHostIndex, or use servers instead of autoScaling"],
  // contradictions
  ["fleet: on the edge tier", (s) => fleet(s, { tier: "edge" }), "test/Web: tier = \"edge\": is the dual-stack edge tier of translators and NAT64; its route table has no routes back to the translators, so IPv4 clients of published servers would get no answer. Fix: use a server tier: servers"],
  ["fleet: a tier the VPC lacks", (s) => fleet(s, { tier: "db" }), "test/Web: tier = \"db\": is not a tier of this VPC. Fix: use a server tier: servers"],
  ["fleet: zones as a string", (s) => fleet(s, js({ zones: "eu-north-1a" })), "test/Web: zones = \"eu-north-1a\": is a string, not a list of availability zone names. Fix: give a list of availability zone names, e.g. [\"eu-north-1a\"]"],
  ["fleet: a zone the VPC lacks", (s) => fleet(s, { zones: ["eu-north-1c"] }), "test/Web: zones[0] = \"eu-north-1c\": is not an availability zone of this VPC. Fix: use one of eu-north-1a, eu-north-1b, or add the zone to the VPC"],
  ["fleet: a zone twice", (s) => fleet(s, { zones: ["eu-north-1a", "eu-north-1a"] }), "test/Web: zones[1] = \"eu-north-1a\": is listed twice. Fix: list each entry once"],
  ["fleet: firstHostIndex below the reserved addresses", (s) => fleet(s, { firstHostIndex: 2 }), "test/Web: firstHostIndex = 2: fixed host indexes run from 4 (AWS reserves ::0 to ::3) to 65535 (::ffff). Fix: use a host index between 4 and 65535"],
  ["fleet: firstHostIndex fractional", (s) => fleet(s, { firstHostIndex: 16.5 }), "test/Web: firstHostIndex = 16.5: is not a whole number. Fix: use a host index between 4 and 65535"],
  ["fleet: firstHostIndex with hostIndexes", (s) => fleet(s, { servers: 2, hostIndexes: [16, 17], firstHostIndex: 16 }), "test/Web: firstHostIndex = 16: is ignored when hostIndexes gives every server's host index. Fix: give either firstHostIndex or hostIndexes"],
  ["fleet: hostIndexes of the wrong length", (s) => fleet(s, { servers: 3, hostIndexes: [16, 17] }), "test/Web: hostIndexes = [16,17]: gives 2 host indexes for 3 servers. Fix: give exactly one host index per server, or use firstHostIndex"],
  ["fleet: a host index used twice in one zone", (s) => fleet(s, { servers: 3, hostIndexes: [16, 17, 16] }), "test/Web: hostIndexes[2] = 16: host index 16 of subnet servers/eu-north-1a is already held by test/Web server 0. Fix: give each server its own host index (a different firstHostIndex or hostIndexes)"],
  ["fleet: a host index past ::ffff", (s) => fleet(s, { servers: 1, hostIndexes: [70000] }), "test/Web: hostIndexes[0] = 70000: fixed host indexes run from 4 (AWS reserves ::0 to ::3) to 65535 (::ffff). Fix: use a host index between 4 and 65535"],
  ["fleet: two fleets on one address", (s) => { const net = vpc(s); fleet(s, {}, net); new Ipv6ServerFleet(s, "Api", { vpc: net, servers: 1, instanceType: "c7g.large" }); }, "test/Api: firstHostIndex = 16: host index 16 of subnet servers/eu-north-1a is already held by test/Web server 0. Fix: give each server its own host index (a different firstHostIndex or hostIndexes)"],
  // images and architecture
  ["fleet: image as a string", (s) => fleet(s, js({ image: "debian12" })), "test/Web: image = \"debian12\": is a string, not a MachineImage. Fix: give a MachineImage, e.g. MachineImage.debian12()"],
  ["fleet: debian12(amd64) on Graviton", (s) => fleet(s, { image: MachineImage.debian12("amd64") }), "test/Web: instanceType = \"c7g.large\": is arm64, but image MachineImage.debian12(\"amd64\") is amd64. Fix: use an amd64 instance type, or an image built for arm64"],
  ["fleet: debian12 with x86_64", (s) => fleet(s, { image: MachineImage.debian12(js("x86_64")) }), "test/Web: image = \"x86_64\": is not one of \"arm64\", \"amd64\". Fix: use one of \"arm64\", \"amd64\""],
  ["fleet: an AMI id that is not one", (s) => fleet(s, { image: MachineImage.fromAmiId("ami-123") }), "test/Web: image = \"ami-123\": is not an AMI id. Fix: give an id such as \"ami-0123456789abcdef0\""],
  ["fleet: an AMI id as a number", (s) => fleet(s, { image: MachineImage.fromAmiId(js(123)) }), "test/Web: image = 123: is a number, not an AMI id. Fix: give an AMI id, e.g. \"ami-0123456789abcdef0\""],
  ["fleet: an SSM parameter without the leading /", (s) => fleet(s, { image: MachineImage.fromSsmParameter("debian/12") }), "test/Web: image = \"debian/12\": is not an SSM parameter name. Fix: give the full parameter path, starting with \"/\""],
  ["fleet: an amd64 SSM image on Graviton", (s) => fleet(s, { image: MachineImage.fromSsmParameter("/my/ami", { architecture: "amd64" }) }), "test/Web: instanceType = \"c7g.large\": is arm64, but image /my/ami is amd64. Fix: use an amd64 instance type, or an image built for arm64"],
  ["fleet: image options with a misspelt key", (s) => fleet(s, { image: MachineImage.fromAmiId("ami-0123456789abcdef0", js({ arch: "arm64" })) }), "test/Web: image.options.arch = \"arm64\": is not a property of MachineImageOptions, so it would be ignored. Fix: remove it; MachineImageOptions has joolVersion, rootDeviceName, architecture, dependsOn, rootSnapshotGiB"],
  // user data
  ["fleet: userData as a number", (s) => fleet(s, js({ userData: 42 })), "test/Web: userData = 42: is a number, not user data text (#cloud-config or a #! script). Fix: give user data text (#cloud-config or a #! script), e.g. \"#!/bin/sh\\n...\""],
  ["fleet: userData without a header", (s) => fleet(s, { userData: "apt-get install -y nginx" }), "test/Web: userData = \"apt-get install -y nginx\": is neither a cloud-config document (#cloud-config), a script (#!), a boothook (#cloud-boothook), a cloud-config archive (#cloud-config-archive) nor an include list (#include). Fix: start the user data with #cloud-config, a #! line, #cloud-boothook or #include; the library combines it with its own boot configuration"],
  ["fleet: invalid cloud-config YAML", (s) => fleet(s, { userData: "#cloud-config\npackages: [nginx\n" }), "test/Web: userData = \"packages: [nginx\": is not valid YAML (line 3 of the user data): Flow sequence in block collection must be sufficiently indented and end with a ]. Fix: fix the cloud-config document; `cloud-init schema --config-file` checks it offline"],
  ["fleet: cloud-config whose top level is a list", (s) => fleet(s, { userData: "#cloud-config\n- nginx\n" }), "test/Web: userData = \"#cloud-config\\n- nginx\\n\": is a cloud-config document whose top level is a list, not a mapping of modules. Fix: write the document as keys such as packages:, runcmd:, write_files:"],
  ["fleet: a misspelt cloud-config header", (s) => fleet(s, { userData: "#cloud-configuration\npackages: [nginx]\n" }), "test/Web: userData = \"#cloud-configuration\\npackages: [nginx]\\n\": starts with \"#cloud-configuration\", and cloud-init recognises only a first line that is exactly #cloud-config. Fix: start the user data with #cloud-config, a #! line, #cloud-boothook or #include; the library combines it with its own boot configuration"],
  ["fleet: a MIME multipart of one's own", (s) => fleet(s, { userData: 'Content-Type: multipart/mixed; boundary="x"\n\n--x--\n' }), "test/Web: userData = \"Content-Type: multipart/mixed; boundary=\": is already a MIME multipart document, and the library adds its own part to the user data. Fix: pass the content of your part (#cloud-config, #! script, #cloud-boothook or #include) instead of a multipart document"],
  ["fleet: user data over 16 KB", (s) => fleet(s, { userData: `#!/bin/sh\n${"echo 0123456789abcdef\n".repeat(900)}` }), "test/Web: userData = \"22130 bytes\": user data is limited to 16384 bytes before base64 encoding. Fix: move large content (configuration, scripts) to S3 or SSM and fetch it at boot"],
  // sizes
  ["fleet: a 1 GiB root volume", (s) => fleet(s, { rootVolumeSize: 1 }), "test/Web: rootVolumeSize = 1: is smaller than the 8 GiB root snapshot of Debian 12 (arm64, latest), and EC2 refuses a root volume smaller than its snapshot. Fix: give at least 8 GiB, or leave rootVolumeSize unset for the image's size"],
  ["fleet: a root volume of 0", (s) => fleet(s, { rootVolumeSize: 0 }), "test/Web: rootVolumeSize = 0: gp3 volumes are 1 to 16384 GiB. Fix: give a whole number of GiB, at least the image's size (8 for Debian 12)"],
  ["fleet: a root volume as a string", (s) => fleet(s, js({ rootVolumeSize: "20" })), "test/Web: rootVolumeSize = \"20\": is a string (a number in quotes), not a whole number from 1 to 16,384. Fix: give a whole number from 1 to 16,384"],
  ["fleet: a root volume beyond gp3", (s) => fleet(s, { rootVolumeSize: 20000 }), "test/Web: rootVolumeSize = 20000: gp3 volumes are 1 to 16384 GiB. Fix: give a whole number of GiB, at least the image's size (8 for Debian 12)"],
  ["fleet: hop limit 0", (s) => fleet(s, { metadataHopLimit: 0 }), "test/Web: metadataHopLimit = 0: EC2 accepts hop limits from 1 to 64. Fix: use 1 (or 2 for containers that need instance metadata)"],
  ["fleet: nitroInstanceFamilies as a string", (s) => fleet(s, js({ instanceType: "c9g.large", nitroInstanceFamilies: "c9g" })), "test/Web: nitroInstanceFamilies = \"c9g\": is a string, not a list of instance families. Fix: give a list of instance families, e.g. [\"c9g\"]"],
  ["fleet: nitroInstanceFamilies with a type, not a family", (s) => fleet(s, { instanceType: "c9g.large", nitroInstanceFamilies: ["c9g.large"] }), "test/Web: nitroInstanceFamilies[0] = \"c9g.large\": is not an instance family. Fix: give the family only, e.g. \"c9g\" for c9g.large"],
  ["fleet: a Service tag the library sets", (s) => fleet(s, { tags: { Service: "web" } }), "test/Web: tags[\"Service\"] = \"Service\": is a tag the library sets itself (it would be overwritten). Fix: use another key"],
  ["fleet: misspelt instancetype", (s) => fleet(s, js({ instancetype: "c7g.large" })), "test/Web: instancetype = \"c7g.large\": is not a property of Ipv6ServerFleetProps, so it would be ignored. Fix: did you mean instanceType? (Ipv6ServerFleetProps has vpc, instanceType, servers, serversPerZone, autoScaling, zones, tier, firstHostIndex, hostIndexes, image, userData, rootVolumeSize, metadataHopLimit, nitroInstanceFamilies, tags)"],
  // methods
  ["fleet.server: past the end", (s) => fleet(s).server(9), "test/Web: server = 9: is not a server of this fleet (servers 0, 1, 2, 3). Fix: pick an existing server"],
  ["fleet.server: a string index", (s) => fleet(s).server(js("0")), "test/Web: server = \"0\": is a string (a number in quotes), not a server index (a whole number from 0). Fix: give a server index (a whole number from 0)"],
  ["fleet.server: a fractional index", (s) => fleet(s).server(1.5), "test/Web: server = 1.5: is not a whole number. Fix: use a server index (a whole number from 0)"],
  ["fleet.server: an autoscaled fleet", (s) => fleet(s, { servers: undefined, autoScaling: { minCapacity: 1, maxCapacity: 2 } }).server(0), "test/Web: server = 0: this fleet is autoscaled: its servers have no fixed addresses, so none can be published or pointed at. Fix: publish a fleet created with servers: N (fixed addresses)"],
  ["fleet.allowInbound: no port", (s) => fleet(s).allowInbound("Office", js({ ipv6Cidr: "2001:db8::/32", description: "office" })), "test/Web: allowInbound(Office).port = undefined: is required by FleetIngressOptions. Fix: give a Port, e.g. Port.tcp(443)"],
  ["fleet.allowInbound: a port number", (s) => fleet(s).allowInbound("Office", js({ port: 443, ipv6Cidr: "2001:db8::/32", description: "office" })), "test/Web: allowInbound(Office).port = 443: is a number, not a Port. Fix: give a Port, e.g. Port.tcp(443)"],
  ["fleet.allowInbound: both sources", (s) => { const f = fleet(s); const t = edge(s, {}, f.vpc as Ipv6OnlyVpc); f.allowInbound("Office", { port: Port.tcp(22), ipv6Cidr: "2001:db8::/32", prefixList: t.prefixList, description: "office" }); }, "test/Web: allowInbound(Office) = \"office\": needs exactly one source. Fix: give ipv6Cidr or prefixList"],
  ["fleet.allowInbound: a description EC2 refuses", (s) => fleet(s).allowInbound("Office", { port: Port.tcp(22), ipv6Cidr: "2001:db8::/32", description: "Büro" }), "test/Web: allowInbound(Office).description = \"B\u00fcro\": has characters EC2 refuses in security group text. Fix: use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only"],
  ["fleet.allowInbound: a port beyond 65535", (s) => fleet(s).allowInbound("Office", { port: Port.tcp(70000), ipv6Cidr: "2001:db8::/32", description: "office" }), "test/Web: allowInbound(Office).port = \"tcp/70000\": ports run from 1 to 65535. Fix: use a port between 1 and 65535"],

  // --- SiitDcTranslators ---
  ["translators: no props", (s) => new SiitDcTranslators(s, "Edge", js(undefined)), "test/Edge: props = undefined: is missing; SiitDcTranslatorsProps needs vpc. Fix: pass SiitDcTranslatorsProps { vpc: \u2026 }"],
  ["translators: vpc missing", (s) => new SiitDcTranslators(s, "Edge", js({})), "test/Edge: vpc = undefined: is required by SiitDcTranslatorsProps. Fix: give an Ipv6OnlyVpc, e.g. new Ipv6OnlyVpc(stack, \"Net\", { availabilityZones: [...] })"],
  ["translators: misspelt rollout.allAtOnce", (s) => edge(s, { rollout: js({ allAtonce: true }) }), "test/Edge: rollout.allAtonce = true: is not a property of TranslatorRollout, so it would be ignored. Fix: did you mean allAtOnce? (TranslatorRollout has zones, image, instanceType, allAtOnce)"],
  ["translators: rollout.allAtOnce not a boolean", (s) => edge(s, { rollout: js({ allAtOnce: "yes" }) }), "test/Edge: rollout.allAtOnce = \"yes\": is a string, not true or false. Fix: give true or false"],
  ["translators: a rollout zone without translators", (s) => edge(s, { rollout: { zones: ["eu-north-1c"] } }), "test/Edge: rollout.zones[0] = \"eu-north-1c\": has no translators of this set. Fix: use one of eu-north-1a, eu-north-1b"],
  ["translators: a Xen instance type", (s) => edge(s, { instanceType: "t2.medium" }), "test/Edge: instanceType = \"t2.medium\": the t2 family runs on Xen, and only instances built on the Nitro System launch in IPv6-only subnets. Fix: choose a Nitro family, e.g. t4g, c7g, m7g or c7gn"],
  ["translators: a type without a known address limit", (s) => edge(s, { instanceType: "c8gn.large" }), "test/Edge: instanceType = \"c8gn.large\": has no known limit of private IPv4 addresses per network interface. Fix: look up \"IPv4 addresses per interface\" for c8gn.large in the EC2 documentation and pass ipv4AddressesPerInterface: { \"c8gn.large\": N }"],
  ["translators: ipv4AddressesPerInterface 0", (s) => edge(s, { instanceType: "c8gn.large", ipv4AddressesPerInterface: { "c8gn.large": 0 } }), "test/Edge: ipv4AddressesPerInterface[\"c8gn.large\"] = 0: an interface holds 2 (the primary and one service) to 50 (the largest EC2 instance types) private IPv4 addresses. Fix: look up \"IPv4 addresses per interface\" for the type in the EC2 documentation"],
  ["translators: ipv4AddressesPerInterface absurd", (s) => edge(s, { instanceType: "c8gn.large", ipv4AddressesPerInterface: { "c8gn.large": 500 } }), "test/Edge: ipv4AddressesPerInterface[\"c8gn.large\"] = 500: an interface holds 2 (the primary and one service) to 50 (the largest EC2 instance types) private IPv4 addresses. Fix: look up \"IPv4 addresses per interface\" for the type in the EC2 documentation"],
  ["translators: ipv4AddressesPerInterface fractional", (s) => edge(s, { instanceType: "c8gn.large", ipv4AddressesPerInterface: { "c8gn.large": 2.5 } }), "test/Edge: ipv4AddressesPerInterface[\"c8gn.large\"] = 2.5: is not a whole number. Fix: look up \"IPv4 addresses per interface\" for the type in the EC2 documentation"],
  ["translators: ipv4AddressesPerInterface keyed by family", (s) => edge(s, { instanceType: "c8gn.large", ipv4AddressesPerInterface: { c8gn: 10 } }), "test/Edge: ipv4AddressesPerInterface[\"c8gn\"] = \"c8gn\": is not an EC2 instance type. Fix: give a type such as \"c7g.large\" (lowercase family, a dot, the size)"],
  ["translators: a zone the VPC lacks", (s) => edge(s, { zones: ["eu-north-1c"] }), "test/Edge: zones[0] = \"eu-north-1c\": is not an availability zone of this VPC. Fix: use one of eu-north-1a, eu-north-1b, or add the zone to the VPC"],
  ["translators: translatorsPerZone 0", (s) => edge(s, { translatorsPerZone: 0 }), "test/Edge: translatorsPerZone = 0: must be a whole number from 1 to 16. Fix: choose how many translators each zone runs"],
  ["translators: translatorsPerZone 17", (s) => edge(s, { translatorsPerZone: 17 }), "test/Edge: translatorsPerZone = 17: must be a whole number from 1 to 16. Fix: choose how many translators each zone runs"],
  ["translators: translatorsPerZone as a string", (s) => edge(s, js({ translatorsPerZone: "2" })), "test/Edge: translatorsPerZone = \"2\": is a string (a number in quotes), not a whole number from 1 to 16. Fix: give a whole number from 1 to 16"],
  ["translators: translatorsPerZone NaN", (s) => edge(s, { translatorsPerZone: NaN }), "test/Edge: translatorsPerZone = NaN: is not a number. Fix: choose how many translators each zone runs"],
  ["translators: prefix inside 64:ff9b::/96's /48", (s) => edge(s, { translationPrefix: "64:ff9b::/48" }), "test/Edge: translationPrefix = \"64:ff9b::/48\": overlaps 64:ff9b::/96, the prefix AWS DNS64 and the outbound NAT64 use; replies would go to a device without state. Fix: use 64:ff9b:1::/48 or a /48 of your own space"],
  ["translators: a link-local prefix", (s) => edge(s, { translationPrefix: "fe80::/48" }), "test/Edge: translationPrefix = \"fe80::/48\": overlaps link-local space fe80::/10, which is never routed as a VPC or translation prefix. Fix: use 64:ff9b:1::/48 (RFC 8215) or a /48 of your own global space"],
  ["translators: a multicast prefix", (s) => edge(s, { translationPrefix: "ff05::/48" }), "test/Edge: translationPrefix = \"ff05::/48\": overlaps multicast space ff00::/8, which is never routed as a VPC or translation prefix. Fix: use 64:ff9b:1::/48 (RFC 8215) or a /48 of your own global space"],
  ["translators: the unspecified and loopback prefix", (s) => edge(s, { translationPrefix: "::/48" }), "test/Edge: translationPrefix = \"::/48\": overlaps the unspecified address ::, which is never routed as a VPC or translation prefix. Fix: use 64:ff9b:1::/48 (RFC 8215) or a /48 of your own global space"],
  ["translators: a /64 instead of a /48", (s) => edge(s, { translationPrefix: "64:ff9b:1::/64" }), "test/Edge: translationPrefix = \"64:ff9b:1::/64\": is a /64; translation prefixes are /96s carved from a /48. Fix: give a /48, e.g. 64:ff9b:1::/48 (RFC 8215) or one of your own"],
  ["translators: prefix as a number", (s) => edge(s, js({ translationPrefix: 48 })), "test/Edge: translationPrefix = 48: is a number, not an IPv6 /48. Fix: give an IPv6 /48, e.g. \"64:ff9b:1::/48\""],
  ["translators: prefix inside the VPC", (s) => edge(s, { translationPrefix: "2001:db8:1200::/48" }, vpc(s, { ipv6Cidr: VpcIpv6Cidr.fromIpamPoolCidr("ipam-pool-0123", "2001:db8:1200::/56") })), "test/Edge: translationPrefix = \"2001:db8:1200::/48\": overlaps the VPC prefix 2001:db8:1200::/56. Fix: use a /48 outside the VPC's addresses"],
  ["translators: two sets on the default prefix", (s) => { const net = vpc(s); edge(s, {}, net); new SiitDcTranslators(s, "Edge2", { vpc: net, firstHostIndex: 20 }); }, "test/Edge2: translationPrefix = undefined: defaults to 64:ff9b:1::/48, which translator set test/Edge in the same VPC already uses (translationPrefix 64:ff9b:1::/48); server routes to the two sets' /96s would collide. Fix: give each translator set of a VPC its own /48, e.g. translationPrefix: \"64:ff9b:2::/48\""],
  ["translators: two sets on overlapping prefixes", (s) => { const net = vpc(s); edge(s, {}, net); new SiitDcTranslators(s, "Edge2", { vpc: net, firstHostIndex: 20, translationPrefix: "64:ff9b:1::/48" }); }, "test/Edge2: translationPrefix = \"64:ff9b:1::/48\": overlaps 64:ff9b:1::/48, the translationPrefix of translator set test/Edge in the same VPC; server routes to the two sets' /96s would collide. Fix: give each translator set of a VPC its own /48, e.g. translationPrefix: \"64:ff9b:2::/48\""],
  ["translators: two sets on one edge address", (s) => { const net = vpc(s); edge(s, {}, net); new SiitDcTranslators(s, "Edge2", { vpc: net, translationPrefix: "64:ff9b:2::/48" }); }, "test/Edge2: firstHostIndex = 10: edge address 10.0.0.10 is already held by test/Edge translator a0. Fix: set firstHostIndex so each translator set's interfaces (firstHostIndex + ordinal) use their own addresses"],
  ["translators: firstHostIndex below range", (s) => edge(s, { firstHostIndex: 2 }), "test/Edge: firstHostIndex = 2: edge host indexes start at 4 (AWS reserves the first four addresses of every subnet). Fix: use an edge host index of at least 4"],
  ["translators: firstHostIndex past the edge block", (s) => edge(s, { firstHostIndex: 4095 }), "test/Edge: firstHostIndex = 4095: edge host indexes of 10.0.0.0/20 run from 4 to 4094 (AWS reserves the first four and the last address). Fix: use a smaller number or a larger VPC IPv4 block"],
  ["translators: lowestIpv6Mtu 1280", (s) => edge(s, { lowestIpv6Mtu: 1280 }), "test/Edge: lowestIpv6Mtu = 1280: must lie between 1500 (the internet path through an AWS internet gateway) and 9001 (the VPC MTU). Fix: use 1500 unless every IPv6 path is known to carry more"],
  ["translators: lowestIpv6Mtu as a string", (s) => edge(s, js({ lowestIpv6Mtu: "1500" })), "test/Edge: lowestIpv6Mtu = \"1500\": is a string (a number in quotes), not a whole number from 1500 to 9001. Fix: give a whole number from 1500 to 9001"],
  ["translators: eamHairpinMode as a string", (s) => edge(s, js({ eamHairpinMode: "simple" })), "test/Edge: eamHairpinMode = \"simple\": is a string, not an EamHairpinMode. Fix: give an EamHairpinMode, e.g. EamHairpinMode.INTRINSIC"],
  ["translators: configStore as a bucket name", (s) => edge(s, js({ configStore: "my-bucket" })), "test/Edge: configStore = \"my-bucket\": is a string, not a JoolConfigStore. Fix: give a JoolConfigStore, e.g. new JoolConfigStore(stack, \"Store\")"],
  ["translators: alarmActions as a string", (s) => edge(s, js({ monitoring: { alarmActions: "arn:aws:sns:eu-north-1:123456789012:ops" } })), "test/Edge: monitoring.alarmActions = \"arn:aws:sns:eu-north-1:123456789012:ops\": is a string, not a list of ARNs. Fix: give a list of ARNs, e.g. [topic.arn]"],
  ["translators: alarmActions that are not ARNs", (s) => edge(s, { monitoring: { alarmActions: ["ops@example.com"] } }), "test/Edge: monitoring.alarmActions[0] = \"ops@example.com\": is not an ARN CloudWatch alarms can act on (SNS topic, Auto Scaling policy, Lambda function, Systems Manager, EC2 action). Fix: give an ARN such as \"arn:aws:sns:eu-north-1:123456789012:ops\", or the topic's arn attribute"],
  ["translators: five alarm actions", (s) => edge(s, { monitoring: { alarmActions: [1, 2, 3, 4, 5].map((i) => `arn:aws:sns:eu-north-1:123456789012:t${i}`) } }), "test/Edge: monitoring.alarmActions = [\"arn:aws:sns:eu-north-1:123456789012:t1\",\"arn:aws:sns:eu-north-1:123456789012:t2\",\"arn:aws:sns:eu-north-1:123456789012:t3\",\"arn:aws:sns:eu-north-1:123456789012:t4\",\"arn:aws:sns:eu-north-1:12345678901\u2026: has 5 entries; CloudWatch allows 5 actions per alarm and the recovery alarms use one for their EC2 action. Fix: notify at most 4 targets, e.g. one SNS topic that fans out"],
  ["translators: dropsPer5Minutes negative", (s) => edge(s, { monitoring: { dropsPer5Minutes: -1 } }), "test/Edge: monitoring.dropsPer5Minutes = -1: is less than 0. Fix: give a whole number of dropped packets per 5 minutes, e.g. 1000"],
  ["translators: dropsPer5Minutes NaN", (s) => edge(s, { monitoring: { dropsPer5Minutes: NaN } }), "test/Edge: monitoring.dropsPer5Minutes = NaN: is not a number. Fix: give a whole number of dropped packets per 5 minutes, e.g. 1000"],
  ["translators: misspelt monitoring key", (s) => edge(s, js({ monitoring: { alarmAction: ["arn:aws:sns:eu-north-1:123456789012:ops"] } })), "test/Edge: monitoring.alarmAction = [\"arn:aws:sns:eu-north-1:123456789012:ops\"]: is not a property of JoolNodeMonitoring, so it would be ignored. Fix: did you mean alarmActions? (JoolNodeMonitoring has alarmActions, dropsPer5Minutes)"],
  ["translators: region differing from the provider", (s) => edge(s, { region: "us-east-1" }), "test/Edge: region = \"us-east-1\": differs from the region of the stack's AWS provider (eu-north-1), where the resources are created; what names the region (recovery alarm actions, image distribution, dashboard metrics) would point at a region without them. Fix: remove region (it defaults to the provider's eu-north-1), or create these resources in a stack whose provider uses us-east-1"],
  ["translators: region that is no region", (s) => edge(s, { region: "Europe (Stockholm)" }), "test/Edge: region = \"Europe (Stockholm)\": is not an AWS region name. Fix: give a region such as \"eu-north-1\""],
  ["translators: debian12(amd64) on c7gn", (s) => edge(s, { image: MachineImage.debian12("amd64") }), "test/Edge/Translator-a0: instanceType = \"c7gn.medium\": is arm64, but image MachineImage.debian12(\"amd64\") is amd64. Fix: use an amd64 instance type, or an image built for arm64"],
  ["translators: an amd64 JoolImage on c7gn", (s) => edge(s, { image: new JoolImage(s, "JoolImage", { architecture: "amd64" }).machineImage() }), "test/Edge/Translator-a0: instanceType = \"c7gn.medium\": is arm64, but image /siit-dc/test/JoolImage/ami-id is amd64. Fix: use an amd64 instance type, or an image built for arm64"],
  ["translators: a Translator tag the library sets", (s) => edge(s, { tags: { Translator: "x" } }), "test/Edge: tags[\"Translator\"] = \"Translator\": is a tag the library sets itself (it would be overwritten). Fix: use another key"],
  ["translators.translator: a zone without translators", (s) => edge(s).translator("eu-north-1c"), "test/Edge: translator = \"eu-north-1c/0\": is not a translator of this set. Fix: use one of eu-north-1a/0, eu-north-1b/0"],
  ["translators.translator: an ordinal past the set", (s) => edge(s).translator("eu-north-1a", 1), "test/Edge: translator = \"eu-north-1a/1\": is not a translator of this set. Fix: use one of eu-north-1a/0, eu-north-1b/0"],

  // --- publish ---
  ["publish: an undefined server (servers[9] of 4)", (s) => publish(s, www, (web) => web.servers[9]), "test/Edge: publish(www).target = undefined: is not a server (an index past the end of a fleet's servers gives undefined). Fix: pass a server of the fleet, e.g. fleet.server(0) (test/Web has 4)"],
  ["publish: a number as target", (s) => publish(s, www, () => 5), "test/Edge: publish(www).target = 5: is a number, not a server. Fix: pass fleet.server(i), an IPv6 address string or a plan address"],
  ["publish: the loopback address", (s) => publish(s, www, () => "::1"), "test/Edge: publish(www).target = \"::1\": is the loopback address; a server's address must be a global or unique-local unicast address of the VPC. Fix: publish the server's own address, e.g. fleet.server(0)"],
  ["publish: a multicast address", (s) => publish(s, www, () => "ff02::1"), "test/Edge: publish(www).target = \"ff02::1\": is in multicast space ff00::/8; a server's address must be a global or unique-local unicast address of the VPC. Fix: publish the server's own address, e.g. fleet.server(0)"],
  ["publish: a link-local address", (s) => publish(s, www, () => "fe80::1"), "test/Edge: publish(www).target = \"fe80::1\": is in link-local space fe80::/10; a server's address must be a global or unique-local unicast address of the VPC. Fix: publish the server's own address, e.g. fleet.server(0)"],
  ["publish: the unspecified address", (s) => publish(s, www, () => "::"), "test/Edge: publish(www).target = \"::\": is the unspecified address; a server's address must be a global or unique-local unicast address of the VPC. Fix: publish the server's own address, e.g. fleet.server(0)"],
  ["publish: an IPv4-mapped address", (s) => publish(s, www, () => "::ffff:10.0.0.1"), "test/Edge: publish(www).target = \"::ffff:10.0.0.1\": is in IPv4-mapped space ::ffff:0:0/96; a server's address must be a global or unique-local unicast address of the VPC. Fix: publish the server's own address, e.g. fleet.server(0)"],
  ["publish: an address inside 64:ff9b::/96", (s) => publish(s, www, () => "64:ff9b::10.0.0.1"), "test/Edge: publish(www).target = \"64:ff9b::10.0.0.1\": is inside 64:ff9b::/96, the NAT64 prefix: it stands for an IPv4 host behind the outbound NAT64, not a server. Fix: publish the server's own IPv6 address, e.g. fleet.server(0)"],
  ["publish: an address inside a translator's pool6", (s) => publish(s, www, () => "64:ff9b:1::5"), "test/Edge: publish(www).target = \"64:ff9b:1::5\": is inside translationPrefix 64:ff9b:1::/48 of test/Edge: addresses there stand for IPv4 clients, not servers. Fix: publish the server's own address, e.g. fleet.server(0)"],
  ["publish: a target that is no address", (s) => publish(s, www, () => "web-0"), "test/Edge: publish(www).target = \"web-0\": not a valid IPv6 address or prefix (Bad characters detected in address: w-). Fix: give an IPv6 address such as 2001:db8::10"],
  ["publish: a target with a prefix length", (s) => publish(s, www, () => "2001:db8::10/128"), "test/Edge: publish(www).target = \"2001:db8::10/128\": expected a single IPv6 address without a prefix length. Fix: give an IPv6 address such as 2001:db8::10"],
  ["publish: no options", (s) => publish(s, undefined), "test/Edge: publish(www) = undefined: is missing; PublishOptions needs number, ports. Fix: pass PublishOptions { number: \u2026, ports: \u2026 }"],
  ["publish: number missing", (s) => publish(s, { ports: [Port.tcp(80)] }), "test/Edge: publish(www).number = undefined: is required by PublishOptions. Fix: give a whole number of at least 1"],
  ["publish: number as a string", (s) => publish(s, { ...www, number: "1" }), "test/Edge: publish(www).number = \"1\": is a string (a number in quotes), not a whole number of at least 1. Fix: give a whole number of at least 1"],
  ["publish: number 0", (s) => publish(s, { ...www, number: 0 }), "test/Edge: publish(www).number = 0: service numbers start at 1 (the service's edge host is 64 + number). Fix: give the service a whole number, unique in the VPC, e.g. 1"],
  ["publish: number fractional", (s) => publish(s, { ...www, number: 1.5 }), "test/Edge: publish(www).number = 1.5: is not a whole number. Fix: give the service a whole number, unique in the VPC, e.g. 1"],
  ["publish: number beyond the edge block", (s) => publish(s, { ...www, number: 5000 }), "test/Edge: publish(www).number = 5000: service numbers run from 1 to 4030 (edge host 64 + number). Fix: give the service a number in that range that no other service uses"],
  ["publish: ports missing", (s) => publish(s, { number: 1 }), "test/Edge: publish(www).ports = undefined: is required by PublishOptions. Fix: give a list of ports, e.g. [Port.tcp(443)]"],
  ["publish: one port instead of a list", (s) => publish(s, { number: 1, ports: Port.tcp(80) }), "test/Edge: publish(www).ports = <Port tcp/80>: is an instance of Port, not a list of ports. Fix: give a list of ports, e.g. [Port.tcp(443)]"],
  ["publish: ports empty", (s) => publish(s, { number: 1, ports: [] }), "test/Edge: publish(www).ports = []: is empty. Fix: give a list of ports, e.g. [Port.tcp(443)]"],
  ["publish: port numbers instead of Ports", (s) => publish(s, { number: 1, ports: [80, 443] }), "test/Edge: publish(www).ports[0] = 80: is a number, not a Port. Fix: give a Port, e.g. Port.tcp(443)"],
  ["publish: a port beyond 65535", (s) => publish(s, { number: 1, ports: [Port.tcp(70000)] }), "test/Edge: publish(www).ports[0] = \"tcp/70000\": ports run from 1 to 65535. Fix: use a port between 1 and 65535"],
  ["publish: a port NaN", (s) => publish(s, { number: 1, ports: [Port.tcp(NaN)] }), "test/Edge: publish(www).ports[0] = \"tcp/NaN\": ports run from 1 to 65535. Fix: use a port between 1 and 65535"],
  ["publish: a protocol SIIT does not carry here", (s) => publish(s, { number: 1, ports: [Port.of("sctp", 5000)] }), "test/Edge: publish(www).ports[0] = \"sctp\": is not a protocol SIIT translates for a published service. Fix: use one of tcp, udp, icmp"],
  ["publish: a reversed range", (s) => publish(s, { number: 1, ports: [Port.tcpRange(90, 80)] }), "test/Edge: publish(www).ports[0] = \"tcp/90-80\": the range ends before it starts. Fix: give the lower port first"],
  ["publish: translators by zone name", (s) => publish(s, { ...www, translators: ["eu-north-1a"] }), "test/Edge: publish(www).translators[0] = \"eu-north-1a\": is a string, not a Translator. Fix: give a Translator, e.g. edge.translator(\"eu-north-1a\")"],
  ["publish: translators empty", (s) => publish(s, { ...www, translators: [] }), "test/Edge: publish(www).translators = []: is empty. Fix: give a list of translators, e.g. [edge.translator(\"eu-north-1a\")]"],
  ["publish: two carriers in one zone", (s) => { const net = vpc(s); const web = fleet(s, {}, net); const set = edge(s, { translatorsPerZone: 2 }, net); set.publish("www", web.server(0), { ...www, translators: [set.translator("eu-north-1a", 0), set.translator("eu-north-1a", 1)] }); }, "test/Edge: publish(www).translators[1] = \"eu-north-1a/1\": is a second carrier in one zone; a service has at most one address per zone. Fix: pick one translator per zone"],
  ["publish: a translator of another set", (s) => { const net = vpc(s); const web = fleet(s, {}, net); const set = edge(s, {}, net); const other = new SiitDcTranslators(s, "Other", { vpc: net, firstHostIndex: 20, translationPrefix: "64:ff9b:2::/48" }); set.publish("www", web.server(0), { ...www, translators: [other.translator("eu-north-1a")] }); }, "test/Edge: publish(www).translators[0] = \"test/Other/Translator-a0\": is not a translator of this set. Fix: pick translators with this set's translator()"],
  ["publish: an uppercase name", (s) => { const net = vpc(s); edge(s, {}, net).publish("WWW", fleet(s, {}, net).server(0), www); }, "test/Edge: publish(WWW).name = \"WWW\": is not DNS-safe (it names EIPs, records and Jool comments). Fix: use 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen"],
  ["publish: a number as name", (s) => { const net = vpc(s); edge(s, {}, net).publish(js(7), fleet(s, {}, net).server(0), www); }, "test/Edge: publish.name = 7: is a number, not a service name. Fix: give a service name, e.g. \"www\""],
  ["publish: a name used twice", (s) => { const net = vpc(s); const web = fleet(s, {}, net); const set = edge(s, {}, net); set.publish("www", web.server(0), www); set.publish("www", web.server(1), { ...www, number: 2 }); }, "test/Edge: publish(www).name = \"www\": is already published by this translator set. Fix: give each service its own name"],
  ["publish: a number used twice", (s) => { const net = vpc(s); const web = fleet(s, {}, net); const set = edge(s, {}, net); set.publish("www", web.server(0), www); set.publish("api", web.server(1), www); }, "test/Edge: publish(api).number = 1: is already the number of service www; the number fixes the service's private IPv4 addresses. Fix: give each service its own number"],
  ["publish: one server twice on a translator", (s) => { const net = vpc(s); const web = fleet(s, {}, net); const set = edge(s, {}, net); set.publish("www", web.server(0), www); set.publish("api", web.server(0), { ...www, number: 2 }); }, "test/Edge: publish(api).target = <FleetServer test/Web server 0>: is already published on translator a0 as www; one IPv6 address may have one EAM entry per translator. Fix: publish each server address once per translator: add the ports to www, or carry this service on other translators"],
  ["publish: more services than the interface holds", (s) => { const net = vpc(s); const web = fleet(s, {}, net); const set = edge(s, {}, net); [1, 2, 3, 4].forEach((n) => set.publish(`s${n}`, web.server(n - 1), { ...www, number: n })); }, "test/Edge: publish(s4).translators[0] = \"eu-north-1a/0\": would carry 4 service addresses, but its interface holds 3 secondary IPv4 addresses (4 with the primary). Fix: carry the service on another translator (translatorsPerZone, translators), or use an instance type whose interface holds more addresses"],
  ["publish: a server of another VPC", (s) => { const net = vpc(s); const other = new Ipv6OnlyVpc(s, "Other", { availabilityZones: zones }); edge(s, {}, net).publish("www", fleet(s, {}, other).server(0), www); }, "test/Edge: publish(www).target = \"test/Web\": is a server of another VPC. Fix: publish servers of the translators' VPC"],
  ["publish: preventDestroy as a string", (s) => publish(s, { ...www, preventDestroy: "yes" }), "test/Edge: publish(www).preventDestroy = \"yes\": is a string, not true or false. Fix: give true or false"],
  ["publish: misspelt prevent_destroy", (s) => publish(s, { ...www, prevent_destroy: true }), "test/Edge: publish(www).prevent_destroy = true: is not a property of PublishOptions, so it would be ignored. Fix: did you mean preventDestroy? (PublishOptions has number, ports, translators, dns, ipv6Internet, preventDestroy, outboundIpv4)"],
  ["publish: ipv6Internet as a string", (s) => publish(s, { ...www, ipv6Internet: "false" }), "test/Edge: publish(www).ipv6Internet = \"false\": is a string, not true or false. Fix: give true or false"],
  ["publish: OUTBOUND_ONLY VPC with the default ipv6Internet", (s) => publish(s, www, undefined, { serverIpv6Internet: ServerIpv6Internet.OUTBOUND_ONLY }), "test/Edge: publish(www).ipv6Internet = undefined: the VPC test/Net routes servers' ::/0 to an egress-only gateway (serverIpv6Internet: OUTBOUND_ONLY), so IPv6 clients cannot reach the server; an AAAA record and ::/0 rules would advertise a path that does not exist. Fix: set ipv6Internet: false for this service, or build the VPC with ServerIpv6Internet.INBOUND_AND_OUTBOUND"],
  ["publish: OUTBOUND_ONLY VPC with ipv6Internet true", (s) => publish(s, { ...www, ipv6Internet: true }, undefined, { serverIpv6Internet: ServerIpv6Internet.OUTBOUND_ONLY }), "test/Edge: publish(www).ipv6Internet = true: the VPC test/Net routes servers' ::/0 to an egress-only gateway (serverIpv6Internet: OUTBOUND_ONLY), so IPv6 clients cannot reach the server; an AAAA record and ::/0 rules would advertise a path that does not exist. Fix: set ipv6Internet: false for this service, or build the VPC with ServerIpv6Internet.INBOUND_AND_OUTBOUND"],
  // DNS and health checks
  ["publish: dns without hostedZoneId", (s) => publish(s, { ...www, dns: { name: "www.example.com" } }), "test/Edge: publish(www).dns.hostedZoneId = undefined: is required by ServiceDnsOptions. Fix: give a Route 53 hosted zone id, e.g. zone.zoneId"],
  ["publish: a zone name for hostedZoneId", (s) => publish(s, dns({ hostedZoneId: "example.com" })), "test/Edge: publish(www).dns.hostedZoneId = \"example.com\": is not a Route 53 hosted zone id. Fix: give the zone's id (e.g. \"Z0123456789ABCDEFGHIJ\" or zone.zoneId), not its name"],
  ["publish: a single-label name", (s) => publish(s, dns({ name: "www" })), "test/Edge: publish(www).dns.name = \"www\": is a single label, not a fully qualified name. Fix: give a name such as \"www.example.com\" (labels of 1-63 letters, digits and hyphens)"],
  ["publish: a name with an empty label", (s) => publish(s, dns({ name: "www..example.com" })), "test/Edge: publish(www).dns.name = \"www..example.com\": has an empty label. Fix: give a name such as \"www.example.com\" (labels of 1-63 letters, digits and hyphens)"],
  ["publish: a name with a space", (s) => publish(s, dns({ name: "my site.example.com" })), "test/Edge: publish(www).dns.name = \"my site.example.com\": has the label \"my site\", which is not a DNS label. Fix: give a name such as \"www.example.com\" (labels of 1-63 letters, digits and hyphens)"],
  ["publish: a negative TTL", (s) => publish(s, dns({ ttl: -1 })), "test/Edge: publish(www).dns.ttl = -1: Route 53 TTLs run from 0 to 2147483647 seconds. Fix: use 60 or less for health-checked records"],
  ["publish: a fractional TTL", (s) => publish(s, dns({ ttl: 1.5 })), "test/Edge: publish(www).dns.ttl = 1.5: is not a whole number. Fix: use 60 or less for health-checked records"],
  ["publish: a TTL as a string", (s) => publish(s, dns({ ttl: "60" })), "test/Edge: publish(www).dns.ttl = \"60\": is a string (a number in quotes), not a whole number from 0 to 2,147,483,647. Fix: give a whole number from 0 to 2,147,483,647"],
  ["publish: a TTL beyond Route 53's", (s) => publish(s, dns({ ttl: 2 ** 31 })), "test/Edge: publish(www).dns.ttl = 2147483648: Route 53 TTLs run from 0 to 2147483647 seconds. Fix: use 60 or less for health-checked records"],
  ["publish: a health-check port the service does not publish", (s) => publish(s, hc({ port: 8080 })), "test/Edge: publish(www).dns.healthCheck.port = 8080: is not a TCP port this service publishes (tcp/80, tcp/443), so the translator drops every check, every address turns unhealthy and Route 53 answers with all of them (fails open). Fix: check a published TCP port (tcp/80, tcp/443), or publish tcp/8080"],
  ["publish: HTTPS on the default port 80", (s) => publish(s, hc({ type: "HTTPS" })), "test/Edge: publish(www).dns.healthCheck.type = \"HTTPS\": HTTPS on port 80 (the service's first TCP port, the default): port 80 speaks plain HTTP, so every check fails. Fix: set port: 443 (publishing it), or type: \"HTTP\""],
  ["publish: HTTPS on port 80", (s) => publish(s, hc({ type: "HTTPS", port: 80 })), "test/Edge: publish(www).dns.healthCheck.port = 80: HTTPS on port 80: port 80 speaks plain HTTP, so every check fails. Fix: set port: 443 (publishing it), or type: \"HTTP\""],
  ["publish: HTTP on port 443", (s) => publish(s, hc({ type: "HTTP", port: 443 })), "test/Edge: publish(www).dns.healthCheck.port = 443: HTTP on port 443: port 443 speaks TLS, so every check fails. Fix: set port: 80 (publishing it), or type: \"HTTPS\""],
  ["publish: resourcePath with a TCP check", (s) => publish(s, hc({ resourcePath: "/health" })), "test/Edge: publish(www).dns.healthCheck.resourcePath = \"/health\": applies to HTTP and HTTPS checks only; a TCP check opens a connection and would ignore it. Fix: set type: \"HTTP\" or \"HTTPS\", or remove resourcePath"],
  ["publish: resourcePath without a slash", (s) => publish(s, hc({ type: "HTTP", resourcePath: "health" })), "test/Edge: publish(www).dns.healthCheck.resourcePath = \"health\": is not a path (it must start with / and contain no spaces). Fix: give a path such as \"/health\""],
  ["publish: a lowercase check type", (s) => publish(s, hc({ type: "http" })), "test/Edge: publish(www).dns.healthCheck.type = \"http\": is not one of \"TCP\", \"HTTP\", \"HTTPS\" (case matters). Fix: write \"HTTP\""],
  ["publish: a check type Route 53 lacks", (s) => publish(s, hc({ type: "UDP" })), "test/Edge: publish(www).dns.healthCheck.type = \"UDP\": is not one of \"TCP\", \"HTTP\", \"HTTPS\". Fix: use one of \"TCP\", \"HTTP\", \"HTTPS\""],
  ["publish: requestInterval 15", (s) => publish(s, hc({ requestInterval: 15 })), "test/Edge: publish(www).dns.healthCheck.requestInterval = 15: Route 53 checks every 10 or every 30 seconds. Fix: use 10 or 30"],
  ["publish: failureThreshold 0", (s) => publish(s, hc({ failureThreshold: 0 })), "test/Edge: publish(www).dns.healthCheck.failureThreshold = 0: Route 53 accepts 1 to 10. Fix: use a value from 1 to 10"],
  ["publish: a UDP-only service with DNS and no check port", (s) => publish(s, { number: 1, ports: [Port.udp(123)], dns: { hostedZoneId: "Z0EXAMPLE0SIITDC", name: "ntp.example.com" } }), "test/Edge: publish(www).dns.healthCheck = {}: a service without a TCP port needs an explicit health check port (Route 53 checks TCP, HTTP or HTTPS). Fix: set dns.healthCheck.port to a TCP port the server answers on"],
  ["publish: misspelt healthcheck key", (s) => publish(s, dns({ healthcheck: { port: 80 } })), "test/Edge: publish(www).dns.healthcheck = {\"port\":80}: is not a property of ServiceDnsOptions, so it would be ignored. Fix: did you mean healthCheck? (ServiceDnsOptions has hostedZoneId, name, ttl, healthCheck)"],

  ["publish: a port number in quotes (JSON)", (s) => publish(s, { number: 1, ports: [Port.tcp(js("80"))] }), "test/Edge: publish(www).ports[0] = \"80\": is a string, not a port number. Fix: give a whole number from 1 to 65535, e.g. Port.tcp(443)"],
  ["publish: a server-shaped object", (s) => publish(s, www, () => ({ address: "2001:db8::10" })), "test/Edge: publish(www).target = {\"address\":\"2001:db8::10\"}: is an object, not a server. Fix: pass fleet.server(i), an IPv6 address string or a plan address"],
  ["publish: a DNS name over 253 characters", (s) => publish(s, dns({ name: `${"a".repeat(60)}.`.repeat(5) + "example.com" })), "test/Edge: publish(www).dns.name = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaa\u2026: is 316 characters long; DNS names are at most 253 characters. Fix: shorten it to 253 characters or fewer"],
  ["publish: more translator routes than a route table holds", (s) => { const net = new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eu-north-1a", "eu-north-1b", "eu-north-1c", "eu-north-1d"] }); edge(s, { translatorsPerZone: 13 }, net); }, "Validation failed with the following errors:\n  [test/Net] test/Net/servers-eu-north-1a: routes = 53: the route table holds 53 IPv6 routes (one per translator, the default route and the NAT64's), over the default quota \"Routes per route table\" of 50 (L-93826ACB). Fix: run fewer translators, or ask AWS to raise the quota (up to 1,000) before you apply\n  [test/Net] test/Net/servers-eu-north-1b: routes = 53: the route table holds 53 IPv6 routes (one per translator, the default route and the NAT64's), over the default quota \"Routes per route table\" of 50 (L-93826ACB). Fix: run fewer translators, or ask AWS to raise the quota (up to 1,000) before you apply\n  [test/Net] test/Net/servers-eu-north-1c: routes = 53: the route table holds 53 IPv6 routes (one per translator, the default route and the NAT64's), over the default quota \"Routes per route table\" of 50 (L-93826ACB). Fix: run fewer translators, or ask AWS to raise the quota (up to 1,000) before you apply\n  [test/Net] test/Net/servers-eu-north-1d: routes = 53: the route table holds 53 IPv6 routes (one per translator, the default route and the NAT64's), over the default quota \"Routes per route table\" of 50 (L-93826ACB). Fix: run fewer translators, or ask AWS to raise the quota (up to 1,000) before you apply\n\nIf you wish to ignore these validations, pass 'skipValidation: true' to your App configuration.\n"],
  ["fleet.allowInbound: an IPv4 CIDR as ipv6Cidr", (s) => fleet(s).allowInbound("Office", { port: Port.tcp(22), ipv6Cidr: "10.0.0.0/8", description: "office" }), "test/Web: allowInbound(Office).ipv6Cidr = \"10.0.0.0/8\": not a valid IPv6 address or prefix (Incorrect number of groups found). Fix: give an IPv6 prefix such as \"2001:db8::/32\" (IPv4 clients reach servers only through the translators)"],
  ["fleet: autoScaling desired above max", (s) => fleet(s, { servers: undefined, autoScaling: { minCapacity: 1, maxCapacity: 2, desiredCapacity: 3 } }), "test/Web: autoScaling.desiredCapacity = 3: must lie between minCapacity 1 and maxCapacity 2. Fix: give a desiredCapacity in that range, or leave it unset (it defaults to minCapacity)"],
  ["translators: a zone listed twice", (s) => edge(s, { zones: ["eu-north-1a", "eu-north-1a"] }), "test/Edge: zones[1] = \"eu-north-1a\": is listed twice. Fix: list each entry once"],
  ["vpc: an IPv6 block as ipv4Cidr", (s) => vpc(s, { ipv4Cidr: "2001:db8::/56" }), "test/Net: ipv4Cidr = \"2001:db8::/56\": not a valid IPv4 address or prefix (Invalid subnet mask.). Fix: give an IPv4 CIDR with zero host bits, e.g. 10.0.0.0/16"],
  ["image: joolVersion as a number", (s) => image(s, { joolVersion: 4.1 }), "test/JoolImage: joolVersion = 4.1: is a number, not a Jool version. Fix: give a Jool version, e.g. \"4.1.15\""],
  ["nat64: a zone listed twice", (s) => nat64(s, { zones: ["eu-north-1a", "eu-north-1a"] }), "test/Outbound: zones[1] = \"eu-north-1a\": is listed twice. Fix: list each entry once"],

  ["publish: two services under one DNS name", (s) => { const net = vpc(s); const web = fleet(s, {}, net); const set = edge(s, {}, net); set.publish("www", web.server(0), dns()); set.publish("api", web.server(1), { ...dns({ name: "WWW.example.com." }), number: 2 }); }, "test/Edge: publish(api).dns.name = \"WWW.example.com.\": is already the record name of service www of test/Edge; two services under one name would mix their addresses in one answer. Fix: give each service its own record name"],
  ["vpc: a server tier listed twice", (s) => vpc(s, { serverTiers: ["web", "web"] }), "test/Net: serverTiers[1] = \"web\": is listed twice. Fix: give each server tier a distinct name"],
  ["subnet.addIpv6Route: a number for the destination", (s) => vpc(s).edgeSubnet("eu-north-1a").addIpv6Route("X", js(0), RouteTarget.internetGateway("igw-0")), "test/Net/edge-eu-north-1a: addIpv6Route(X).destination = 0: is a number, not a CIDR. Fix: give a CIDR, e.g. \"::/0\""],
  ["config store: addNodeConfig without a role", (s) => new JoolConfigStore(s, "Store").addNodeConfig("X", "a.json", "{}", js(undefined)), "test/Store: addNodeConfig(X).role = undefined: is undefined, not an InstanceRole. Fix: give an InstanceRole, e.g. node.role"],

  ["jool node: built directly with half its props", (s) => new JoolNode(s, "Node", js({ mode: "siit", name: "n" })), "test/Node: subnet = undefined: is required by JoolNodeProps. Fix: give a TierSubnet, e.g. vpc.edgeSubnet(\"eu-north-1a\")"],
  ["jool node: an unknown mode", (s) => new JoolNode(s, "Node", js({ mode: "nat46" })), "test/Node: mode = \"nat46\": is not one of \"siit\", \"nat64\". Fix: use one of \"siit\", \"nat64\""],

  // --- OutboundNat64 ---
  ["nat64: no props", (s) => new OutboundNat64(s, "Outbound", js(undefined)), "test/Outbound: props = undefined: is missing; OutboundNat64Props needs vpc. Fix: pass OutboundNat64Props { vpc: \u2026 }"],
  ["nat64: provider as a string", (s) => nat64(s, js({ provider: "natGateway" })), "test/Outbound: provider = \"natGateway\": is a string, not a Nat64Provider. Fix: give a Nat64Provider, e.g. Nat64Provider.natGateway()"],
  ["nat64: configStore with NAT gateways", (s) => { const net = vpc(s); nat64(s, { configStore: new JoolConfigStore(s, "Store") }, net); }, "test/Outbound: configStore = <JoolConfigStore test/Store>: is used only by Jool NAT64 instances, and NAT gateways (the provider here) read no configuration. Fix: remove configStore, or use provider: Nat64Provider.joolInstance()"],
  ["nat64: a second OutboundNat64 on the same zones", (s) => { const net = vpc(s); nat64(s, {}, net); new OutboundNat64(s, "Outbound2", { vpc: net }); }, "test/Outbound2: zones = undefined: defaults to every zone of the VPC, and zone eu-north-1a already gets its NAT64 from test/Outbound; a zone's 64:ff9b::/96 route has a single target. Fix: use one OutboundNat64 per VPC: test/Outbound already serves every zone"],
  ["nat64: a prefix other than 64:ff9b::/96", (s) => nat64(s, { prefix: "64:ff9b:1::/96" }), "test/Outbound: prefix = \"64:ff9b:1::/96\": AWS DNS64 synthesizes AAAA records only under 64:ff9b::/96 (and AWS NAT gateways translate only that prefix), so servers would get addresses no NAT64 here serves. Fix: use 64:ff9b::/96; a different NAT64 prefix needs your own DNS64 resolver, which this construct does not manage"],
  ["nat64: placement as a string", (s) => nat64(s, js({ placement: "single" })), "test/Outbound: placement = \"single\": is a string, not a Nat64Placement. Fix: give a Nat64Placement, e.g. Nat64Placement.perZone()"],
  ["nat64: single placement in a zone the VPC lacks", (s) => nat64(s, { placement: Nat64Placement.single("eu-north-1c") }), "test/Outbound: placement = \"eu-north-1c\": is not an availability zone of this VPC. Fix: use one of eu-north-1a, eu-north-1b, or add the zone to the VPC"],
  ["nat64: zones empty", (s) => nat64(s, { zones: [] }), "test/Outbound: zones = []: is empty. Fix: give a list of availability zone names, e.g. [\"eu-north-1a\"]"],
  ["nat64: a Xen NAT64 instance", (s) => nat64(s, { provider: Nat64Provider.joolInstance({ instanceType: "t2.small" }) }), "test/Outbound: provider.instanceType = \"t2.small\": the t2 family runs on Xen, and only instances built on the Nitro System launch in IPv6-only subnets. Fix: choose a Nitro family, e.g. t4g, c7g, m7g or c7gn"],
  ["nat64: pool4 protocol in uppercase", (s) => nat64(s, { provider: Nat64Provider.joolInstance({ pool4: js([{ protocol: "TCP", ports: "61001-65535" }]) }) }), "test/Outbound: provider.pool4[0].protocol = \"TCP\": is not one of \"tcp\", \"udp\", \"icmp\" (case matters). Fix: write \"tcp\""],
  ["nat64: pool4 inside the ephemeral range", (s) => nat64(s, { provider: Nat64Provider.joolInstance({ pool4: [{ protocol: "tcp", ports: "40000-50000" }] }) }), "test/Outbound: provider.pool4[0].ports = \"40000-50000\": overlaps Linux's ephemeral ports 32768-60999, which the node's own connections use (Jool 4.1.15 refuses such a pool4). Fix: use ports above 60999, e.g. 61001-65535 (Jool's default)"],
  ["nat64: pool4 ports as a number", (s) => nat64(s, { provider: Nat64Provider.joolInstance({ pool4: js([{ protocol: "tcp", ports: 61001 }]) }) }), "test/Outbound: provider.pool4[0].ports = 61001: is a number, not a port range \"from-to\". Fix: give a port range \"from-to\", e.g. \"61001-65535\""],
  ["nat64: a NAT64 instance on a translator's address", (s) => { const net = vpc(s); edge(s, {}, net); nat64(s, { provider: Nat64Provider.joolInstance({ firstHostIndex: 10 }) }, net); }, "test/Outbound: provider.firstHostIndex = 10: edge address 10.0.0.10 is already held by test/Edge translator a0. Fix: set firstHostIndex so the NAT64 instances use edge addresses no translator uses"],
  ["nat64: alarmActions as a string", (s) => nat64(s, { provider: Nat64Provider.joolInstance({ monitoring: js({ alarmActions: "arn:aws:sns:eu-north-1:123456789012:ops" }) }) }), "test/Outbound: provider.monitoring.alarmActions = \"arn:aws:sns:eu-north-1:123456789012:ops\": is a string, not a list of ARNs. Fix: give a list of ARNs, e.g. [topic.arn]"],
  ["nat64: region differing from the provider", (s) => nat64(s, { provider: Nat64Provider.joolInstance({ region: "eu-west-1" }) }), "test/Outbound: region = \"eu-west-1\": differs from the region of the stack's AWS provider (eu-north-1), where the resources are created; what names the region (recovery alarm actions, image distribution, dashboard metrics) would point at a region without them. Fix: remove region (it defaults to the provider's eu-north-1), or create these resources in a stack whose provider uses eu-west-1"],
  ["nat64: misspelt joolInstance key", (s) => nat64(s, { provider: Nat64Provider.joolInstance(js({ instancetype: "t4g.small" })) }), "test/Outbound: provider.instancetype = \"t4g.small\": is not a property of JoolNat64Options, so it would be ignored. Fix: did you mean instanceType? (JoolNat64Options has instanceType, image, pool4, firstHostIndex, monitoring, region)"],

  // --- JoolImage ---
  ["image: props as a string", (s) => image(s, "arm64"), "test/JoolImage: props = \"arm64\": is a string, not JoolImageProps (an object). Fix: pass JoolImageProps { architecture: \u2026 }"],
  ["image: x86_64 architecture", (s) => image(s, { architecture: "x86_64" }), "test/JoolImage: architecture = \"x86_64\": is not one of \"arm64\", \"amd64\". Fix: use one of \"arm64\", \"amd64\""],
  ["image: a Jool version without a pinned commit", (s) => image(s, { joolVersion: "4.1.9" }), "test/JoolImage: joolVersion = \"4.1.9\": is not a Jool release this library knows the commit of (the image build refuses unpinned sources). Fix: use one of 4.1.14, 4.1.15; kernels 6.12 and later need 4.1.14 or later"],
  ["image: a parameter name without a slash", (s) => image(s, { parameterName: "jool-ami" }), "test/JoolImage: parameterName = \"jool-ami\": is not an SSM parameter name. Fix: use a path such as \"/siit-dc/jool-ami\""],
  ["image: a parameter under /aws", (s) => image(s, { parameterName: "/aws/service/jool" }), "test/JoolImage: parameterName = \"/aws/service/jool\": is under /aws or /ssm, which AWS reserves for public parameters. Fix: use a path of your own, e.g. \"/siit-dc/jool-ami\""],
  ["image: a parameter of 16 levels", (s) => image(s, { parameterName: `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join("/")}` }), "test/JoolImage: parameterName = \"/l0/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/l11/l12/l13/l14/l15\": has 16 levels; SSM allows 15. Fix: use a shorter path"],
  ["image: an x86 build type for an arm64 image", (s) => image(s, { buildInstanceType: "c7i.large" }), "test/JoolImage: buildInstanceType = \"c7i.large\": is amd64, but the image is built for arm64 (the Ubuntu parent image of that architecture cannot boot on it). Fix: use an arm64 build type such as \"c7g.large\", or set architecture: \"amd64\""],
  ["image: build security groups without a subnet", (s) => image(s, { buildSecurityGroupIds: ["sg-0123456789abcdef0"] }), "test/JoolImage: buildSecurityGroupIds = [\"sg-0123456789abcdef0\"]: names security groups but no buildSubnetId. Fix: give both buildSubnetId and buildSecurityGroupIds, or neither (the library then creates the build network)"],
  ["image: six build security groups", (s) => image(s, { buildSubnetId: "subnet-0123456789abcdef0", buildSecurityGroupIds: [1, 2, 3, 4, 5, 6].map((i) => `sg-012345678${i}`) }), "test/JoolImage: buildSecurityGroupIds = [\"sg-0123456781\",\"sg-0123456782\",\"sg-0123456783\",\"sg-0123456784\",\"sg-0123456785\",\"sg-0123456786\"]: has 6 entries; the default quota \"Security groups per network interface\" is 5 (L-2AFB9258). Fix: use at most 5 groups, or raise the quota"],
  ["image: a subnet id that is not one", (s) => image(s, { buildSubnetId: "default" }), "test/JoolImage: buildSubnetId = \"default\": is not a subnet id. Fix: give an id such as \"subnet-0123456789abcdef0\" or a subnet's id attribute"],
  ["image: an IPv6-only build subnet", (s) => image(s, { buildSubnetId: vpc(s).serverSubnet("eu-north-1a").subnet.id }), "test/JoolImage: buildSubnetId = (the id of test/Net/servers-eu-north-1a/Subnet): is an IPv6-only subnet, but the build downloads Jool's source from GitHub, which has no IPv6. Fix: use a subnet with IPv4 internet access (e.g. an edge subnet), or leave buildSubnetId unset for the default VPC"],
  ["image: a rate schedule", (s) => image(s, { schedule: "rate(7 days)" }), "test/JoolImage: schedule = \"rate(7 days)\": is not an Image Builder schedule (cron with six fields). Fix: write it as \"cron(minutes hours day-of-month month day-of-week year)\", e.g. \"cron(0 4 ? * MON *)\""],
  ["image: region differing from the provider", (s) => image(s, { region: "us-east-1" }), "test/JoolImage: region = \"us-east-1\": differs from the region of the stack's AWS provider (eu-north-1), where the resources are created; what names the region (recovery alarm actions, image distribution, dashboard metrics) would point at a region without them. Fix: remove region (it defaults to the provider's eu-north-1), or create these resources in a stack whose provider uses us-east-1"],
  ["image: a construct path too long for Image Builder names", (s) => new JoolImage(s, `JoolImage${"x".repeat(100)}`), "test/JoolImagexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: id = \"JoolImagexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\": makes Image Builder names of 147 characters from the construct path test/JoolImagexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; Image Builder allows 128. Fix: use shorter construct ids (of this construct or its parents)"],

  // --- SiitDcDashboard, InstanceRole, JoolConfigStore ---
  ["dashboard: nothing to show", (s) => new SiitDcDashboard(s, "Dashboard", js({})), "test/Dashboard: translators = undefined: a dashboard needs something to show, and neither translators nor nat64 lists anything. Fix: list translator sets in translators, OutboundNat64 constructs in nat64, or both"],
  ["dashboard: no props", (s) => new SiitDcDashboard(s, "Dashboard", js(undefined)), "test/Dashboard: translators = undefined: a dashboard needs something to show, and neither translators nor nat64 lists anything. Fix: list translator sets in translators, OutboundNat64 constructs in nat64, or both"],
  ["dashboard: translators not a list", (s) => new SiitDcDashboard(s, "Dashboard", js({ translators: edge(s) })), "test/Dashboard: translators = <SiitDcTranslators test/Edge>: is an instance of SiitDcTranslators, not a list of translator sets. Fix: give a list of translator sets, e.g. [edge]"],
  ["dashboard: a name with spaces", (s) => new SiitDcDashboard(s, "Dashboard", { translators: [edge(s)], dashboardName: "my dashboard" }), "test/Dashboard: dashboardName = \"my dashboard\": has characters CloudWatch does not allow in dashboard names. Fix: use letters, digits, - and _ only"],
  ["dashboard: nat64 of names", (s) => new SiitDcDashboard(s, "Dashboard", js({ nat64: ["Outbound"] })), "test/Dashboard: nat64[0] = \"Outbound\": is a string, not an OutboundNat64. Fix: give an OutboundNat64, e.g. new OutboundNat64(...)"],
  ["dashboard: region differing from the provider", (s) => new SiitDcDashboard(s, "Dashboard", js<SiitDcDashboardProps>({ translators: [edge(s)], region: "us-east-1" })), "test/Dashboard: region = \"us-east-1\": differs from the region of the stack's AWS provider (eu-north-1), where the resources are created; what names the region (recovery alarm actions, image distribution, dashboard metrics) would point at a region without them. Fix: remove region (it defaults to the provider's eu-north-1), or create these resources in a stack whose provider uses us-east-1"],
  ["role: tags as a string", (s) => new InstanceRole(s, "Role", js({ tags: "team=net" })), "test/Role: tags = \"team=net\": is a string, not an object of tag keys to values. Fix: give an object of tag keys to values, e.g. { Team: \"net\" }"],
  ["role.addStatements: actions as a string", (s) => new InstanceRole(s, "Role").addStatements("Read", js([{ actions: "s3:GetObject", resources: ["*"] }])), "test/Role: addStatements(Read)[0].actions = \"s3:GetObject\": is a string, not a list of actions. Fix: give a list of actions, e.g. [\"s3:GetObject\"]"],
  ["role.addStatements: an action without a service", (s) => new InstanceRole(s, "Role").addStatements("Read", [{ actions: ["GetObject"], resources: ["*"] }]), "test/Role: addStatements(Read)[0].actions[0] = \"GetObject\": is not an IAM action. Fix: write service:Action, e.g. \"s3:GetObject\""],
  ["teams: a misspelt key", (s) => edge(s, { instanceType: "c7gn.large", teams: [js({ name: "payments", firstNumer: 64 })] }), "test/Edge: teams[0].firstNumer = 64: is not a property of TranslatorTeam, so it would be ignored. Fix: did you mean firstNumber? (TranslatorTeam has name, firstNumber, numberCount, tiers)"],
  ["teams: an unaligned first number", (s) => edge(s, { instanceType: "c7gn.large", teams: [{ name: "payments", firstNumber: 60 }] }), "test/Edge: teams[0].firstNumber = 60: must start a /28 of the edge subnets: service n is edge host 64 + n, and EC2 delegates IPv4 prefixes of /28 only. Fix: use a number with 64 + number a multiple of 16, e.g. 48 or 64"],
  ["teams: a tier the VPC lacks", (s) => edge(s, { instanceType: "c7gn.large", teams: [{ name: "payments", firstNumber: 64, tiers: ["payments"] }] }), "test/Edge: teams[0].tiers[0] = \"payments\": is not a server tier of the VPC. Fix: add it to the VPC's serverTiers (at the end), or use one of servers"],
  ["teams: a platform service in a team's range", (s) => { const net = vpc(s); edge(s, { instanceType: "c7gn.large", teams: [{ name: "payments", firstNumber: 64 }] }, net).publish("www", fleet(s, {}, net).server(0), { number: 64, ports: [Port.tcp(443)] }); }, "test/Edge: publish(www).number = 64: belongs to team payments (numbers 64-79), whose own stack publishes them. Fix: give the platform's service a number outside every team's range"],
  ["teams: forTeam of an unknown team", (s) => edge(s, { instanceType: "c7gn.large", teams: [{ name: "payments", firstNumber: 64 }] }).forTeam("billing"), "test/Edge: forTeam = \"billing\": is not a team of this set (teams: payments). Fix: add { name: \"billing\", firstNumber: ... } to teams"],
  ["team: no platform", (s) => new SiitDcTeam(s, "Payments", js({})), "test/Payments: platform = undefined: is required by SiitDcTeamProps. Fix: give a TeamPlatform, e.g. translators.forTeam(\"payments\"), or TeamPlatform.fromManifest(json, { team: \"payments\" })"],
  ["team: a manifest as a string", (s) => new SiitDcTeam(s, "Payments", { platform: js("platform.json") }), "test/Payments: platform = \"platform.json\": is a string, not a TeamPlatform. Fix: give a TeamPlatform, e.g. translators.forTeam(\"payments\"), or TeamPlatform.fromManifest(json, { team: \"payments\" })"],
  ["team: a manifest missing its fields", (s) => new SiitDcTeam(s, "Payments", { platform: TeamPlatform.fromManifest({ format: "siit-dc-platform/1" }, { team: "payments" }) }), "test/Payments: platform.platform = undefined: is required by PlatformManifest. Fix: give the platform's stack name, e.g. \"platform\""],
  ["team.publish: a number outside its range", (s) => teamOf(s).publish("pay", "2001:db8:1200:20::10", { number: 1, ports: [Port.tcp(443)] }), "test/Payments: publish(pay).number = 1: is outside the service numbers of team payments (64-79). Fix: pick a number from 64-79, or ask the platform for a larger range"],
  ["team.publish: translators as constructs", (s) => teamOf(s).publish("pay", "2001:db8:1200:20::10", js({ number: 64, ports: [Port.tcp(443)], translators: [{}] })), "test/Payments: publish(pay).translators[0] = {}: is an object, not a translator id. Fix: give a translator id, e.g. \"a0\""],
  ["team.publish: an unknown translator id", (s) => teamOf(s).publish("pay", "2001:db8:1200:20::10", { number: 64, ports: [Port.tcp(443)], translators: ["c0"] }), "test/Payments: publish(pay).translators[0] = \"c0\": is not a translator of the platform's set. Fix: use one of a0, b0"],
  ["team.publish: no target", (s) => teamOf(s).publish("pay", js(undefined), { number: 64, ports: [Port.tcp(443)] }), "test/Payments: publish(pay).target = undefined: is not a server (an index past the end of a fleet's servers gives undefined). Fix: pass fleet.server(i) of a fleet in the team's tiers, an IPv6 address string or a plan address"],
  ["team.publish: a record name twice", (s) => { const t = teamOf(s); const dns = { hostedZoneId: "Z0EXAMPLE0SIITDC", name: "pay.example.com" }; t.publish("pay", "2001:db8:1200:20::10", { number: 64, ports: [Port.tcp(443)], dns }); t.publish("pay2", "2001:db8:1200:20::11", { number: 65, ports: [Port.tcp(443)], dns }); }, "test/Payments: publish(pay2).dns.name = \"pay.example.com\": is already the record name of service pay of test/Payments; two services under one name would mix their addresses in one answer. Fix: give each service its own record name"],
  ["config store: props as a string", (s) => new JoolConfigStore(s, "Store", js("bucket")), "test/Store: props = \"bucket\": is a string, not JoolConfigStoreProps (an object). Fix: pass JoolConfigStoreProps { tags: \u2026 }"],
];

describe("bad input catalogue: every case fails with its exact message, never a crash", () => {
  test("the catalogue holds at least 150 cases with distinct names", () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(150);
    expect(new Set(catalogue.map(([name]) => name)).size).toBe(catalogue.length);
  });

  test.each(catalogue)("%s", (_name, build, message) => {
    const result = outcome(build);
    expect(result.kind === "crash" ? `crash: ${result.message}` : result.message).toBe(message);
    expect(["PlanError", "validation"]).toContain(result.kind);
  });
});

/** Warnings: synthesis goes on, and the warning names the quota to raise. */
const warnings: [string, Build, string][] = [
  ["a fleet of 10,000 workers", (s) => fleet(s, { servers: undefined, autoScaling: { minCapacity: 0, maxCapacity: 10000 } }), "test/Web: 10000 servers need 10000 network interfaces; the default EC2 quota \"Network interfaces per Region\" is 5000 (L-DF5E4CA3). Request more in Service Quotas before you apply, and check EC2 \"Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances\" (vCPUs, L-1216C47A) too."],
  ["a fleet of 150 servers", (s) => fleet(s, { servers: 150 }), "test/Web: 150 servers: EC2 limits running instances by vCPUs per account and region. Check EC2 \"Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances\" (vCPUs, L-1216C47A) in Service Quotas before you apply, or the apply fails part-way."],
  ["more than 200 Route 53 health checks", (s) => {
    const net = vpc(s);
    const set = edge(s, { translatorsPerZone: 3, instanceType: "c8gn.large", ipv4AddressesPerInterface: { "c8gn.large": 40 } }, net);
    Array.from({ length: 101 }, (_, i) => `fd00:1::${(i + 16).toString(16)}`).forEach((server, i) => set.publish(`s${i}`, server, { number: i + 1, ports: [Port.tcp(443)], translators: zones.map((z) => set.translator(z, i % 3)), dns: { hostedZoneId: "Z0EXAMPLE0SIITDC", name: `s${i}.example.com` } }));
  }, "test: this stack creates 202 Route 53 health checks (one per service address); the default quota is 200 per account. Request a higher \"Health checks\" quota (Route 53, L-ACB674F3) before you apply, or the apply fails part-way."],
];

describe("warnings name the quota", () => {
  test.each(warnings)("%s", (_name, build, message) => {
    const stack = testStack();
    build(stack);
    Testing.synth(stack, true);
    // The EIP quota and alarm warnings of the same stacks are tested with the translators and the alarms.
    const found = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => `${c.node.path}: ${String(m.data)}`))
      .filter((w) => !w.includes("Elastic IP") && !w.includes("notify nobody"));
    expect(found).toEqual([message]);
  });
});

/** Valid input the library once refused, and edge cases at the limits: all accepted. */
const valid: [string, Build][] = [
  ["m7i-flex.large", (s) => fleet(s, { instanceType: "m7i-flex.large" })],
  ["c7i-flex.large", (s) => fleet(s, { instanceType: "c7i-flex.large" })],
  ["m5zn, r7iz, c6in, m6idn", (s) => { const net = vpc(s); ["m5zn.large", "r7iz.large", "c6in.large", "m6idn.large"].forEach((t, i) => new Ipv6ServerFleet(s, `F${i}`, { vpc: net, servers: 1, instanceType: t, hostIndexes: [100 + i] })); }],
  ["x9z with the escape hatch", (s) => fleet(s, { instanceType: "x9z.large", nitroInstanceFamilies: ["x9z"] })],
  ["i3.metal (Nitro metal of a Xen family)", (s) => fleet(s, { instanceType: "i3.metal" })],
  ["#cloud-boothook user data", (s) => fleet(s, { userData: "#cloud-boothook\n#!/bin/sh\necho early\n" })],
  ["#include user data", (s) => fleet(s, { userData: "#include\nhttps://example.com/boot.cfg\n" })],
  ["#cloud-config-archive user data", (s) => fleet(s, { userData: "#cloud-config-archive\n- type: text/cloud-config\n  content: 'packages: [nginx]'\n" })],
  ["an empty cloud-config", (s) => fleet(s, { userData: "#cloud-config\n" })],
  ["a user script containing the library's MIME boundary", (s) => fleet(s, { userData: "#!/bin/sh\necho '--==SIIT-DC-USER-DATA=='\n" })],
  ["debian12(arm64) on Graviton, debian12(amd64) on Intel", (s) => { fleet(s, { image: MachineImage.debian12("arm64") }); new Ipv6ServerFleet(s, "Intel", { vpc: (s.node.findChild("Net") as Ipv6OnlyVpc), servers: 1, instanceType: "m7i.large", image: MachineImage.debian12("amd64"), hostIndexes: [200] }); }],
  ["a root volume of exactly 8 GiB", (s) => fleet(s, { rootVolumeSize: 8 })],
  ["explicit undefined for optional props (as spread options produce)", (s) => edge(s, { translatorsPerZone: undefined, monitoring: undefined, tags: undefined })],
  ["region equal to the provider's", (s) => edge(s, { region: "eu-north-1" })],
  ["46 tags of 128/256 characters", (s) => vpc(s, { tags: Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`${i}`.padEnd(128, "k"), "v".repeat(256)])) })],
  ["alarm actions from a resource attribute (tokens)", (s) => edge(s, { monitoring: { alarmActions: [new SnsTopic(s, "Ops").arn], dropsPer5Minutes: 0 } })],
  ["four alarm actions", (s) => edge(s, { monitoring: { alarmActions: [1, 2, 3, 4].map((i) => `arn:aws:sns:eu-north-1:123456789012:t${i}`) } })],
  ["a hosted zone id token and /hostedzone/ prefix", (s) => { const net = vpc(s); const web = fleet(s, {}, net); const set = edge(s, {}, net); set.publish("www", web.server(0), dns({ hostedZoneId: new TerraformVariable(s, "zone", { type: "string" }).stringValue })); set.publish("api", web.server(1), { ...dns({ hostedZoneId: "/hostedzone/Z0EXAMPLE" }), number: 2 }); }],
  ["HTTPS on 443, HTTP on 80, TCP inside a published range, TTL 0", (s) => {
    const net = vpc(s);
    const web = fleet(s, {}, net);
    const set = edge(s, {}, net);
    const zone = { hostedZoneId: "Z0EXAMPLE0SIITDC" };
    set.publish("www", web.server(0), { ...www, dns: { ...zone, name: "www.example.com", healthCheck: { type: "HTTPS", port: 443, resourcePath: "/health" } } });
    set.publish("api", web.server(1), { ...www, number: 2, dns: { ...zone, name: "api.example.com", healthCheck: { type: "HTTP" } } });
    set.publish("app", web.server(2), { number: 3, ports: [Port.tcpRange(8000, 8100)], dns: { ...zone, name: "app.example.com", ttl: 0, healthCheck: { port: 8080 } } });
  }],
  ["a ULA literal target", (s) => publish(s, www, () => "fd00:1::10")],
  ["OUTBOUND_ONLY with ipv6Internet: false", (s) => publish(s, { ...www, ipv6Internet: false }, undefined, { serverIpv6Internet: ServerIpv6Internet.OUTBOUND_ONLY })],
  ["a rollout that only opts out of staging", (s) => edge(s, { rollout: { allAtOnce: true } })],
  ["a rollout without zones (every zone)", (s) => edge(s, { rollout: { instanceType: "c7gn.large" } })],
  ["a translator set on its own /48 beside another", (s) => { const net = vpc(s); edge(s, {}, net); new SiitDcTranslators(s, "Edge2", { vpc: net, firstHostIndex: 20, translationPrefix: "64:ff9b:2::/48" }); }],
  ["a type outside the table with its override", (s) => edge(s, { instanceType: "c8gn.large", ipv4AddressesPerInterface: { "c8gn.large": 10 }, eamHairpinMode: EamHairpinMode.SIMPLE })],
  ["Jool NAT64 instances with a config store; NAT gateways without", (s) => { const net = vpc(s); nat64(s, { provider: Nat64Provider.joolInstance({ instanceType: "t4g.small" }), configStore: new JoolConfigStore(s, "Store") }, net); }],
  ["two OutboundNat64 on disjoint zones", (s) => { const net = vpc(s); nat64(s, { zones: ["eu-north-1a"] }, net); new OutboundNat64(s, "Outbound2", { vpc: net, zones: ["eu-north-1b"] }); }],
  ["JoolImage in a subnet with its groups, amd64 on c7i", (s) => image(s, { architecture: "amd64", buildInstanceType: "c7i.large", buildSubnetId: "subnet-0123456789abcdef0", buildSecurityGroupIds: ["sg-0123456789abcdef0"] })],
  ["a dashboard of a NAT64 only", (s) => new SiitDcDashboard(s, "Dashboard", { nat64: [nat64(s)] })],
  ["zones of us-gov-west-1 with a provider there", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["us-gov-west-1a"] })],
  ["zones of eusc-de-east-1 with a provider there", (s) => new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eusc-de-east-1a", "eusc-de-east-1b"] })],
  ["props as an instance of the user's own class", (s) => { class NetProps { availabilityZones = zones; dns64 = false; } new Ipv6OnlyVpc(s, "Net", new NetProps()); }],
  ["an EC2 automate action among the alarm actions", (s) => edge(s, { monitoring: { alarmActions: ["arn:aws:automate:eu-north-1:ec2:stop"] } })],
];

describe("valid input is accepted", () => {
  test.each(valid)("%s", (name, build) => {
    const region = /^zones of (\S+)/.exec(name)?.[1] ?? "eu-north-1";
    const stack = testStack(region);
    build(stack);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test("a user script containing the MIME boundary gets a boundary it does not contain", () => {
    const script = "#!/bin/sh\necho '--==SIIT-DC-USER-DATA=='\n";
    const synth = synthJson((s) => fleet(s, { userData: script }));
    const text = decodeUserData(String(Object.values(resourcesOf(synth, "aws_launch_template"))[0].user_data));
    expect(text.split("\n", 1)[0]).toBe('Content-Type: multipart/mixed; boundary="==SIIT-DC-USER-DATA-1=="');
    expect(splitUserData(text).map((p) => p.content)[0]).toBe(script);
  });

  test("#cloud-boothook goes in as a text/cloud-boothook part", () => {
    const synth = synthJson((s) => fleet(s, { userData: "#cloud-boothook\necho early\n" }));
    const text = decodeUserData(String(Object.values(resourcesOf(synth, "aws_launch_template"))[0].user_data));
    expect(splitUserData(text).map((p) => p.contentType)).toEqual(["text/cloud-boothook", "text/cloud-config"]);
  });
});
