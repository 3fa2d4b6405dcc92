import { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix } from "../../plan/address/ip";
import { PrefixReference, SymbolicIpv6Address } from "../../plan/address/symbolic";
import { joolFileText, NAT64_INSTANCE } from "../../plan/jool/config";
import { denylist4 } from "../../plan/siit/translation-plan";
import { renderTranslatorFilter } from "../../plan/siit/translator-filter";
import { teamFragmentObjectText, translatorObjectText } from "../../plan/siit/translator-object";
import { Port } from "../../plan/ports";
import { EffectiveSetPlan } from "./effective";
import { CannotEmulate, LabFault, LabFleetRuleInput, LabInput, LabRouteTarget } from "./input";
import { FLEET_BASELINE_INGRESS, FLEET_EGRESS, fromServerSubnets, TRANSLATOR_IPV4_EGRESS_BASELINE, translatorIngress } from "../../plan/security-groups";
import { labRule, LabSecurityGroup, LabSgRule, portRule } from "./nftables";
import { eipKey, labBindings, LabSubstitution, SubstitutionError, taygaRefusesIpv6 } from "./substitution";
import { convertNat64Jool, convertSiitJool, Nat64Pool4, TAYGA_IPV4_CANDIDATES, TaygaConfig } from "./tayga";

/**
 * The lab topology: the plan of one stack with every address substituted and every device the
 * lab runs spelled out (translators with their tayga configs, servers with their security groups,
 * NAT64 devices, server route tables, the internet gateway's NAT). Built only from LabInput; the
 * runner turns it into namespaces, and `labChecks` into checks.
 */

/**
 * What translates in the lab: tayga (userspace, over TUN; runs on any Linux host as root) standing
 * in for Jool, or the real Jool kernel modules (in the VM tier's guest: `jool_siit file handle` /
 * `jool file handle` on each node's rendered file, one netfilter instance per namespace).
 */
export type LabEngine = "tayga" | "jool";

export interface LabOptions {
  /** Breaks to inject into the lab's copy of the plan (tests only). */
  readonly faults?: readonly LabFault[];
  /** @default "tayga" */
  readonly engine?: LabEngine;
  /**
   * What a translator's config agent makes of its objects: given the platform's object and the
   * teams' fragments as the stacks write them (addresses under the lab's bindings), the Jool
   * file and the filter it applies. The lab then runs those, not the files it merges from the
   * plans itself. Only for sets with teams, on real Jool (the lab's prefixes are the deployed
   * ones there). @default the lab's own merge of the plans
   */
  readonly configAgent?: ConfigAgent;
}

/** The config agent's merge, as LabOptions.configAgent runs it. */
export type ConfigAgent = (objects: TranslatorObjects) => { joolFile: string; filter: string };

/** A translator's objects in the config store, as its set's stack and the teams' stacks write them. */
export interface TranslatorObjects {
  /** The translator's key (messages). */
  readonly translator: string;
  /** Its primary private IPv4 (the agent reads it from instance metadata). */
  readonly primaryIpv4: string;
  /** The platform's object (siit-dc-node-config/2). */
  readonly object: string;
  /** Each team's fragment, by team name. */
  readonly fragments: Readonly<Record<string, string>>;
}

export interface LabTranslator {
  /** Name in messages and tables: the translator id (`a0`), prefixed by its set when a stack has several. */
  readonly key: string;
  readonly set: string;
  readonly id: string;
  readonly zone: string;
  /** pool6 as deployed, and as the lab runs it. */
  readonly deployedPrefix: Ipv6Prefix;
  readonly prefix: Ipv6Prefix;
  readonly primaryIpv4: Ipv4Address;
  readonly ipv6: Ipv6Address;
  /** The secondary private IPv4s of its interface (routed to it, never configured, like AWS). */
  readonly secondaryIpv4: readonly Ipv4Address[];
  /** Its Jool file, as delivered (unknown prefixes bound to documentation prefixes), faults applied. */
  readonly joolFile: string;
  /** The per-address filter the translator loads with its Jool file, under the lab prefix. */
  readonly filter: string;
  /** The same file as planned, before faults: what the checks expect. */
  readonly plannedJoolFile: string;
  readonly tayga: TaygaConfig;
  /** Whether Jool translates at all (`manually-enabled`). */
  readonly enabled: boolean;
  readonly denylist4: readonly Ipv4Prefix[];
  readonly securityGroup: LabSecurityGroup;
}

export interface LabServiceAddress {
  readonly translator: string;
  readonly privateIpv4: Ipv4Address;
  readonly eip: Ipv4Address;
}

export interface LabService {
  /** Name in messages: the service name, prefixed by its set when a stack has several. */
  readonly key: string;
  readonly name: string;
  readonly set: string;
  readonly server: string;
  readonly target: Ipv6Address;
  readonly ports: readonly Port[];
  readonly addresses: readonly LabServiceAddress[];
  /** Whether its server may start IPv4 traffic through its translators (DESIGN.md invariant 17). */
  readonly outboundIpv4: boolean;
}

export interface LabServer {
  /** e.g. `Web[0]`. */
  readonly key: string;
  readonly fleet?: string;
  readonly zone: string;
  /** `<tier>-<zone>` of its subnet. */
  readonly subnet: string;
  readonly address: Ipv6Address;
  readonly services: readonly string[];
  /** Its security group as the lab runs it (faults included). */
  readonly securityGroup: LabSecurityGroup;
  /** Its security group as planned: what the checks expect. */
  readonly plannedSecurityGroup: LabSecurityGroup;
  /** What its small server listens on: every port any service declares, and the lab's undeclared port. */
  readonly listen: readonly { readonly protocol: "tcp" | "udp"; readonly port: number }[];
}

export interface LabNat64Device {
  readonly zone: string;
  readonly provider: "nat-gateway" | "jool-instance";
  readonly ipv4: Ipv4Address;
  readonly ipv6: Ipv6Address;
  readonly eip: Ipv4Address;
  readonly serves: readonly string[];
  readonly prefix: Ipv6Prefix;
  /** tayga's dynamic pool, masqueraded to the node's address. */
  readonly pool: Ipv4Prefix;
  readonly pool4: readonly Nat64Pool4[];
  readonly tayga: TaygaConfig;
  /**
   * The Jool NAT64 file real Jool applies: the node's rendered file, or for a NAT gateway (AWS's
   * stateful NAT64, not Jool) a stand-in with `pool6` 64:ff9b::/96 and an empty pool4, which
   * masks with the device's own address as the gateway does.
   */
  readonly joolFile: string;
  readonly securityGroup?: LabSecurityGroup;
}

export interface LabRoute {
  readonly path: string;
  readonly destination: Ipv6Prefix;
  /** `translator` targets name the translator key. */
  readonly target: LabRouteTarget;
}

export interface LabRouteTable {
  readonly subnet: string;
  readonly zone: string;
  readonly routes: readonly LabRoute[];
}

export interface LabTopology {
  readonly stack: string;
  readonly substitution: LabSubstitution;
  readonly vpc: {
    readonly path: string;
    readonly ipv4: Ipv4Prefix;
    readonly ipv6: Ipv6Prefix;
    readonly serverSubnets: readonly { readonly name: string; readonly zone: string; readonly ipv6: Ipv6Prefix }[];
    readonly edgeSubnets: readonly { readonly zone: string; readonly ipv4: Ipv4Prefix; readonly ipv6: Ipv6Prefix }[];
  };
  readonly translators: readonly LabTranslator[];
  readonly services: readonly LabService[];
  readonly servers: readonly LabServer[];
  readonly nat64: readonly LabNat64Device[];
  readonly routeTables: readonly LabRouteTable[];
  /** A TCP port no service declares and no rule admits: the lab's small servers listen on it anyway. */
  readonly undeclaredPort: number;
  readonly notes: readonly string[];
  readonly faults: readonly LabFault[];
  readonly engine: LabEngine;
}

/** The topology has features the lab cannot emulate: each is named. */
export class CannotEmulateError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly CannotEmulate[],
  ) {
    super(`the packet lab cannot emulate stack ${stack}:\n${problems.map((p) => `  cannot emulate: ${p.subject}: ${p.reason}`).join("\n")}`);
    this.name = "CannotEmulateError";
  }
}

const NAT64_POOLS = ["192.168.255.0/24", "172.31.255.0/24", "10.255.255.0/24"].map((p) => Ipv4Prefix.parse(p));
const UNDECLARED_PORTS = Array.from({ length: 20 }, (_, i) => 8080 + i);

export function buildLabTopology(input: LabInput, options: LabOptions = {}): LabTopology {
  const problems: CannotEmulate[] = [...input.cannotEmulate];
  const notes: string[] = input.outOfScope.map((o) => `not emulated: ${o}`);
  const faults = options.faults ?? [];
  const engine = options.engine ?? "tayga";
  const jool = engine === "jool";
  const vpcPlan = input.vpc.plan;
  const sets = input.translatorSets;
  const multipleSets = sets.length > 1;
  const setId = (path: string) => path.split("/").pop() ?? path;
  const translatorKey = (set: string, id: string) => (multipleSets ? `${setId(set)}/${id}` : id);
  const serviceKey = (set: string, name: string) => (multipleSets ? `${setId(set)}/${name}` : name);
  // Each set's effective configuration: the platform's plan merged with its teams' (if any).
  const effective = new Map(sets.map((s) => [s, new EffectiveSetPlan(s, vpcPlan.ipv4Cidr)]));
  const planOf = (s: LabInput["translatorSets"][number]) => effective.get(s)!;
  problems.push(...[...effective.values()].flatMap((e) => e.problems));

  // Substitution. Bindings first: NAT gateway addresses (picked by AWS) are chosen in resolved space.
  const refs: PrefixReference[] = [
    ...vpcPlan.ipv6Cidr.references(),
    ...sets.flatMap((s) => planOf(s).services.flatMap((x) => x.target.references())),
    ...input.fleets.flatMap((f) => f.servers.flatMap((x) => x.address.references())),
  ];
  const given = (input.bindings ?? []).map((b) => ({ name: b.reference, prefix: Ipv6Prefix.parse(b.prefix), source: b.source }));
  const bindings = labBindings(refs, given);
  const edge = (zone: string) => vpcPlan.subnets.find((s) => s.tier.kind === "edge" && s.zone.name === zone)!;
  const usedIpv4 = sets.flatMap((s) => [...s.plan.translators.map((t) => t.primaryIpv4), ...planOf(s).allAddresses().map((a) => a.address.privateIpv4)]);
  const nat64Addresses = new Map<string, { ipv4: Ipv4Address; ipv6: Ipv6Address }>();
  for (const d of input.nat64?.devices ?? []) {
    const subnet = edge(d.zone);
    const block = subnet.ipv4!;
    let ipv4: Ipv4Address | undefined;
    if (d.ipv4 !== undefined) ipv4 = Ipv4Address.parse(d.ipv4);
    else {
      for (let i = 4; i < Number(block.size) - 1 && !ipv4; i++) {
        const candidate = block.host(i);
        if (![...usedIpv4, ...[...nat64Addresses.values()].map((a) => a.ipv4)].some((u) => u.equals(candidate))) ipv4 = candidate;
      }
    }
    const index = Number(ipv4!.value - block.network.value);
    nat64Addresses.set(d.zone, { ipv4: ipv4!, ipv6: subnet.ipv6.resolve(bindings).host(index) });
  }
  let substitution: LabSubstitution;
  try {
    substitution = new LabSubstitution({
      references: refs,
      translationHomes: sets.map((s) => ({ set: s.path, home: s.plan.home, translators: s.plan.translators.map((t) => ({ id: translatorKey(s.path, t.id), prefix: t.prefix })) })),
      eips: sets.flatMap((s) =>
        planOf(s).allAddresses().map(({ service, address }) => ({
          key: eipKey(s.path, service.name, address.translator.id),
          label: `EIP of ${serviceKey(s.path, service.name)} in ${address.translator.zone.name} (translator ${translatorKey(s.path, address.translator.id)})`,
        })),
      ),
      nat64Eips: (input.nat64?.devices ?? []).map((d) => ({ key: d.zone, label: `EIP of the NAT64 in ${d.zone} (${input.nat64!.provider})` })),
      nat64Devices:
        input.nat64?.provider === "nat-gateway"
          ? input.nat64.devices.map((d) => ({ label: `NAT gateway in ${d.zone}`, ...nat64Addresses.get(d.zone)! }))
          : [],
      keptIpv6: [...(vpcPlan.ipv6Cidr.literal ? [vpcPlan.ipv6Cidr.literal] : []), ...given.map((g) => g.prefix)],
      given,
      keptIpv4: [vpcPlan.ipv4Cidr],
      keepTranslationHomes: jool,
    });
  } catch (e) {
    if (e instanceof SubstitutionError) throw new CannotEmulateError(input.stack, [...problems, { subject: "address substitution", reason: e.message }]);
    throw e;
  }

  const vpc6 = vpcPlan.ipv6Cidr.resolve(substitution.bindings);
  const serverSubnets = vpcPlan.subnets
    .filter((s) => s.tier.kind === "server")
    .map((s) => ({ name: `${s.tier.name}-${s.zone.name}`, zone: s.zone.name, ipv6: s.ipv6.resolve(substitution.bindings) }));
  const edgeSubnets = vpcPlan.subnets.filter((s) => s.tier.kind === "edge").map((s) => ({ zone: s.zone.name, ipv4: s.ipv4!, ipv6: s.ipv6.resolve(substitution.bindings) }));
  const labServerSubnets = serverSubnets.map((s) => ({ id: s.name, ipv6: s.ipv6.toString() }));

  // Translators.
  const translators: LabTranslator[] = [];
  for (const set of sets) {
    // The rules the construct creates, from the same specs, with lab prefixes.
    const plan = planOf(set);
    const rules: LabSgRule[] = translatorIngress(set.plan.distinctPorts(), labServerSubnets).map((spec) => labRule(spec));
    // Each team's group sits on every translator interface beside the platform's: EC2 admits
    // what any of an interface's groups admits, so the lab's ingress is their union.
    for (const team of set.teams ?? []) {
      for (const spec of team.rules) {
        if ("prefixListId" in spec.source) {
          problems.push({ subject: `${team.securityGroup} rule "${spec.description}"`, reason: `its source is prefix list ${spec.source.prefixListId}; the lab knows literal CIDRs on a team's translator group only` });
          continue;
        }
        const cidr = spec.source.cidr;
        if (spec.family === "ipv6" && !/^[0-9a-f:]+\/\d+$/i.test(cidr)) {
          problems.push({ subject: `${team.securityGroup} rule "${spec.description}"`, reason: `its source ${cidr} is not a literal prefix` });
          continue;
        }
        rules.push(labRule(spec, [spec.family === "ipv6" ? substitution.prefix(Ipv6Prefix.parse(cidr)).toString() : cidr]));
      }
    }
    const groupName = [set.securityGroup, ...(set.teams ?? []).map((team) => team.securityGroup)].join(" + ");
    for (const t of set.plan.translators) {
      const key = translatorKey(set.path, t.id);
      const render = (a: SymbolicIpv6Address) => a.resolve(substitution.bindings).toString();
      const plannedJoolFile = joolFileText(plan.joolConfig(t, render));
      let delivered = { joolFile: plannedJoolFile, filter: renderTranslatorFilter(plan, t, substitution.prefix(t.prefix)) };
      if (options.configAgent && set.teams?.length) {
        if (!jool || !substitution.prefix(t.prefix).equals(t.prefix)) throw new Error(`internal: the config agent runs in the lab only on real Jool, on the deployed prefixes (translator ${key})`);
        const fragments = Object.fromEntries(set.teams.map((team) => [team.name, teamFragmentObjectText(team.plan, team.plan.translators.find((x) => x.id === t.id)!, render)]));
        delivered = options.configAgent({ translator: key, primaryIpv4: t.primaryIpv4.toString(), object: translatorObjectText(set.plan, t, render), fragments });
      }
      let joolFile = delivered.joolFile;
      // Faults change the file as the renderer would have written it (a dropped EAM entry's
      // address goes back into denylist4), before tayga's config is converted from it.
      for (const f of faults) {
        if (!("translator" in f) || f.translator !== key) continue;
        if (f.kind === "jool-global") joolFile = withGlobal(joolFile, f.name, f.value);
        if (f.kind === "deny-vpc") joolFile = withDenylist4(joolFile, [vpcPlan.ipv4Cidr.toString()]);
        if (f.kind !== "drop-eam") continue;
        const address = plan.addressesOn(t).find((a) => a.service.name === f.service)?.address;
        if (!address) throw new RangeError(`fault ${JSON.stringify(f)}: translator ${key} has no EAM entry of service ${f.service}`);
        joolFile = withoutEam(joolFile, address.privateIpv4, vpcPlan.ipv4Cidr);
      }
      const conversion = convertSiitJool(joolFile, { translator: key, tunDevice: "siit", labPrefix: (p) => substitution.prefix(p), selfIpv6: "2001:db8:ffff:1::8" });
      // Real Jool takes every file the validator accepts; tayga's limits do not apply to it.
      if (!jool) problems.push(...conversion.cannotEmulate);
      notes.push(...(jool ? [] : conversion.notes));
      const tayga = conversion.config;
      translators.push({
        key,
        set: set.path,
        id: t.id,
        zone: t.zone.name,
        deployedPrefix: t.prefix,
        prefix: substitution.prefix(t.prefix),
        primaryIpv4: t.primaryIpv4,
        ipv6: t.ipv6.resolve(substitution.bindings),
        secondaryIpv4: plan.addressesOn(t).map((a) => a.address.privateIpv4),
        joolFile,
        filter: delivered.filter,
        plannedJoolFile,
        tayga,
        enabled: conversion.enabled,
        denylist4: conversion.denylist4,
        securityGroup: { name: groupName, rules, egress: translatorEgress(plan.services.some((x) => x.outboundIpv4)) },
      });
    }
  }
  // Lab translation homes that moved into global unicast (tayga refuses ::/8) although the deployed
  // ones lie outside it: the fleet's 2000::/3 egress rule must not cover them in the lab either.
  const homesMoved = translators.filter((t) => !GLOBAL_UNICAST.overlaps(t.deployedPrefix) && GLOBAL_UNICAST.overlaps(t.prefix)).map((t) => t.prefix.toString());
  const translatorPrefixesOfSet = new Map(sets.map((s) => [s.path, translators.filter((t) => t.set === s.path).map((t) => t.prefix.toString())]));

  // Services.
  const services: LabService[] = [];
  for (const set of sets) {
    for (const s of planOf(set).services) {
      services.push({
        key: serviceKey(set.path, s.name),
        name: s.name,
        set: set.path,
        server: "",
        target: s.target.resolve(substitution.bindings),
        ports: s.ports,
        outboundIpv4: s.outboundIpv4,
        addresses: s.addresses.map((a) => ({
          translator: translatorKey(set.path, a.translator.id),
          privateIpv4: a.privateIpv4,
          eip: substitution.eip(eipKey(set.path, s.name, a.translator.id)),
        })),
      });
    }
  }
  const declared = new Set(services.flatMap((s) => s.ports.filter((p) => p.protocol === "tcp").flatMap((p) => [p.fromPort, p.toPort])));
  const fleetTcp = input.fleets.flatMap((f) => [...f.rules, ...f.servers.flatMap((s) => s.rules ?? [])].filter((r) => r.port.protocol === "tcp").map((r) => r.port));
  const undeclaredPort = UNDECLARED_PORTS.find((p) => !declared.has(p) && !fleetTcp.some((r) => p >= r.fromPort && p <= r.toPort)) ?? 8080;

  // Servers: one per distinct published address.
  const servers: LabServer[] = [];
  const matchedFaults = new Set<LabFault>();
  const fleetGroups = new Map<string, LabSgRule[]>();
  // A server's groups together: the fleet's and its own (security groups add up).
  const fleetGroup = (fleet: LabInput["fleets"][number], server: LabInput["fleets"][number]["servers"][number], withFaults: boolean) => {
    const key = `${fleet.path}[${server.index}]|${withFaults}`;
    let rules = fleetGroups.get(key);
    if (!rules) fleetGroups.set(key, (rules = fleetRules(fleet, server.rules ?? [], translatorPrefixesOfSet, substitution, withFaults ? faults : [], matchedFaults, withFaults ? problems : [])));
    return rules;
  };
  const fleetServers = input.fleets.flatMap((f) => f.servers.map((s) => ({ fleet: f, server: s, address: s.address.resolve(substitution.bindings) })));
  for (const service of services) {
    let server = servers.find((x) => x.address.equals(service.target));
    if (!server) {
      const subnet = serverSubnets.find((s) => s.ipv6.contains(service.target));
      if (!subnet) {
        problems.push({ subject: `service ${service.key}: target ${service.target}`, reason: "is outside the VPC's server subnets, so the lab knows neither its route table nor its security group" });
        continue;
      }
      const inFleet = fleetServers.find((f) => f.address.equals(service.target));
      let securityGroup: LabSecurityGroup;
      let plannedSecurityGroup: LabSecurityGroup;
      let key: string;
      if (inFleet) {
        key = `${setId(inFleet.fleet.path)}[${inFleet.server.index}]`;
        const egress = serverEgress(service.outboundIpv4 ? (translatorPrefixesOfSet.get(service.set) ?? []) : [], homesMoved);
        securityGroup = { name: inFleet.fleet.securityGroup, rules: fleetGroup(inFleet.fleet, inFleet.server, true), egress };
        plannedSecurityGroup = { name: inFleet.fleet.securityGroup, rules: fleetGroup(inFleet.fleet, inFleet.server, false), egress };
      } else {
        key = `server ${service.target}`;
        const carriers = translators.filter((t) => service.addresses.some((a) => a.translator === t.key)).map((t) => t.prefix.toString());
        securityGroup = {
          name: `(security group of ${service.target}, not managed by this library)`,
          rules: [
            ...baselineServerRules(),
            ...service.ports.flatMap((p) => [portRule(p, "ipv6", carriers, `assumed: ${p} from the translators`), portRule(p, "ipv6", ["::/0"], `assumed: ${p} from IPv6 clients`)]),
          ],
        };
        plannedSecurityGroup = securityGroup;
        notes.push(`assumed: server ${service.target} of ${service.key} is not in a fleet of this library; the lab gives it a security group admitting ${service.ports.map(String).join(", ")} from the translator prefixes and ::/0`);
      }
      server = { key, fleet: inFleet?.fleet.path, zone: subnet.zone, subnet: subnet.name, address: service.target, services: [], securityGroup, plannedSecurityGroup, listen: [] };
      servers.push(server);
    }
    const listen = [...server.listen];
    // Every port any service declares, not only this server's: so that a port another service
    // publishes gets no answer here because a filter stops it, not because nothing listens.
    for (const p of services.flatMap((s) => s.ports)) {
      if (p.protocol === "icmp") continue;
      for (const port of new Set([p.fromPort, p.toPort])) {
        if (!listen.some((l) => l.protocol === p.protocol && l.port === port)) listen.push({ protocol: p.protocol as "tcp" | "udp", port });
      }
    }
    if (!listen.some((l) => l.protocol === "tcp" && l.port === undeclaredPort)) listen.push({ protocol: "tcp", port: undeclaredPort });
    const updated: LabServer = { ...server, services: [...server.services, service.key], listen };
    servers[servers.indexOf(server)] = updated;
    services[services.indexOf(service)] = { ...service, server: updated.key };
  }
  const published = new Set(servers.filter((s) => s.fleet).map((s) => s.key));
  for (const f of input.fleets) {
    const idle = f.servers.filter((s) => !published.has(`${setId(f.path)}[${s.index}]`));
    if (idle.length) notes.push(`not emulated: ${f.path} servers ${idle.map((s) => s.index).join(", ")} (nothing is published on them)`);
  }

  // NAT64.
  const nat64: LabNat64Device[] = [];
  if (input.nat64) {
    const n = input.nat64;
    const pool = NAT64_POOLS.find((p) => !p.overlaps(vpcPlan.ipv4Cidr));
    if (!pool) problems.push({ subject: `${n.path}: tayga dynamic pool`, reason: `every candidate (${NAT64_POOLS.join(", ")}) overlaps the VPC's ${vpcPlan.ipv4Cidr}` });
    for (const d of n.devices) {
      const { ipv4, ipv6 } = nat64Addresses.get(d.zone)!;
      let prefix = n.plan.prefix;
      let pool4: readonly Nat64Pool4[] = [];
      if (n.provider === "jool-instance") {
        if (d.joolFile === undefined) {
          problems.push({ subject: `${n.path}: NAT64 in ${d.zone}`, reason: "its Jool file is not known at synth time" });
        } else {
          const c = convertNat64Jool(d.joolFile, d.zone, ipv4);
          problems.push(...c.cannotEmulate);
          notes.push(...c.notes);
          prefix = c.pool6 ?? prefix;
          pool4 = c.pool4;
        }
      }
      const refused = jool ? undefined : taygaRefusesIpv6(prefix);
      if (refused) problems.push({ subject: `${n.path}: NAT64 pool6 ${prefix}`, reason: refused });
      nat64.push({
        zone: d.zone,
        provider: n.provider,
        ipv4,
        ipv6,
        eip: substitution.nat64Eip(d.zone),
        serves: n.plan.nodes.find((x) => x.zone.name === d.zone)?.serves.map((z) => z.name) ?? [d.zone],
        prefix,
        pool: pool ?? NAT64_POOLS[0],
        pool4,
        tayga: {
          header: [`tayga.conf of the NAT64 stand-in in ${d.zone} (${n.provider}): tayga's dynamic pool + nftables masquerade = a stateful NAT64`],
          tunDevice: "nat64",
          ipv4Addr: TAYGA_IPV4_CANDIDATES[0],
          prefix: { lab: prefix, deployed: prefix },
          maps: [],
          dynamicPool: pool ?? NAT64_POOLS[0],
          footer: [],
        },
        joolFile:
          d.joolFile ??
          `${JSON.stringify({ comment: `stand-in for the AWS NAT gateway in ${d.zone} (VM tier lab)`, instance: NAT64_INSTANCE, framework: "netfilter", global: { pool6: prefix.toString() } }, null, 2)}\n`,
        securityGroup:
          n.provider === "jool-instance"
            ? { name: n.securityGroup ?? `${n.path}/SecurityGroup`, rules: fromServerSubnets(labServerSubnets).map((spec) => labRule(spec)) }
            : undefined,
      });
    }
  }

  // Route tables.
  const routeTables: LabRouteTable[] = [];
  for (const table of input.vpc.routeTables) {
    if (table.kind === "edge") {
      for (const r of table.routes) {
        const toIgw = r.target.kind === "internet-gateway" && (r.destination === "0.0.0.0/0" || r.destination === "::/0");
        if (!toIgw) problems.push({ subject: `route ${r.path} (${r.destination} -> ${describeTarget(r.target)}) in edge route table ${table.subnet}`, reason: "the lab routes edge subnets only to the internet gateway" });
      }
      continue;
    }
    const routes: LabRoute[] = [];
    for (const r of table.routes) {
      if (r.family !== "ipv6") {
        problems.push({ subject: `route ${r.path} (${r.destination}) in server route table ${table.subnet}`, reason: "server subnets are IPv6-only; the lab has no IPv4 there" });
        continue;
      }
      let destination: Ipv6Prefix;
      try {
        destination = substitution.prefix(Ipv6Prefix.parse(r.destination));
      } catch {
        problems.push({ subject: `route ${r.path} in ${table.subnet}`, reason: `destination ${r.destination} is not a literal IPv6 prefix` });
        continue;
      }
      let target = r.target;
      if (target.kind === "translator") {
        const key = translatorKey(target.set, target.id);
        if (!translators.some((t) => t.key === key)) problems.push({ subject: `route ${r.path} in ${table.subnet}`, reason: `targets translator ${key}, which is not in the stack` });
        target = { kind: "translator", set: target.set, id: key };
      } else if (target.kind === "nat64" && !nat64.some((d) => d.zone === (target as { zone: string }).zone)) {
        problems.push({ subject: `route ${r.path} in ${table.subnet}`, reason: `targets a NAT64 in ${target.zone}, which the lab did not find` });
      } else if (target.kind === "unknown") {
        problems.push({ subject: `route ${r.path} (${r.destination}) in server route table ${table.subnet}`, reason: `its target ${target.text} is not a translator, NAT64 or gateway of this stack` });
      }
      routes.push({ path: r.path, destination, target });
    }
    routeTables.push({ subnet: table.subnet, zone: table.zone, routes: applyRouteFaults(table.subnet, routes, faults, translators) });
  }
  for (const f of faults) {
    if ((f.kind === "drop-route" || f.kind === "misroute") && !translators.some((t) => t.key === f.translator)) throw new RangeError(`fault ${JSON.stringify(f)}: no translator ${f.translator}`);
    if (f.kind === "drop-server-rule" && !matchedFaults.has(f)) throw new RangeError(`fault ${JSON.stringify(f)}: no fleet of a published server has such a rule`);
  }

  if (problems.length) throw new CannotEmulateError(input.stack, problems);
  notes.push("not filtered: egress rules (every security group of the plan allows all egress)");
  return {
    stack: input.stack,
    substitution,
    vpc: { path: input.vpc.path, ipv4: vpcPlan.ipv4Cidr, ipv6: vpc6, serverSubnets, edgeSubnets },
    translators,
    services,
    servers,
    nat64,
    routeTables,
    undeclaredPort,
    notes: [...new Set(notes)],
    faults,
    engine,
  };
}

type JoolJson = { global: Record<string, unknown>; eamt?: { "ipv6 prefix": string; "ipv4 prefix": string }[]; denylist4?: string[] };
const edit = (file: string, change: (j: JoolJson) => void) => {
  const j = JSON.parse(file) as JoolJson;
  change(j);
  return `${JSON.stringify(j, null, 2)}\n`;
};
const withoutEam = (file: string, ipv4: Ipv4Address, vpc: Ipv4Prefix) =>
  edit(file, (j) => {
    j.eamt = j.eamt?.filter((e) => !Ipv4Prefix.parse(e["ipv4 prefix"]).contains(ipv4));
    j.denylist4 = denylist4(vpc, (j.eamt ?? []).map((e) => Ipv4Prefix.parse(e["ipv4 prefix"]).network));
  });
const withGlobal = (file: string, name: string, value: unknown) => edit(file, (j) => (j.global[name] = value));
const withDenylist4 = (file: string, denylist4: string[]) => edit(file, (j) => (j.denylist4 = denylist4));

/** ICMPv6 packet-too-big from anywhere: every fleet group has it. */
const GLOBAL_UNICAST = Ipv6Prefix.parse("2000::/3");

/** A translator group's egress, as the construct creates it (TRANSLATOR_IPV4_EGRESS_BASELINE). */
function translatorEgress(serverInitiatedIpv4: boolean): LabSgRule[] {
  const b = TRANSLATOR_IPV4_EGRESS_BASELINE;
  return [
    { description: b.description, family: "ipv4", protocol: "icmp", icmp: { type: b.fromPort, code: b.toPort }, sources: [b.cidr] },
    ...(serverInitiatedIpv4 ? [{ description: "IPv4 started by servers of services with outboundIpv4", family: "ipv4" as const, protocol: "all" as const, sources: ["0.0.0.0/0"] }] : []),
    { description: "Translated packets to servers; packages, S3, SSM", family: "ipv6", protocol: "all", sources: ["::/0"] },
  ];
}

/** A fleet server's egress: FLEET_EGRESS, plus its translators' prefixes if its service opted in. */
function serverEgress(translatorPrefixes: readonly string[], homesMoved: readonly string[]): LabSgRule[] {
  return [
    ...FLEET_EGRESS.map((e): LabSgRule => ({
      description: e.description,
      family: "ipv6",
      protocol: "all",
      sources: [e.cidr],
      except: Ipv6Prefix.parse(e.cidr).equals(GLOBAL_UNICAST) ? homesMoved : undefined,
    })),
    ...(translatorPrefixes.length ? [{ description: "IPv4 sent through the SIIT-DC translators (outboundIpv4)", family: "ipv6" as const, protocol: "all" as const, sources: translatorPrefixes }] : []),
  ];
}

function baselineServerRules(): LabSgRule[] {
  return FLEET_BASELINE_INGRESS.map((spec) => labRule(spec));
}

function fleetRules(
  fleet: LabInput["fleets"][number],
  ownRules: readonly LabFleetRuleInput[],
  prefixesOfSet: ReadonlyMap<string, string[]>,
  substitution: LabSubstitution,
  faults: readonly LabFault[],
  matched: Set<LabFault>,
  problems: CannotEmulate[],
): LabSgRule[] {
  const rules = baselineServerRules();
  let kept = [...fleet.rules, ...ownRules];
  for (const f of faults) {
    if (f.kind !== "drop-server-rule") continue;
    const before = kept.length;
    kept = kept.filter((r) => !(r.port.toString() === f.port && (f.source === undefined || f.source === r.source.kind)));
    if (kept.length !== before) matched.add(f);
  }
  for (const r of kept) {
    let sources: string[];
    switch (r.source.kind) {
      case "cidr":
        sources = [substitution.prefix(Ipv6Prefix.parse(r.source.cidr)).toString()];
        break;
      case "prefix-list":
        sources = (r.source.set && prefixesOfSet.get(r.source.set)) || r.source.entries.map((e) => substitution.prefix(Ipv6Prefix.parse(e)).toString());
        break;
      case "unknown":
        problems.push({ subject: `${fleet.path} security group rule "${r.description}"`, reason: `its source ${r.source.text} is not a literal prefix or a prefix list of this stack` });
        continue;
    }
    rules.push(portRule(r.port, "ipv6", sources, r.description));
  }
  return rules;
}

function applyRouteFaults(subnet: string, routes: LabRoute[], faults: readonly LabFault[], translators: readonly LabTranslator[]): LabRoute[] {
  let out = routes;
  for (const f of faults) {
    if ((f.kind !== "drop-route" && f.kind !== "misroute") || (f.subnet !== undefined && f.subnet !== subnet)) continue;
    const hit = (r: LabRoute) => r.target.kind === "translator" && r.target.id === f.translator;
    if (f.kind === "drop-route") out = out.filter((r) => !hit(r));
    else {
      const to = translators.find((t) => t.key === f.to);
      if (!to) throw new RangeError(`fault ${JSON.stringify(f)}: no translator ${f.to}`);
      out = out.map((r) => (hit(r) ? { ...r, target: { kind: "translator", set: to.set, id: to.key } } : r));
    }
  }
  return out;
}

export function describeTarget(t: LabRouteTarget): string {
  switch (t.kind) {
    case "translator":
      return `translator ${t.id}`;
    case "nat64":
      return `the NAT64 in ${t.zone}`;
    case "internet-gateway":
      return "the internet gateway";
    case "egress-only-internet-gateway":
      return "the egress-only internet gateway";
    case "unknown":
      return t.text;
  }
}

/** Longest-prefix match in a lab route table (the VPC's local route aside). */
export function routeFor(table: LabRouteTable, destination: Ipv6Address): LabRoute | undefined {
  return table.routes.filter((r) => r.destination.contains(destination)).sort((a, b) => b.destination.length - a.destination.length)[0];
}
