import { IConstruct } from "constructs";
import { Token } from "../cdktf";
import { hasBrand } from "../constructs/core/brand";
import { resolveToken } from "../constructs/core/render";
import { Ipv6ServerFleet } from "../constructs/fleet/ipv6-server-fleet";
import { Ipv6OnlyVpc, TierSubnet } from "../constructs/network/ipv6-only-vpc";
import { OutboundNat64 } from "../constructs/nat64/outbound-nat64";
import { SiitDcTranslators } from "../constructs/siit/siit-dc-translators";
import { joolFileText } from "../plan/jool/config";
import { CannotEmulate, LabFleetInput, LabInput, LabNat64Input, LabRouteTableInput, LabRouteTarget, LabRuleSource, LabTranslatorSetInput } from "./model/input";

/**
 * Reads what the packet lab needs from a stack's constructs, through their public properties
 * only: the VPC's address plan and route tables, each translator set's plan, the fleets' servers
 * and inbound rules, and the NAT64's plan and Jool files. Route targets and prefix lists are
 * matched to the constructs they name by resolving their tokens.
 */
export function labInputFromStack(stack: IConstruct): LabInput {
  const all = stack.node.findAll();
  const vpcs = all.filter((c): c is Ipv6OnlyVpc => hasBrand<Ipv6OnlyVpc>(c, "Ipv6OnlyVpc"));
  if (vpcs.length === 0) throw new Error(`stack ${stack.node.path} has no Ipv6OnlyVpc: the packet lab has nothing to emulate`);
  const vpc = vpcs[0];
  const cannotEmulate: CannotEmulate[] = vpcs.slice(1).map((v) => ({ subject: v.node.path, reason: "a second Ipv6OnlyVpc: the lab emulates one VPC per stack" }));
  const outOfScope: string[] = [];

  const sets = all.filter((c): c is SiitDcTranslators => hasBrand<SiitDcTranslators>(c, "SiitDcTranslators") && c.vpc === vpc);
  const fleets = all.filter((c): c is Ipv6ServerFleet => hasBrand<Ipv6ServerFleet>(c, "Ipv6ServerFleet") && c.vpc === vpc);
  const nat64s = all.filter((c): c is OutboundNat64 => hasBrand<OutboundNat64>(c, "OutboundNat64") && c.vpc === vpc);
  if (nat64s.length > 1) cannotEmulate.push(...nat64s.slice(1).map((n) => ({ subject: n.node.path, reason: "a second OutboundNat64: the lab emulates one" })));

  // Route targets, by resolved token.
  const targets = new Map<string, LabRouteTarget>();
  const key = (scope: IConstruct, token: string) => JSON.stringify(resolveToken(scope, token));
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

  const translatorSets: LabTranslatorSetInput[] = sets.map((s) => ({ path: s.node.path, plan: s.plan, securityGroup: s.securityGroup.node.path }));

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
        rules: f.serverInboundRules(s).map((r) => ({ port: r.port, description: r.description, source: ruleSource(r, sets, vpc) })),
      })),
      rules: f.inboundRules.map((r) => ({ port: r.port, description: r.description, source: ruleSource(r, sets, vpc) })),
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
    stack: stack.node.path || stack.node.id,
    vpc: { path: vpc.node.path, plan: vpc.plan, routeTables },
    translatorSets,
    fleets: fleetInputs,
    nat64: nat64Input,
    outOfScope,
    cannotEmulate,
  };
}

function ruleSource(rule: Ipv6ServerFleet["inboundRules"][number] | ReturnType<Ipv6ServerFleet["serverInboundRules"]>[number], sets: readonly SiitDcTranslators[], vpc: Ipv6OnlyVpc): LabRuleSource {
  if (rule.prefixList && !("entryInput" in rule.prefixList)) return { kind: "unknown", text: `prefix list ${rule.prefixList.id} of another app` };
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

function describe(scope: IConstruct, token: string): string {
  const resolved = resolveToken(scope, token);
  return typeof resolved === "string" ? resolved : JSON.stringify(resolved);
}
