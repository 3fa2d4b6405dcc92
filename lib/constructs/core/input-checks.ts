import { Construct, IConstruct } from "constructs";
import { Aspects, TerraformStack, Token } from "../../cdktf";
import { architectureOf } from "../../plan/aws/instance-types";
import { AddressSyntaxError, Ipv6Address, Ipv6Prefix } from "../../plan/address/ip";
import { SymbolicIpv6Address } from "../../plan/address/symbolic";
import { fail, Origin, ShownAs } from "../../plan/errors";
import { BUILD_DATE_LENGTH, HEALTH_CHECKS_PER_ACCOUNT, IMAGE_BUILDER_NAME_LENGTH, INTERFACES_PER_REGION, LARGE_FLEET, ON_DEMAND_QUOTA, SECURITY_GROUP_TEXT, SECURITY_GROUP_TEXT_LENGTH } from "../../plan/props/aws-limits";
import { isInstanceOf, kindOf, str } from "../../plan/props/check";
import { checkTargetAddress, checkUnicastPrefix, regionOfZone } from "../../plan/props/rules";
import { DASHBOARD_PROPS, FLEET_PROPS, JOOL_IMAGE_PROPS, JOOL_NAT64_OPTIONS, NAT64_PROPS, PUBLISH_OPTIONS, TRANSLATORS_PROPS, VPC_PROPS } from "../../plan/props/schemas";
import type { Ipv6ServerFleetProps } from "../fleet/ipv6-server-fleet";
import type { JoolImageProps } from "../images/jool-image";
import type { SiitDcDashboardProps } from "../monitoring/siit-dc-dashboard";
import type { OutboundNat64Props } from "../nat64/outbound-nat64";
import type { Ipv6OnlyVpc, Ipv6OnlyVpcProps } from "../network/ipv6-only-vpc";
import type { PublishOptions, SiitDcTranslators, SiitDcTranslatorsProps } from "../siit/siit-dc-translators";
import { checkOptions, checkProps, checkValue, providerRegion, warn } from "./props";
import { resolveToken } from "./render";
import { aws } from "./aws";

/**
 * Checks of construct input that need more than one prop, other constructs or the stack: each
 * construct calls its check first thing. Types, ranges and enums come from lib/plan/props/schemas.ts.
 * Types are imported as types only, so this module adds no import cycle.
 */

const at = (scope: Construct, property: string): Origin => ({ path: scope.node.path, property });

function parsePrefix(text: unknown): Ipv6Prefix | undefined {
  try {
    return typeof text === "string" ? Ipv6Prefix.parse(text) : undefined;
  } catch (e) {
    if (e instanceof AddressSyntaxError) return undefined; // the plan reports syntax with its own fix
    throw e;
  }
}

/** Construct paths end up in security group descriptions, which EC2 restricts. */
function checkPathForSecurityGroups(scope: Construct): void {
  const path = scope.node.path;
  if (!SECURITY_GROUP_TEXT.test(path) || path.length > SECURITY_GROUP_TEXT_LENGTH - 40) {
    fail(at(scope, "id"), scope.node.id, `makes the construct path ${JSON.stringify(path)}, which names security groups, and EC2 allows only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* there (at most ${SECURITY_GROUP_TEXT_LENGTH} characters)`, "use construct ids of letters, digits and hyphens");
  }
}

export function checkVpcInput(scope: Construct, props: Ipv6OnlyVpcProps): void {
  checkProps(scope, "Ipv6OnlyVpcProps", VPC_PROPS, props);
  checkPathForSecurityGroups(scope);
  const region = providerRegion(scope);
  const zones = props.availabilityZones;
  const other = zones.findIndex((z) => regionOfZone(z) !== region);
  if (region !== undefined && other >= 0) {
    fail(
      at(scope, `availabilityZones[${other}]`),
      zones[other],
      `is in region ${regionOfZone(zones[other])}, but the stack's AWS provider deploys to ${region}; the subnets would be requested in a zone the region does not have`,
      `use zones of ${region} (e.g. "${region}a"), or configure the stack's provider for ${regionOfZone(zones[other])}`,
    );
  }
  const cidr = props.ipv6Cidr;
  if (cidr) {
    const pool = cidr.vpcFields.ipv6IpamPoolId;
    if (pool !== undefined) checkValue(scope, "ipv6Cidr.ipamPoolId", str({ expected: "an IPAM pool id", example: "pool.id", tokens: true, pattern: /^ipam-pool-[0-9a-f]+$/, patternProblem: "is not an IPAM pool id", patternFix: 'give an id such as "ipam-pool-0123456789abcdef0" or the pool\'s id attribute' }), pool);
    if (cidr.literal !== undefined) {
      checkValue(scope, "ipv6Cidr", str({ expected: "an IPv6 /56", example: '"2001:db8:1200::/56"' }), cidr.literal);
      const prefix = parsePrefix(cidr.literal);
      if (prefix) checkUnicastPrefix(prefix, cidr.literal, at(scope, "ipv6Cidr"), "use a global unicast /56 allocated to you (BYOIP through IPAM)");
    }
  }
}

export function checkFleetInput(scope: Construct, props: Ipv6ServerFleetProps): void {
  checkProps(scope, "Ipv6ServerFleetProps", FLEET_PROPS, props);
  checkPathForSecurityGroups(scope);
  const vpc = props.vpc;
  const serverTiers = vpc.plan.serverTierNames();
  if (props.tier !== undefined && !serverTiers.includes(props.tier)) {
    fail(
      at(scope, "tier"),
      props.tier,
      props.tier === "edge"
        ? "is the dual-stack edge tier of translators and NAT64; its route table has no routes back to the translators, so IPv4 clients of published servers would get no answer"
        : "is not a tier of this VPC",
      `use a server tier: ${serverTiers.join(", ")}`,
    );
  }
  if (props.hostIndexes !== undefined && props.firstHostIndex !== undefined) {
    fail(at(scope, "firstHostIndex"), props.firstHostIndex, "is ignored when hostIndexes gives every server's host index", "give either firstHostIndex or hostIndexes");
  }
  if (props.autoScaling !== undefined) {
    for (const p of ["firstHostIndex", "hostIndexes"] as const) {
      if (props[p] !== undefined) fail(at(scope, p), props[p], "applies to fixed-address servers, but this fleet is autoscaled (AWS picks its addresses)", `remove ${p}, or use servers instead of autoScaling`);
    }
  }
  const servers = props.servers ?? props.autoScaling?.maxCapacity ?? 0;
  if (servers > INTERFACES_PER_REGION) {
    warn(scope, `${servers} servers need ${servers} network interfaces; the default EC2 quota "Network interfaces per Region" is ${INTERFACES_PER_REGION} (L-DF5E4CA3). Request more in Service Quotas before you apply, and check ${ON_DEMAND_QUOTA} too.`);
  } else if (servers > LARGE_FLEET) {
    warn(scope, `${servers} servers: EC2 limits running instances by vCPUs per account and region. Check ${ON_DEMAND_QUOTA} in Service Quotas before you apply, or the apply fails part-way.`);
  }
}

/** Translation prefixes per VPC, across translator sets: a second set must not reuse one. */
const translationPrefixes = new WeakMap<object, { path: string; prefix: Ipv6Prefix }[]>();

export function checkTranslatorsInput(scope: Construct, props: SiitDcTranslatorsProps): void {
  checkProps(scope, "SiitDcTranslatorsProps", TRANSLATORS_PROPS, props);
  checkPathForSecurityGroups(scope);
  const text = props.translationPrefix ?? "64:ff9b:1::/48";
  const prefix = parsePrefix(text);
  if (!prefix) return;
  const origin = at(scope, "translationPrefix");
  checkUnicastPrefix(prefix, props.translationPrefix, origin, 'use 64:ff9b:1::/48 (RFC 8215) or a /48 of your own global space');
  const sets = translationPrefixes.get(props.vpc) ?? [];
  const clash = sets.find((s) => s.prefix.overlaps(prefix));
  if (clash) {
    fail(
      origin,
      props.translationPrefix,
      props.translationPrefix === undefined
        ? `defaults to ${text}, which translator set ${clash.path} in the same VPC already uses (translationPrefix ${clash.prefix}); server routes to the two sets' /96s would collide`
        : `overlaps ${clash.prefix}, the translationPrefix of translator set ${clash.path} in the same VPC; server routes to the two sets' /96s would collide`,
      `give each translator set of a VPC its own /48, e.g. translationPrefix: "64:ff9b:${sets.length + 1}::/48"`,
    );
  }
  translationPrefixes.set(props.vpc, [...sets, { path: scope.node.path, prefix }]);
}

/** The translation prefixes of every translator set of `vpc`. */
function translationPrefixesOf(vpc: Ipv6OnlyVpc): { path: string; prefix: Ipv6Prefix }[] {
  return translationPrefixes.get(vpc) ?? [];
}

/** Checks publish()'s arguments before anything is planned. */
export function checkPublishInput(set: SiitDcTranslators, name: string, target: unknown, options: PublishOptions): void {
  checkValue(set, "publish.name", str({ expected: "a service name", example: '"www"' }), name);
  const property = `publish(${name})`;
  checkOptions(set, property, "PublishOptions", PUBLISH_OPTIONS, options);
  const t = at(set, `${property}.target`);
  if (target === undefined || target === null) {
    const fleets = [...new Set(set.vpc.node.root.node.findAll().filter((c) => isInstanceOf(c, "Ipv6ServerFleet") && (c as unknown as { vpc: unknown }).vpc === set.vpc))];
    fail(t, target, "is not a server (an index past the end of a fleet's servers gives undefined)", fleets.length ? `pass a server of the fleet, e.g. fleet.server(0) (${fleets.map((f) => `${f.node.path} has ${(f as unknown as { servers: unknown[] }).servers.length}`).join(", ")})` : "pass fleet.server(i), an IPv6 address string or a plan address");
  }
  let address: SymbolicIpv6Address | undefined;
  if (typeof target === "string") {
    if (!Token.isUnresolved(target)) {
      let literal: Ipv6Address | undefined;
      try {
        literal = Ipv6Address.parse(target);
      } catch (e) {
        if (!(e instanceof AddressSyntaxError)) throw e;
      }
      if (literal) {
        checkTargetAddress(literal, target, t);
        const pool = translationPrefixesOf(set.vpc).find((p) => p.prefix.contains(literal));
        if (pool) fail(t, target, `is inside translationPrefix ${pool.prefix} of ${pool.path}: addresses there stand for IPv4 clients, not servers`, "publish the server's own address, e.g. fleet.server(0)");
        address = SymbolicIpv6Address.literal(literal);
      }
    }
  } else if (isInstanceOf(target, "FleetServer")) {
    address = (target as { address: SymbolicIpv6Address }).address;
  } else if (isInstanceOf(target, "SymbolicIpv6Address")) {
    address = target as SymbolicIpv6Address;
  } else {
    fail(t, target, `is ${kindOf(target)}, not a server`, "pass fleet.server(i), an IPv6 address string or a plan address");
  }
  // One EAM entry per address and translator: name the earlier service by what the user passed.
  const carriers = (options.translators ?? set.plan.zonesWithTranslators().map((z) => set.translator(z, 0))).map((t) => t.plan);
  const earlier = address && set.plan.serviceAt(address);
  const on = earlier?.addresses.find((a) => carriers.includes(a.translator))?.translator.id;
  if (earlier && on) {
    fail(t, target, `is already published on translator ${on} as ${earlier.name}; one IPv6 address may have one EAM entry per translator`, `publish each server address once per translator: add the ports to ${earlier.name}, or carry this service on other translators`);
  }
  if (options.dns) checkDnsName(set, property, options.dns.hostedZoneId, options.dns.name);
  if (set.vpc.egressOnlyInternetGateway !== undefined && options.ipv6Internet !== false) {
    fail(
      at(set, `${property}.ipv6Internet`),
      options.ipv6Internet,
      `the VPC ${set.vpc.node.path} routes servers' ::/0 to an egress-only gateway (serverIpv6Internet: OUTBOUND_ONLY), so IPv6 clients cannot reach the server; an AAAA record and ::/0 rules would advertise a path that does not exist`,
      "set ipv6Internet: false for this service, or build the VPC with ServerIpv6Internet.INBOUND_AND_OUTBOUND",
    );
  }
  checkHealthCheckQuota(set);
}

/**
 * Two services under one record name would mix their addresses in one multivalue answer, and
 * their AAAA records would collide at apply: a copy-pasted `dns` block.
 */
const recordNames = new WeakMap<TerraformStack, Map<string, string>>();

function checkDnsName(set: Construct, property: string, zoneId: string, name: string): void {
  const stack = TerraformStack.of(set);
  const names = recordNames.get(stack) ?? new Map<string, string>();
  recordNames.set(stack, names);
  const key = `${zoneId}|${name.toLowerCase().replace(/\.$/, "")}`;
  const holder = names.get(key);
  if (holder) fail(at(set, `${property}.dns.name`), name, `is already the record name of ${holder}; two services under one name would mix their addresses in one answer`, "give each service its own record name");
  names.set(key, `service ${property.slice("publish(".length, -1)} of ${set.node.path}`);
}

/**
 * The checks of a team's publication that span constructs (SiitDcTeam.publish; the plan checks
 * the rest): one record name per service in its stack, and the health check quota.
 */
export function checkTeamPublishInput(team: Construct, name: string, options: { readonly dns?: { readonly hostedZoneId: string; readonly name: string } }): void {
  if (options.dns) checkDnsName(team, `publish(${name})`, options.dns.hostedZoneId, options.dns.name);
  checkHealthCheckQuota(team);
}

const healthChecked = new WeakSet<TerraformStack>();

/** Warns (once per stack) above Route 53's default quota of health checks per account. */
function checkHealthCheckQuota(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (healthChecked.has(stack)) return;
  healthChecked.add(stack);
  Aspects.of(stack).add({
    visit(node: IConstruct) {
      if (node !== stack) return;
      const count = stack.node.findAll().filter((c) => c instanceof aws.Route53HealthCheck).length;
      if (count > HEALTH_CHECKS_PER_ACCOUNT) {
        warn(stack, `this stack creates ${count} Route 53 health checks (one per service address); the default quota is ${HEALTH_CHECKS_PER_ACCOUNT} per account. Request a higher "Health checks" quota (Route 53, L-ACB674F3) before you apply, or the apply fails part-way.`);
      }
    },
  });
}

/** Zones served by each OutboundNat64 of a VPC: a zone's 64:ff9b::/96 route has one target. */
const nat64Zones = new WeakMap<object, { path: string; zones: string[] }[]>();

export function checkNat64Input(scope: Construct, props: OutboundNat64Props): void {
  checkProps(scope, "OutboundNat64Props", NAT64_PROPS, props);
  checkPathForSecurityGroups(scope);
  const provider = props.provider;
  if (provider?.kind === "jool-instance") checkOptions(scope, "provider", "JoolNat64Options", JOOL_NAT64_OPTIONS, provider.jool);
  if (props.configStore !== undefined && provider?.kind !== "jool-instance") {
    fail(at(scope, "configStore"), props.configStore, "is used only by Jool NAT64 instances, and NAT gateways (the provider here) read no configuration", "remove configStore, or use provider: Nat64Provider.joolInstance()");
  }
  const zones = props.zones ?? props.vpc.availabilityZones;
  const others = nat64Zones.get(props.vpc) ?? [];
  for (const other of others) {
    const shared = zones.find((z) => other.zones.includes(z));
    if (shared) {
      const free = props.vpc.availabilityZones.filter((z) => !others.some((o) => o.zones.includes(z)));
      fail(
        at(scope, "zones"),
        props.zones,
        `${props.zones === undefined ? "defaults to every zone of the VPC, and " : ""}zone ${shared} already gets its NAT64 from ${other.path}; a zone's 64:ff9b::/96 route has a single target`,
        free.length ? `use one OutboundNat64 per VPC, or give this one only zones not yet served (${free.join(", ")})` : `use one OutboundNat64 per VPC: ${other.path} already serves every zone`,
      );
    }
  }
  nat64Zones.set(props.vpc, [...others, { path: scope.node.path, zones: [...zones] }]);
}

export function checkJoolImageInput(scope: Construct, props: JoolImageProps | undefined): void {
  checkProps(scope, "JoolImageProps", JOOL_IMAGE_PROPS, props);
  const p = props ?? {};
  // buildSubnetId and buildSecurityGroupIds come together or not at all: checked by JoolImage.
  const architecture = p.architecture ?? "arm64";
  if (p.buildInstanceType !== undefined && architectureOf(p.buildInstanceType) !== architecture) {
    fail(at(scope, "buildInstanceType"), p.buildInstanceType, `is ${architectureOf(p.buildInstanceType)}, but the image is built for ${architecture} (the Ubuntu parent image of that architecture cannot boot on it)`, `use an ${architecture} build type such as ${architecture === "arm64" ? '"c7g.large"' : '"c7i.large"'}, or set architecture: "${architectureOf(p.buildInstanceType)}"`);
  }
  if (p.buildSubnetId !== undefined && Token.isUnresolved(p.buildSubnetId)) {
    const wanted = resolveToken(scope, p.buildSubnetId);
    const ipv6Only = TerraformStack.of(scope)
      .node.findAll()
      .find((c) => isInstanceOf(c, "TierSubnet") && (c as unknown as { plan: { tier: { kind: string } } }).plan.tier.kind === "server" && resolveToken(scope, (c as unknown as { subnet: { id: string } }).subnet.id) === wanted);
    if (ipv6Only) fail(at(scope, "buildSubnetId"), new ShownAs(`(the id of ${ipv6Only.node.path}/Subnet)`), "is an IPv6-only subnet, but the build downloads Jool's source from GitHub, which has no IPv6", "use a subnet with IPv4 internet access (e.g. an edge subnet), or leave buildSubnetId unset for the default VPC");
  }
  // Image Builder names carry the construct path; the AMI name adds the build date.
  const name = `siit-dc-${scope.node.path.replace(/[^A-Za-z0-9-]/g, "-").toLowerCase()}`;
  const longest = Math.max(name.length + "-infrastructure".length, name.length + 1 + BUILD_DATE_LENGTH);
  if (longest > IMAGE_BUILDER_NAME_LENGTH) {
    fail(at(scope, "id"), scope.node.id, `makes Image Builder names of ${longest} characters from the construct path ${scope.node.path}; Image Builder allows ${IMAGE_BUILDER_NAME_LENGTH}`, "use shorter construct ids (of this construct or its parents)");
  }
}

export function checkDashboardInput(scope: Construct, props: SiitDcDashboardProps | undefined): void {
  checkProps(scope, "SiitDcDashboardProps", DASHBOARD_PROPS, props);
  if (!props?.translators?.length && !props?.nat64?.length) {
    fail(at(scope, "translators"), props?.translators, "a dashboard needs something to show, and neither translators nor nat64 lists anything", "list translator sets in translators, OutboundNat64 constructs in nat64, or both");
  }
}
