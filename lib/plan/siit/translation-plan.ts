import { ipv4AddressesPerInterface } from "../aws/instance-types";
import { Ipv4Address, Ipv4Prefix, Ipv6Prefix, WELL_KNOWN } from "../address/ip";
import { documentationBindings, sameAddress, SymbolicIpv6Address } from "../address/symbolic";
import { parseOr, VpcAddressPlan, ZonePlan } from "../address/vpc-plan";
import { at, fail, Origin } from "../errors";
import type { TeamRangeOnTranslator } from "../jool/bundle";
import { EamEntry, EamHairpinMode, SIIT_INSTANCE, SiitConfig } from "../jool/config";
import type { FragmentAddress } from "../jool/fragments";
import { Port } from "../ports";
import { HealthCheckInput, HealthCheckPlan, planHealthCheck } from "./health-check";
import { planPublicAddresses, PublicAddressInput, PublicAddressSlot } from "./public-addresses";
import { numberRange, ownsNumber, planTeams, TeamInput, TeamPlan, teamPrefixes, teamRangeOnTranslator } from "./teams";

/**
 * The SIIT-DC translation plan (RFC 7755 with the AWS deviation of docs/DESIGN.md invariant 3).
 *
 * - Translator (zone z, ordinal o) owns pool6 P = <home /48> : <zone slot> : 0 : <o> :: /96, so
 *   adding translators or zones never renumbers another translator's prefix.
 * - Its interface's primary IPv4 and its IPv6 are host firstHostIndex (10) + o of the zone's edge subnet.
 * - Service number n is carried in zone z at edge host `SERVICE_HOST_BASE + n` (a secondary IPv4
 *   of the carrying translator's interface, never configured in its OS), with one EIP each. The
 *   number alone fixes the address: adding or removing other services moves nothing.
 * - Each translator's Jool file holds only the EAM entries of the addresses on its own interface.
 */

export const MAX_TRANSLATORS_PER_ZONE = 16;
export const SERVICE_HOST_BASE = 64;
/** RFC 7755 section 4.9: at least 1280; behind an AWS internet gateway the path MTU is 1500. */
export const MIN_LOWEST_IPV6_MTU = 1500;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Input of {@link TranslationPlan} (the translator set's props, literal). */
export interface TranslationPlanInput {
  /** Construct path of the translator set, for messages. */
  readonly path: string;
  /** The VPC's address plan. */
  readonly vpc: VpcAddressPlan;
  /** Zones with translators. */
  readonly zones: readonly string[];
  /** Translators per zone (1-16). */
  readonly translatorsPerZone: number;
  /** The /48 the translation prefixes are carved from. */
  readonly translationPrefix: string;
  /** Translator instance type: its interface's IPv4 limit caps the addresses per translator. */
  readonly instanceType: string;
  /**
   * IPv4 addresses per interface for instance types missing from the library's table.
   * @default - the table only
   */
  readonly ipv4AddressesPerInterface?: Readonly<Record<string, number>>;
  /** Jool `lowest-ipv6-mtu` (1500-9001). */
  readonly lowestIpv6Mtu: number;
  /** Jool `eam-hairpin-mode`. */
  readonly eamHairpinMode: EamHairpinMode;
  /** Edge host index of translator 0 in each zone; translator o takes firstHostIndex + o. */
  readonly firstHostIndex: number;
  /**
   * The declared public addresses; services use those of their number.
   * @default - each service address gets its own EIP, named by the service number
   */
  readonly publicAddresses?: readonly PublicAddressInput[];
  /**
   * The set's service teams, each with its own range of service numbers (platform side).
   * @default - none
   */
  readonly teams?: readonly TeamInput[];
  /**
   * Plans one team's side instead of the platform's: services take only the team's numbers and
   * sit in the /28s delegated to it, so they use no interface address of their own.
   * @default - the platform's side
   */
  readonly team?: TeamPlan;
  /**
   * The translators, when the platform's plan in the same app has planned them already (their
   * addresses are claimed there).
   * @default - planned from zones, translatorsPerZone, translationPrefix and firstHostIndex
   */
  readonly translators?: readonly TranslatorPlan[];
}

/** One translator of the plan. */
export interface TranslatorPlan {
  /** Stable short id: zone letter + ordinal, e.g. `a0`. */
  readonly id: string;
  /** The translator's zone. */
  readonly zone: ZonePlan;
  /** Its ordinal within the zone (0 first). */
  readonly ordinal: number;
  /** This translator's pool6 (its own /96). */
  readonly prefix: Ipv6Prefix;
  /** Primary private IPv4 of its interface (edge host firstHostIndex + ordinal). */
  readonly primaryIpv4: Ipv4Address;
  /** IPv6 address of its interface (same edge host index). */
  readonly ipv6: SymbolicIpv6Address;
}

/** One address of a service: on one translator. */
export interface ServiceAddressPlan {
  /** The translator that carries it. */
  readonly translator: TranslatorPlan;
  /** The secondary private IPv4 the EIP maps to (1:1 NAT at the internet gateway). */
  readonly privateIpv4: Ipv4Address;
}

/** A published service of the plan. */
export interface ServicePlan {
  /** The service name (a DNS label). */
  readonly name: string;
  /** The service number: fixes its private IPv4 (edge host 64 + number) in every zone. */
  readonly number: number;
  /** The server's IPv6 address the EAM entries map to. */
  readonly target: SymbolicIpv6Address;
  /** Published ports. */
  readonly ports: readonly Port[];
  /** One address per carrying translator. */
  readonly addresses: readonly ServiceAddressPlan[];
  /**
   * The security group the library opens on the server, if it manages one (a fleet's).
   * @default - none (a literal or plan address target)
   */
  readonly serverSecurityGroup?: string;
  /** Whether the server may start IPv4 traffic through its translators (docs/DESIGN.md invariant 17). */
  readonly outboundIpv4: boolean;
  /**
   * The health check of each address, when the service has DNS records.
   * @default - none (no DNS)
   */
  readonly healthCheck?: HealthCheckPlan;
}

/** Input of {@link TranslationPlan.addService}. */
export interface ServiceInput extends Pick<ServicePlan, "name" | "number" | "target" | "ports" | "serverSecurityGroup"> {
  /**
   * Whether the server may start IPv4 traffic through its translators.
   * @default false
   */
  readonly outboundIpv4?: boolean;
  /**
   * The health check asked for, when the service has DNS records.
   * @default - none (no DNS records, no health checks)
   */
  readonly healthCheck?: HealthCheckInput;
  /** Where the service was published, for messages. */
  readonly origin: Origin;
  /** Translators that carry the service, at most one per zone. */
  readonly carriers: readonly TranslatorPlan[];
}

/** Input of {@link TranslationPlan.publish}: a service, and how its server is reached. */
export interface PublishInput extends ServiceInput {
  /**
   * Whether IPv6 clients reach the server directly (a rule from ::/0 on its own group).
   * @default true
   */
  readonly ipv6Internet?: boolean;
}

/** One port opened on a server's own group. */
export interface ServerPortRule {
  /** The port. */
  readonly port: Port;
  /** Whom it admits: the translators' prefixes (IPv4 clients) or `::/0` (IPv6 clients). */
  readonly from: "translators" | "internet";
}

/** Security group rules a publication needs that no earlier publication of this plan made. */
export interface ServiceRules {
  /** Ports to open on the translators' group (each once per plan). */
  readonly translatorPorts: readonly Port[];
  /** Ports to open on the server's own group, from the translators' prefixes or from IPv6 clients. */
  readonly serverPorts: readonly ServerPortRule[];
  /** Whether the translators' group must now let IPv4 out (the first service with outboundIpv4). */
  readonly translatorIpv4Egress: boolean;
  /** Whether the server's own group must now let it send to the translators (outboundIpv4). */
  readonly serverIpv4Egress: boolean;
}

/** What one publication creates: the service, the EIP slot of each address, and the new rules. */
export interface Publication {
  /** The planned service. */
  readonly service: ServicePlan;
  /** The EIP of each of its addresses, in the order of `service.addresses`. */
  readonly publicAddresses: readonly PublicAddressSlot[];
  /** The rules that do not exist yet. */
  readonly rules: ServiceRules;
}

/**
 * The SIIT-DC translation plan (RFC 7755, with the AWS deviation of one /96 per translator):
 * translators and their /96s, services and their addresses, each translator's Jool file.
 * Translator (zone z, ordinal o) owns `<home /48>:z:0:o::/96`; service number n sits at edge
 * host 64 + n of each carrying translator's zone. Pure: no cdktf.
 */
export class TranslationPlan {
  /** The /48 the translators' /96s are carved from. */
  readonly home: Ipv6Prefix;
  /** Every translator, zone by zone. */
  readonly translators: readonly TranslatorPlan[];
  /** Services added so far, in order. */
  readonly services: ServicePlan[] = [];
  /** Service addresses one translator can carry (the interface's IPv4 limit minus the primary). */
  readonly addressLimit: number;
  /** The set's service teams (platform side); empty on a team's side. */
  readonly teams: readonly TeamPlan[];
  /** The team whose side this plan is, if it is one. */
  readonly team?: TeamPlan;
  /** Jool `lowest-ipv6-mtu` of every translator. */
  readonly lowestIpv6Mtu: number;
  /** Jool `eam-hairpin-mode` of every translator. */
  readonly eamHairpinMode: EamHairpinMode;
  /** Declared public addresses, or undefined when each service address gets its own. */
  readonly publicAddresses?: readonly PublicAddressSlot[];
  private readonly vpc: VpcAddressPlan;
  /** The VPC's IPv4 block (what denylist4 is carved from). */
  get vpcIpv4Cidr(): VpcAddressPlan["ipv4Cidr"] {
    return this.vpc.ipv4Cidr;
  }
  /** Indexes over `services`, kept in step by `indexed()` (services[0..count) are indexed). */
  private index?: ServiceIndex;
  private edgeSizeMemo?: number;
  /** Rules made so far, by group and port (publish). */
  private readonly ruleKeys = new Set<string>();

  constructor(input: TranslationPlanInput) {
    const where = (property: string): Origin => ({ path: input.path, property });
    this.vpc = input.vpc;
    this.home = parseOr(where("translationPrefix"), input.translationPrefix, Ipv6Prefix.parse, "an IPv6 /48, e.g. 64:ff9b:1::/48");
    this.checkHome(where("translationPrefix"), input.translationPrefix);
    if (!Number.isInteger(input.translatorsPerZone) || input.translatorsPerZone < 1 || input.translatorsPerZone > MAX_TRANSLATORS_PER_ZONE) {
      fail(where("translatorsPerZone"), input.translatorsPerZone, `must be a whole number from 1 to ${MAX_TRANSLATORS_PER_ZONE}`, "choose how many translators each zone runs");
    }
    if (!Number.isInteger(input.lowestIpv6Mtu) || input.lowestIpv6Mtu < MIN_LOWEST_IPV6_MTU || input.lowestIpv6Mtu > 9001) {
      fail(
        where("lowestIpv6Mtu"),
        input.lowestIpv6Mtu,
        `must lie between ${MIN_LOWEST_IPV6_MTU} (the internet path through an AWS internet gateway) and 9001 (the VPC MTU)`,
        "use 1500 unless every IPv6 path is known to carry more (RFC 7755 section 4.9 suggests 1520 or more inside a data centre)",
      );
    }
    this.lowestIpv6Mtu = input.lowestIpv6Mtu;
    this.eamHairpinMode = input.eamHairpinMode;
    this.addressLimit = ipv4AddressesPerInterface(input.instanceType, where("instanceType"), input.ipv4AddressesPerInterface) - 1;
    if (input.zones.length === 0) fail(where("zones"), input.zones, "is empty", "list at least one zone of the VPC, or leave zones unset for all of them");

    const translators: TranslatorPlan[] = input.translators ? [...input.translators] : [];
    if (!input.translators) input.zones.forEach((zoneName, zi) => {
      const zone = input.vpc.zone(zoneName, at(where("zones"), `[${zi}]`));
      if (translators.some((t) => t.zone === zone)) fail(at(where("zones"), `[${zi}]`), zoneName, "is listed twice", "list each zone once");
      const edge = input.vpc.subnet("edge", zone.name, where("zones"));
      for (let ordinal = 0; ordinal < input.translatorsPerZone; ordinal++) {
        const id = `${zone.name.at(-1)}${ordinal}`;
        const host = input.firstHostIndex + ordinal;
        const claimant = `${input.path} translator ${id}`;
        const fix = "set firstHostIndex so each translator set's interfaces (firstHostIndex + ordinal) use their own addresses";
        translators.push({
          id,
          zone,
          ordinal,
          prefix: this.home.subnet(64, zone.slot).subnet(96, ordinal),
          primaryIpv4: input.vpc.claimEdgeIpv4(zone.name, host, claimant, where("firstHostIndex"), { value: input.firstHostIndex, fix }),
          ipv6: input.vpc.claimHost(edge, host, claimant, where("firstHostIndex"), fix),
        });
      }
    });
    this.translators = translators;
    if (input.publicAddresses !== undefined) this.publicAddresses = planPublicAddresses(input.publicAddresses, translators, where("publicAddresses"));
    this.team = input.team;
    this.teams = input.teams ? planTeams(input.teams, input.vpc, input.zones, where("teams")) : [];
    if (this.teams.length > this.addressLimit) {
      fail(
        where("teams"),
        this.teams.map((t) => t.name),
        `need ${this.teams.length} delegated prefixes on every translator interface, which holds ${this.addressLimit} besides its primary address (${input.instanceType})`,
        "use an instance type whose interface holds more addresses, or fewer teams",
      );
    }
  }

  /**
   * The /28s delegated to teams on a translator's interface (one per team block); on a team's
   * side, that team's own.
   */
  teamPrefixesOn(translator: TranslatorPlan): string[] {
    return (this.team ? [this.team] : this.teams).flatMap((team) => teamPrefixes(team, this.vpc.edgeIpv4(translator.zone.name)).map(String));
  }

  /**
   * A team's side: its addresses on one translator as its fragment carries them (the EAM target
   * and the filter data; lib/plan/jool/fragments.ts). `render` turns server addresses into text.
   */
  fragmentAddresses(translator: TranslatorPlan, render: (address: SymbolicIpv6Address) => string): FragmentAddress[] {
    return this.addressesOn(translator).map(({ service, address }) => ({
      ipv4: address.privateIpv4.toString(),
      pool6: translator.prefix.embedIpv4(address.privateIpv4).toString(),
      target: render(service.target),
      ports: service.ports,
      outbound: service.outboundIpv4,
    }));
  }

  /** Each team's ranges on a translator, as its node configuration states them. */
  teamRangesOn(translator: TranslatorPlan): TeamRangeOnTranslator[] {
    return this.teams.map((team) => teamRangeOnTranslator(team, this.vpc.edgeIpv4(translator.zone.name), translator.prefix));
  }

  /**
   * The EIP of each service address: its declared slot, or (without declared addresses) one
   * named by the service number.
   */
  publicAddressOf(service: ServicePlan, address: ServiceAddressPlan): PublicAddressSlot {
    const declared = this.publicAddresses?.find((s) => s.number === service.number && s.translator === address.translator);
    return declared ?? { id: String(service.number), number: service.number, translator: address.translator, preventDestroy: false };
  }

  /**
   * Whether servers' security groups can keep them from starting IPv4 traffic through these
   * translators: fleet egress admits the IPv6 internet (2000::/3), so a translation prefix of
   * global unicast space lies inside it (docs/DESIGN.md invariant 17).
   */
  serverEgressBlocksTranslators(): boolean {
    return !Ipv6Prefix.parse("2000::/3").overlaps(this.home);
  }

  /** Declared addresses no service uses: allocated and billed, kept until their declaration goes. */
  reservedAddresses(): PublicAddressSlot[] {
    return (this.publicAddresses ?? []).filter((slot) => !this.services.some((s) => s.number === slot.number && s.addresses.some((a) => a.translator === slot.translator)));
  }

  /** Translator `ordinal` of `zone`. */
  translator(zone: string, ordinal: number, origin: Origin): TranslatorPlan {
    const t = this.translatorIndex().get(`${zone}\n${ordinal}`);
    if (!t) {
      fail(origin, `${zone}/${ordinal}`, "is not a translator of this set", `use one of ${this.translators.map((x) => `${x.zone.name}/${x.ordinal}`).join(", ")}`);
    }
    return t;
  }

  /** The planned service whose target is the same address as `target`, if any (indexed, not scanned). */
  serviceAt(target: SymbolicIpv6Address): ServicePlan | undefined {
    return this.indexed().sameTarget(target, this.services);
  }

  /** Plans a published service; every check that input can break is done here. */
  addService(input: ServiceInput): ServicePlan {
    const o = input.origin;
    if (!DNS_LABEL.test(input.name)) {
      fail(at(o, ".name"), input.name, "is not DNS-safe (it names EIPs, records and Jool comments)", "use 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen");
    }
    const index = this.indexed();
    if (index.byName.has(input.name)) fail(at(o, ".name"), input.name, "is already published by this translator set", "give each service its own name");
    const edgeSize = (this.edgeSizeMemo ??= Math.min(...this.translators.map((t) => Number(this.vpc.edgeIpv4(t.zone.name).size))));
    const maxNumber = edgeSize - SERVICE_HOST_BASE - 2;
    if (!Number.isInteger(input.number) || input.number < 1 || input.number > maxNumber) {
      fail(at(o, ".number"), input.number, `service numbers run from 1 to ${maxNumber} (edge host ${SERVICE_HOST_BASE} + number)`, "give the service a number in that range that no other service uses");
    }
    if (this.team && !ownsNumber(this.team, input.number)) {
      fail(at(o, ".number"), input.number, `is outside the service numbers of team ${this.team.name} (${numberRange(this.team)})`, `pick a number from ${numberRange(this.team)}, or ask the platform for a larger range`);
    }
    const teamOfNumber = this.teams.find((t) => ownsNumber(t, input.number));
    if (teamOfNumber) {
      fail(at(o, ".number"), input.number, `belongs to team ${teamOfNumber.name} (numbers ${numberRange(teamOfNumber)}), whose own stack publishes them`, "give the platform's service a number outside every team's range");
    }
    const taken = index.byNumber.get(input.number);
    if (taken) fail(at(o, ".number"), input.number, `is already the number of service ${taken.name}; the number fixes the service's private IPv4 addresses`, "give each service its own number");
    if (input.ports.length === 0) fail(at(o, ".ports"), [], "is empty", "list the ports to publish, e.g. [Port.tcp(443)]");
    input.ports.forEach((p, i) => p.check(at(o, `.ports[${i}]`)));
    if (input.carriers.length === 0) fail(at(o, ".translators"), [], "is empty", "list at least one translator, or leave translators unset for one per zone");
    // Invariant 16: a server answers its published ports on every address it is published at, so
    // a second service on the same target would expose the first one's ports and vice versa.
    const sameTarget = index.sameTarget(input.target, this.services);
    if (sameTarget) {
      fail(
        at(o, ".target"),
        input.target.toString(),
        `is already the target of service ${sameTarget.name}; two services on one server would each expose the other's ports`,
        `publish the server once, as ${sameTarget.name}, with all its ports and translators`,
      );
    }
    if (input.outboundIpv4 && input.serverSecurityGroup === undefined) {
      fail(at(o, ".outboundIpv4"), true, "needs a fleet server as the target (the library opens only groups it manages)", "publish a fleet server, or open your server's own security group");
    }
    const zones = new Set<string>();
    for (const [i, t] of input.carriers.entries()) {
      if (zones.has(t.zone.name)) {
        fail(at(o, `.translators[${i}]`), `${t.zone.name}/${t.ordinal}`, "is a second carrier in one zone; a service has at most one address per zone", "pick one translator per zone");
      }
      zones.add(t.zone.name);
      // A team's addresses lie in the /28 delegated to it: they take no interface address.
      const load = (index.byTranslator.get(t)?.services.size ?? 0) + 1 + this.teams.length;
      if (!this.team && load > this.addressLimit) {
        fail(
          at(o, `.translators[${i}]`),
          `${t.zone.name}/${t.ordinal}`,
          `would carry ${load - this.teams.length} service addresses${this.teams.length ? ` and ${this.teams.length} teams' delegated prefixes` : ""}, but its interface holds ${this.addressLimit} secondary IPv4 addresses${this.teams.length ? " or prefixes" : ""} (${this.addressLimit + 1} with the primary)`,
          "carry the service on another translator (translatorsPerZone, translators), or use an instance type whose interface holds more addresses",
        );
      }
    }
    if (this.publicAddresses) {
      for (const [i, t] of input.carriers.entries()) {
        if (!this.publicAddresses.some((s) => s.number === input.number && s.translator === t)) {
          const declared = this.publicAddresses.find((s) => s.number === input.number);
          fail(
            at(o, declared ? `.translators[${i}]` : ".number"),
            declared ? `${t.zone.name}/${t.ordinal}` : input.number,
            declared ? `has no public address declared for service number ${input.number} (address ${declared.id})` : "has no declared public address",
            declared
              ? `add "${t.zone.name}/${t.ordinal}" to the translators of publicAddresses entry ${declared.id}`
              : `declare it in publicAddresses, e.g. { id: "${input.name}", number: ${input.number} }`,
          );
        }
      }
    }
    const service: ServicePlan = {
      name: input.name,
      number: input.number,
      target: input.target,
      ports: input.ports,
      serverSecurityGroup: input.serverSecurityGroup,
      outboundIpv4: input.outboundIpv4 ?? false,
      healthCheck: input.healthCheck && planHealthCheck(input.healthCheck, input.ports, at(o, ".dns.healthCheck")),
      addresses: input.carriers.map((t) => ({
        translator: t,
        privateIpv4: this.vpc.claimEdgeIpv4(t.zone.name, SERVICE_HOST_BASE + input.number, `${o.path} service ${input.name}`, at(o, ".number"), {
          value: input.number,
          fix: "service numbers fix edge addresses, so they are unique across all translator sets of a VPC: pick another number",
        }),
      })),
    };
    this.services.push(service);
    return service;
  }

  /**
   * Plans a publication: the service (every check of addService), the EIP of each address, and
   * the security group rules no earlier publication made (EC2 refuses a rule twice in a group).
   */
  publish(input: PublishInput): Publication {
    const service = this.addService(input);
    const once = (key: string): boolean => {
      if (this.ruleKeys.has(key)) return false;
      this.ruleKeys.add(key);
      return true;
    };
    const server = service.serverSecurityGroup;
    const serverPorts: ServerPortRule[] = [];
    const translatorPorts: Port[] = [];
    for (const port of service.ports) {
      if (once(`translators|${port}`)) translatorPorts.push(port);
      if (server === undefined) continue;
      if (once(`${server}|translators|${port}`)) serverPorts.push({ port, from: "translators" });
      if ((input.ipv6Internet ?? true) && once(`${server}|internet|${port}`)) serverPorts.push({ port, from: "internet" });
    }
    const outbound = service.outboundIpv4 && server !== undefined;
    return {
      service,
      publicAddresses: service.addresses.map((a) => this.publicAddressOf(service, a)),
      rules: {
        translatorPorts,
        serverPorts,
        translatorIpv4Egress: outbound && once("translators|ipv4-egress"),
        serverIpv4Egress: outbound && once(`${server}|ipv4-egress`),
      },
    };
  }

  /** The service addresses a translator carries, by service number. */
  addressesOn(translator: TranslatorPlan): {
    /** The service. */
    service: ServicePlan;
    /** One of its addresses. */
    address: ServiceAddressPlan;
  }[] {
    const carried = this.indexed().byTranslator.get(translator);
    if (!carried) return [];
    if (!carried.sorted) {
      // Stable, like sorting the services' addresses in publish order.
      carried.addresses.sort((a, b) => a.service.number - b.service.number);
      carried.sorted = true;
    }
    return [...carried.addresses];
  }

  /** The indexes, brought in step with `services` (which callers may have changed). */
  private indexed(): ServiceIndex {
    if (!this.index || this.index.count > this.services.length) this.index = new ServiceIndex();
    while (this.index.count < this.services.length) this.index.add(this.services[this.index.count]);
    return this.index;
  }

  private translatorIndexMemo?: Map<string, TranslatorPlan>;
  private translatorIndex(): Map<string, TranslatorPlan> {
    if (!this.translatorIndexMemo) {
      this.translatorIndexMemo = new Map();
      // The first of equal keys wins, as with find().
      for (const t of [...this.translators].reverse()) this.translatorIndexMemo.set(`${t.zone.name}\n${t.ordinal}`, t);
    }
    return this.translatorIndexMemo;
  }

  /** The complete Jool file of one translator; `render` turns server addresses into text. */
  joolConfig(translator: TranslatorPlan, render: (address: SymbolicIpv6Address) => string): SiitConfig {
    return {
      comment: `SIIT-DC border relay ${translator.id} (${translator.zone.name}); generated, do not edit`,
      instance: SIIT_INSTANCE,
      framework: "netfilter",
      global: {
        "manually-enabled": true,
        pool6: translator.prefix.toString(),
        "lowest-ipv6-mtu": this.lowestIpv6Mtu,
        "eam-hairpin-mode": this.eamHairpinMode.value,
      },
      eamt: this.addressesOn(translator).map(({ service, address }) => eamEntry(service, address, render)),
      denylist4: this.denylist4On(translator),
    };
  }

  private denylist4On(translator: TranslatorPlan): string[] {
    const carried = this.indexed().byTranslator.get(translator);
    if (!carried) return denylist4(this.vpc.ipv4Cidr, []);
    return [...(carried.denylist4 ??= denylist4(this.vpc.ipv4Cidr, carried.addresses.map(({ address }) => address.privateIpv4)))];
  }

  /** Zones that have translators, in the order given. */
  zonesWithTranslators(): string[] {
    return [...new Set(this.translators.map((t) => t.zone.name))];
  }

  /** Distinct published ports over all services (one translator security group rule each). */
  distinctPorts(): Port[] {
    const seen = new Map<string, Port>();
    for (const s of this.services) for (const p of s.ports) seen.set(p.toString(), p);
    return [...seen.values()];
  }

  /** Every service address (one EIP each). */
  allAddresses(): {
    /** The service. */
    service: ServicePlan;
    /** One of its addresses. */
    address: ServiceAddressPlan;
  }[] {
    return this.services.flatMap((service) => service.addresses.map((address) => ({ service, address })));
  }

  private checkHome(origin: Origin, text: string): void {
    if (this.home.length !== 48) fail(origin, text, `is a /${this.home.length}; translation prefixes are /96s carved from a /48`, "give a /48, e.g. 64:ff9b:1::/48 (RFC 8215) or one of your own");
    if (this.home.overlaps(WELL_KNOWN.nat64)) {
      fail(origin, text, "overlaps 64:ff9b::/96, the prefix AWS DNS64 and the outbound NAT64 use; replies would go to a device without state", "use 64:ff9b:1::/48 or a /48 of your own space");
    }
    const vpc6 = this.vpc.ipv6Cidr.literal;
    if (vpc6 && vpc6.overlaps(this.home)) fail(origin, text, `overlaps the VPC prefix ${vpc6}`, "use a /48 outside the VPC's addresses");
  }
}

/** What is carried by one translator: its services and their addresses there. */
interface Carried {
  readonly services: Set<ServicePlan>;
  readonly addresses: { service: ServicePlan; address: ServiceAddressPlan }[];
  sorted: boolean;
  /** The translator's denylist4 for these addresses (each Jool file is rendered more than once). */
  denylist4?: string[];
}

/**
 * Services by name, number and translator, and targets by value, so that adding a service does
 * not rescan the earlier ones. `sameTarget` answers exactly as scanning with `sameAddress`: a
 * plan address has at most one reference, and two addresses are the same under documentation
 * bindings only if both are literal and equal, or their values agree under the binding of the
 * one reference they use (a literal is compared with a plan address under the plan address's
 * binding; addresses of two different references lie in different documentation /40s).
 */
class ServiceIndex {
  /** Services indexed so far (the first `count` of the plan's list). */
  count = 0;
  readonly byName = new Map<string, ServicePlan>();
  readonly byNumber = new Map<number, ServicePlan>();
  readonly byTranslator = new Map<TranslatorPlan, Carried>();
  /** First service (position) whose target is literal, by value. */
  private readonly literal = new Map<bigint, number>();
  /** First service (position) whose target is a plan address, by value under its reference's binding. */
  private readonly symbolic = new Map<bigint, number>();
  /** The same, by reference name and value. */
  private readonly symbolicByRef = new Map<string, number>();
  /** Set when a target falls outside what the maps answer: scan with sameAddress instead. */
  private scan = false;

  add(service: ServicePlan): void {
    const position = this.count++;
    if (!this.byName.has(service.name)) this.byName.set(service.name, service);
    if (!this.byNumber.has(service.number)) this.byNumber.set(service.number, service);
    for (const address of service.addresses) {
      let carried = this.byTranslator.get(address.translator);
      if (!carried) this.byTranslator.set(address.translator, (carried = { services: new Set(), addresses: [], sorted: true }));
      carried.services.add(service);
      carried.addresses.push({ service, address });
      carried.sorted = false;
      carried.denylist4 = undefined;
    }
    if (this.scan) return;
    const key = targetKey(service.target);
    if (!key) {
      this.scan = true;
      return;
    }
    if (key.ref === undefined) {
      if (!this.literal.has(key.value)) this.literal.set(key.value, position);
    } else {
      if (!this.symbolic.has(key.value)) this.symbolic.set(key.value, position);
      const byRef = `${key.ref}\n${key.value}`;
      if (!this.symbolicByRef.has(byRef)) this.symbolicByRef.set(byRef, position);
    }
  }

  /** The first of `services` (the indexed list) whose target is the same address as `target`. */
  sameTarget(target: SymbolicIpv6Address, services: readonly ServicePlan[]): ServicePlan | undefined {
    const key = this.scan || services.length === 0 ? undefined : targetKey(target);
    if (!key) return services.find((s) => sameAddress(s.target, target));
    const candidates = key.ref === undefined ? [this.literal.get(key.value), this.symbolic.get(key.value)] : [this.literal.get(key.value), this.symbolicByRef.get(`${key.ref}\n${key.value}`)];
    const found = candidates.filter((p): p is number => p !== undefined);
    return found.length ? services[Math.min(...found)] : undefined;
  }
}

/** A target's value: literal, or under the documentation binding of its one reference; undefined when neither applies. */
function targetKey(target: SymbolicIpv6Address): { ref?: string; value: bigint } | undefined {
  if (target.literal) return { value: target.literal.value };
  const refs = target.references();
  if (refs.length !== 1) return undefined;
  try {
    return { ref: refs[0].name, value: target.resolve(documentationBindings(refs)).value };
  } catch {
    return undefined;
  }
}

/**
 * A translator's denylist4: the VPC IPv4 block without the translator's own EAM addresses.
 * Invariant 5: a VPC IPv4 address without an EAM entry must never be translated through pool6,
 * or packets loop between translator and servers until the TTL dies. The EAM addresses stay out
 * of it so that hairpinning works: a server reaching another service of this translator at
 * pool6::<its private IPv4> needs Jool to translate that pool6 address, and Jool refuses a pool6
 * result that is denylisted (NICMx/Jool v4.1.9 src/mod/common/address_xlat.c, addrxlat_siit64;
 * for the hairpinned source, addrxlat_siit46). They cannot loop: their EAM entries translate them
 * first, and a hairpinned packet goes straight back to IPv6 (RFC 7757 section 4). The VPC block
 * and the service addresses are literal at synth time (addresses are carved from the block by
 * host index), so the exclusion is computed here; nothing about it is symbolic.
 */
/** The EAM entry of one service address: the server's /128 mapped to the address's /32. */
export function eamEntry(service: ServicePlan, address: ServiceAddressPlan, render: (address: SymbolicIpv6Address) => string): EamEntry {
  return { "ipv6 prefix": `${render(service.target)}/128`, "ipv4 prefix": `${address.privateIpv4}/32` };
}

export function denylist4(vpc: Ipv4Prefix, eamAddresses: readonly Ipv4Address[]): string[] {
  return vpc.without(eamAddresses).map(String);
}
