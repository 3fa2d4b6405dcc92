import { IConstruct } from "constructs";
import type { EipAssociation } from "@cdktf/provider-aws/lib/eip-association";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformStack, Token } from "../cdktf";
import { hasBrand } from "../constructs/core/brand";
import { resolveToken } from "../constructs/core/render";
import { Ipv6ServerFleet } from "../constructs/fleet/ipv6-server-fleet";
import { IIpv6OnlyVpc, Ipv6OnlyVpc, TierSubnet } from "../constructs/network/ipv6-only-vpc";
import { OutboundNat64 } from "../constructs/nat64/outbound-nat64";
import { PlatformManifest } from "../constructs/siit/platform-manifest";
import { SiitDcTeam } from "../constructs/siit/siit-dc-team";
import { SiitDcTranslators } from "../constructs/siit/siit-dc-translators";
import { joolFileText } from "../plan/jool/config";
import { IngressRuleSpec } from "../plan/security-groups";
import { CannotEmulate, LabBindingInput, LabFleetInput, LabInput, LabNat64Input, LabRouteTableInput, LabRouteTarget, LabRuleSource, LabTeamInput, LabTranslatorSetInput } from "./model/input";

/** Options of {@link labInputFromStacks}. */
export interface LabExtractOptions {
  /**
   * Literal ids another app uses for resources of these stacks (a team's app reads them from the
   * platform's manifest), each mapped to the token of the resource it stands for: the VPC, the
   * translators' prefix list, a team's security group.
   * @default - none: every id is a token of these stacks
   */
  readonly aliases?: ReadonlyMap<string, string>;
  /**
   * The platform's manifest as teams in other apps read it (`terraform output -json
   * siit_dc_platform`, what `TeamPlatform.fromManifest` got), when one of the stacks is such a
   * team's. Paired with the PlatformManifest of these stacks: each literal id it holds becomes an
   * alias of the platform's resource, and the VPC's IPv6 prefix is bound to the manifest's
   * `vpc.ipv6Cidr`, so the platform's plan and the team's literal addresses agree.
   * @default - no manifest
   */
  readonly manifest?: unknown;
}

/**
 * Reads what the packet lab needs from a stack's constructs, through their public properties
 * only: the VPC's address plan and route tables, each translator set's plan, the fleets' servers
 * and inbound rules, and the NAT64's plan and Jool files. Route targets and prefix lists are
 * matched to the constructs they name by resolving their tokens.
 */
export function labInputFromStack(stack: IConstruct): LabInput {
  return labInputFromStacks([stack]);
}

/**
 * Reads the stacks of one topology together, e.g. a platform's stack and its teams' stacks
 * (`labInputFromStacks([platform, teamPayments])`): what labInputFromStack reads, plus each
 * team's side of its translator set (SiitDcTeam: its services, their addresses, the rules of its
 * group on the translators) and its fleets. The lab runs each translator on the merge of the
 * platform's plan and every team's, as the config agent merges the team fragments.
 */
export function labInputFromStacks(stacks: readonly IConstruct[], options: LabExtractOptions = {}): LabInput {
  if (stacks.length === 0) throw new Error("no stack given: the packet lab has nothing to emulate");
  const name = stacks.map((s) => s.node.path || s.node.id).join(" + ");
  const all = stacks.flatMap((s) => s.node.findAll());
  const vpcs = all.filter((c): c is Ipv6OnlyVpc => hasBrand<Ipv6OnlyVpc>(c, "Ipv6OnlyVpc"));
  if (vpcs.length === 0) throw new Error(`stack ${stacks.map((s) => s.node.path).join(", ")} has no Ipv6OnlyVpc: the packet lab has nothing to emulate`);
  const vpc = vpcs[0];
  const cannotEmulate: CannotEmulate[] = vpcs.slice(1).map((v) => ({ subject: v.node.path, reason: "a second Ipv6OnlyVpc: the lab emulates one VPC per stack" }));
  const outOfScope: string[] = [];

  const key = (scope: IConstruct, token: string) => JSON.stringify(resolveToken(scope, token));
  const aliases = new Map(options.aliases ?? []);
  const bindings: LabBindingInput[] = [];
  if (options.manifest !== undefined) {
    const applied = options.manifest as { platform?: unknown; vpc?: { ipv6Cidr?: unknown } } | null;
    const own = all.filter((c): c is PlatformManifest => hasBrand<PlatformManifest>(c, "PlatformManifest")).find((m) => TerraformStack.of(m).node.id === applied?.platform);
    if (!own) {
      cannotEmulate.push({ subject: "the platform manifest given", reason: `no PlatformManifest of these stacks is platform ${JSON.stringify(applied?.platform)}'s` });
    } else {
      pairIds(own.output.value, applied, aliases);
      const ref = vpc.plan.ipv6Cidr.references()[0];
      const ipv6 = applied?.vpc?.ipv6Cidr;
      if (ref && typeof ipv6 === "string") bindings.push({ reference: ref.name, prefix: ipv6, source: `vpc.ipv6Cidr of platform ${own.node.path}'s manifest` });
    }
  }
  /** Whether two ids (tokens of these stacks, or aliased literals) name the same resource, judged in `scope`'s stack. */
  const sameId = (scope: IConstruct, a: string, b: string) => key(scope, aliases.get(a) ?? a) === key(scope, aliases.get(b) ?? b);
  // The VPC itself, or a team's view of it (rebuilt from the platform's manifest).
  const ofVpc = (v: IIpv6OnlyVpc) => v === vpc || sameId(vpc, v.vpcId, vpc.vpcId);
  const sets = all.filter((c): c is SiitDcTranslators => hasBrand<SiitDcTranslators>(c, "SiitDcTranslators") && c.vpc === vpc);
  const fleets = all.filter((c): c is Ipv6ServerFleet => hasBrand<Ipv6ServerFleet>(c, "Ipv6ServerFleet") && ofVpc(c.vpc));
  const nat64s = all.filter((c): c is OutboundNat64 => hasBrand<OutboundNat64>(c, "OutboundNat64") && c.vpc === vpc);
  if (nat64s.length > 1) cannotEmulate.push(...nat64s.slice(1).map((n) => ({ subject: n.node.path, reason: "a second OutboundNat64: the lab emulates one" })));

  // Route targets, by resolved token.
  const targets = new Map<string, LabRouteTarget>();
  for (const set of sets) {
    for (const t of set.translators) targets.set(key(t, t.networkInterface.id), { kind: "translator", set: set.node.path, id: t.plan.id });
  }
  const nat64 = nat64s[0];
  for (const d of nat64?.devices ?? []) {
    if (d.natGateway) targets.set(key(d.natGateway, d.natGateway.id), { kind: "nat64", zone: d.plan.zone.name });
    if (d.node) targets.set(key(d.node, d.node.networkInterface.id), { kind: "nat64", zone: d.plan.zone.name });
  }
  targets.set(key(vpc, vpc.internetGateway.id), { kind: "internet-gateway" });
  if (vpc.egressOnlyInternetGateway) targets.set(key(vpc, vpc.egressOnlyInternetGateway.id), { kind: "egress-only-internet-gateway" });

  const routeTables: LabRouteTableInput[] = [...vpc.edgeSubnets(), ...vpc.serverSubnets()].map((s: TierSubnet) => ({
    subnet: `${s.plan.tier.name}-${s.plan.zone.name}`,
    tier: s.plan.tier.name,
    zone: s.plan.zone.name,
    kind: s.plan.tier.kind,
    routes: s.routes.map((r) => {
      const ipv6 = r.destinationIpv6CidrBlockInput;
      const destination = ipv6 ?? r.destinationCidrBlockInput ?? r.destinationPrefixListIdInput ?? "(none)";
      const token = r.networkInterfaceIdInput ?? r.natGatewayIdInput ?? r.gatewayIdInput ?? r.egressOnlyGatewayIdInput;
      const target: LabRouteTarget = (token && targets.get(key(r, token))) || { kind: "unknown", text: describe(r, token ?? "(no target the lab knows)") };
      return { path: r.node.path, family: ipv6 !== undefined ? ("ipv6" as const) : ("ipv4" as const), destination: Token.isUnresolved(destination) ? describe(r, destination) : destination, target };
    }),
  }));

  const teams = all.filter((c): c is SiitDcTeam => hasBrand<SiitDcTeam>(c, "SiitDcTeam"));
  const teamsOf = new Map<SiitDcTranslators, LabTeamInput[]>();
  for (const team of teams) {
    const owners = sets.filter((s) => ofVpc(team.vpc) && s.plan.teams.some((t) => t.name === team.teamName));
    if (owners.length !== 1) {
      cannotEmulate.push({ subject: team.node.path, reason: owners.length ? `team ${team.teamName} is a team of ${owners.length} translator sets: the lab cannot tell which` : `team ${team.teamName} is a team of no translator set of these stacks` });
      continue;
    }
    const set = owners[0];
    const group = set.node.tryFindChild(`Team-${team.teamName}`)?.node.tryFindChild("SecurityGroup") as { node: IConstruct["node"]; id: string } | undefined;
    if (!group) {
      cannotEmulate.push({ subject: team.node.path, reason: `${set.node.path} has no security group of team ${team.teamName}` });
      continue;
    }
    // The rules the team's stack adds to its group on the translators (they live under the team).
    const rules = team.node
      .findAll()
      .filter((c): c is VpcSecurityGroupIngressRule => (c as { terraformResourceType?: string }).terraformResourceType === "aws_vpc_security_group_ingress_rule")
      .filter((r) => r.securityGroupIdInput !== undefined && sameId(set, r.securityGroupIdInput, group.id))
      .map((r) => ingressSpec(r));
    // Each team address needs its EIP association on the translator's interface, in the team's stack.
    const associations = team.node.findAll().filter((c): c is EipAssociation => (c as { terraformResourceType?: string }).terraformResourceType === "aws_eip_association");
    for (const t of team.plan.translators) {
      const nic = set.translators.find((x) => x.plan.id === t.id)?.networkInterface.id;
      for (const { service, address } of team.plan.addressesOn(t)) {
        const ip = address.privateIpv4.toString();
        const found = associations.some((a) => a.privateIpAddressInput === ip && nic !== undefined && a.networkInterfaceIdInput !== undefined && sameId(set, a.networkInterfaceIdInput, nic));
        if (!found) cannotEmulate.push({ subject: `${team.node.path}: service ${service.name} on translator ${t.id}`, reason: `the team's stack has no EIP association of ${ip} with the translator's interface, so the address has no public IPv4 address` });
      }
    }
    const list = teamsOf.get(set) ?? [];
    list.push({ name: team.teamName, path: team.node.path, plan: team.plan, securityGroup: group.node.path, rules });
    teamsOf.set(set, list);
  }

  const translatorSets: LabTranslatorSetInput[] = sets.map((s) => ({ path: s.node.path, plan: s.plan, securityGroup: s.securityGroup.node.path, ...(teamsOf.has(s) ? { teams: teamsOf.get(s) } : {}) }));

  const fleetInputs: LabFleetInput[] = [];
  for (const f of fleets) {
    if (!f.hasFixedAddresses) {
      outOfScope.push(`${f.node.path} (autoscaled: no fixed addresses, nothing can be published on it)`);
      continue;
    }
    fleetInputs.push({
      path: f.node.path,
      securityGroup: f.securityGroup.node.path,
      servers: f.servers.map((s) => ({
        index: s.index,
        zone: s.zone.name,
        address: s.address,
        rules: f.serverInboundRules(s).map((r) => ({ port: r.port, description: r.description, source: ruleSource(r, sets, vpc, sameId) })),
      })),
      rules: f.inboundRules.map((r) => ({ port: r.port, description: r.description, source: ruleSource(r, sets, vpc, sameId) })),
    });
  }

  let nat64Input: LabNat64Input | undefined;
  if (nat64) {
    const jool = nat64.devices.some((d) => d.node);
    nat64Input = {
      path: nat64.node.path,
      plan: nat64.plan,
      provider: jool ? "jool-instance" : "nat-gateway",
      securityGroup: nat64.securityGroup?.node.path,
      devices: nat64.devices.map((d) => ({
        zone: d.plan.zone.name,
        ipv4: d.addresses?.ipv4.toString(),
        joolFile: d.config ? joolFileText(d.config) : undefined,
      })),
    };
  }

  return {
    stack: name,
    vpc: { path: vpc.node.path, plan: vpc.plan, routeTables },
    translatorSets,
    fleets: fleetInputs,
    nat64: nat64Input,
    outOfScope,
    cannotEmulate,
    ...(bindings.length ? { bindings } : {}),
  };
}

/** Each literal of `applied` where `planned` (the same structure) holds a token: literal -> token. */
function pairIds(planned: unknown, applied: unknown, out: Map<string, string>): void {
  if (typeof planned === "string") {
    if (Token.isUnresolved(planned) && typeof applied === "string" && !Token.isUnresolved(applied)) out.set(applied, planned);
  } else if (Array.isArray(planned)) {
    if (Array.isArray(applied)) planned.forEach((p, i) => pairIds(p, applied[i], out));
  } else if (planned !== null && typeof planned === "object" && applied !== null && typeof applied === "object") {
    for (const [k, v] of Object.entries(planned)) pairIds(v, (applied as Record<string, unknown>)[k], out);
  }
}

function ruleSource(
  rule: Ipv6ServerFleet["inboundRules"][number] | ReturnType<Ipv6ServerFleet["serverInboundRules"]>[number],
  sets: readonly SiitDcTranslators[],
  vpc: Ipv6OnlyVpc,
  sameId: (scope: IConstruct, a: string, b: string) => boolean,
): LabRuleSource {
  if (rule.prefixList && !("entryInput" in rule.prefixList)) {
    // A reference to a set's prefix list (a team's stack, or a team's app through the manifest).
    const id = rule.prefixList.id;
    const set = sets.find((s) => sameId(s, id, s.prefixList.id));
    if (set) return { kind: "prefix-list", name: set.prefixList.node.path, set: set.node.path, entries: set.plan.translators.map((t) => t.prefix.toString()) };
    return { kind: "unknown", text: `prefix list ${id} of another app` };
  }
  if (rule.prefixList) {
    const set = sets.find((s) => s.prefixList === rule.prefixList);
    const entries = rule.prefixList.entryInput;
    const cidrs = Array.isArray(entries) ? entries.map((e) => e.cidr) : [];
    if (set) return { kind: "prefix-list", name: rule.prefixList.node.path, set: set.node.path, entries: cidrs };
    if (cidrs.length && cidrs.every((c) => !Token.isUnresolved(c))) return { kind: "prefix-list", name: rule.prefixList.node.path, entries: cidrs };
    return { kind: "unknown", text: `prefix list ${rule.prefixList.node.path}` };
  }
  const cidr = rule.ipv6Cidr ?? "";
  if (!Token.isUnresolved(cidr)) return { kind: "cidr", cidr };
  // A subnet's block, passed as its token: the plan knows the prefix when it is literal.
  const subnet = [...vpc.serverSubnets(), ...vpc.edgeSubnets()].find((s) => s.ipv6CidrBlock === cidr);
  if (subnet?.plan.ipv6.literal) return { kind: "cidr", cidr: subnet.plan.ipv6.literal.toString() };
  // A token that resolves to a literal at synth (a Lazy value) is as good as the literal.
  const resolved = describe(vpc, cidr);
  if (/^[0-9a-f:]+\/\d+$/i.test(resolved)) return { kind: "cidr", cidr: resolved };
  return { kind: "unknown", text: resolved };
}

/** An ingress rule resource as the spec it was made from (lib/plan/security-groups.ts). */
function ingressSpec(r: VpcSecurityGroupIngressRule): IngressRuleSpec {
  const literal = (v: string | undefined) => (v === undefined ? undefined : describe(r, v));
  const ipv4 = literal(r.cidrIpv4Input);
  const ipv6 = literal(r.cidrIpv6Input);
  const prefixList = literal(r.prefixListIdInput);
  return {
    id: r.node.id,
    description: literal(r.descriptionInput) ?? r.node.path,
    family: ipv6 !== undefined ? "ipv6" : "ipv4",
    protocol: (literal(r.ipProtocolInput) ?? "-1") as IngressRuleSpec["protocol"],
    fromPort: r.fromPortInput,
    toPort: r.toPortInput,
    source: prefixList !== undefined ? { prefixListId: prefixList } : { cidr: ipv4 ?? ipv6 ?? "(no source)" },
  };
}

function describe(scope: IConstruct, token: string): string {
  const resolved = resolveToken(scope, token);
  return typeof resolved === "string" ? resolved : JSON.stringify(resolved);
}
