import { Ipv6Prefix } from "../address/ip";
import { documentationBindings, PrefixBindings, PrefixReference, SymbolicIpv6Address } from "../address/symbolic";
import { VpcAddressPlan } from "../address/vpc-plan";
import { Nat64Plan } from "../nat64/nat64-plan";
import { TranslationPlan } from "../siit/translation-plan";

/**
 * The address plan of one stack as data (JSON, see address-report.schema.json) and as Markdown:
 * per VPC its prefixes and subnets; per translator set its translators with their /96 and EAM
 * entries, and its services with each public address slot, private IPv4, IPv6 target, ports and
 * DNS names; the outbound NAT64. Values are literal where the prefixes are literal; prefixes known
 * only at apply time are bound to documentation prefixes (RFC 3849), listed in `documentation`
 * and marked on every value that depends on them. The JSON is stable (plan order, no paths of
 * the machine, no timestamps), so it serves as a snapshot in review.
 */

/** Version of the JSON layout; bump on an incompatible change (and in the schema). */
export const ADDRESS_REPORT_VERSION = 1;

/** What the address report reads from a stack's constructs (built by the `siit-dc` command and the testing kit). */
export interface AddressReportInput {
  /** The stack's name. */
  readonly stack: string;
  /** Each Ipv6OnlyVpc of the stack: construct path and address plan. */
  readonly vpcs: readonly VpcReportInput[];
  /** Each SiitDcTranslators of the stack: path, its VPC's path, its plan and the services' DNS names. */
  readonly translatorSets: readonly TranslatorSetReportInput[];
  /** Each OutboundNat64: path, its VPC's path, plan and provider (`nat-gateway` or `jool-instance`). */
  readonly nat64s: readonly Nat64ReportInput[];
}

/** One Ipv6OnlyVpc, as the address report reads it. */
export interface VpcReportInput {
  /** The VPC construct's path, e.g. `prod/Net`. */
  readonly path: string;
  /** Its address plan. */
  readonly plan: VpcAddressPlan;
}

/** One SiitDcTranslators, as the address report reads it. */
export interface TranslatorSetReportInput {
  /** The translator set construct's path, e.g. `prod/Edge`. */
  readonly path: string;
  /** The construct path of the VPC the set lives in. */
  readonly vpc: string;
  /** Its translation plan (translators, services, public addresses). */
  readonly plan: TranslationPlan;
  /**
   * DNS record names of each service, by service name: the names as written, `(set at apply)` for
   * a name that is a token. A service missing from the map is reported with no DNS names.
   */
  readonly dnsNames: ReadonlyMap<string, readonly string[]>;
}

/** One OutboundNat64, as the address report reads it. */
export interface Nat64ReportInput {
  /** The NAT64 construct's path, e.g. `prod/Outbound`. */
  readonly path: string;
  /** The construct path of the VPC it serves. */
  readonly vpc: string;
  /** Its plan (prefix, devices and the zones each serves). */
  readonly plan: Nat64Plan;
  /** `nat-gateway` (AWS NAT gateways) or `jool-instance` (Jool NAT64 instances). */
  readonly provider: string;
}

/** An address or prefix: its value and, when it depends on a prefix known only at apply, its expression. */
export interface ReportValue {
  /** The address or prefix (a documentation stand-in when `documentation`). */
  readonly value: string;
  /** True when `value` uses a documentation stand-in (the deployed value differs). */
  readonly documentation: boolean;
  /**
   * The Terraform expression, references by name (only for documentation values), e.g.
   * `cidrsubnet(prod/Net/ipv6, 8, 0)`.
   * @default - absent when `value` is literal (`documentation` false)
   */
  readonly expression?: string;
}

/**
 * The address plan of one stack as data (`siit-dc report --json`, the testing kit's
 * `addressPlanSnapshot`); its layout is address-report.schema.json, version ADDRESS_REPORT_VERSION.
 */
export interface AddressReport {
  /** Layout version (ADDRESS_REPORT_VERSION). */
  readonly version: number;
  /** The stack's name. */
  readonly stack: string;
  /** Prefix references known only at apply, and the documentation prefix each is shown as; empty when every prefix is literal. */
  readonly documentation: readonly DocumentationPrefix[];
  /** Per VPC: path, IPv4 and IPv6 blocks, subnets. */
  readonly vpcs: readonly VpcReport[];
  /** Per translator set: its translators with their /96 and EAM entries, its services with their addresses, its reserved addresses. */
  readonly translatorSets: readonly TranslatorSetReport[];
  /** Per outbound NAT64: provider, prefix and which zones each device serves. */
  readonly nat64s: readonly Nat64Report[];
}

/** A prefix known only at apply, and the documentation prefix (RFC 3849) the report shows in its place. */
export interface DocumentationPrefix {
  /** The reference's name as expressions use it, e.g. `prod/Net/ipv6` (the VPC's Amazon-provided /56). */
  readonly reference: string;
  /** Its stand-in inside 2001:db8::/32, of the reference's length, e.g. `2001:db8:100::/56`. */
  readonly prefix: string;
}

/** One VPC of the address plan. */
export interface VpcReport {
  /** The VPC construct's path, e.g. `prod/Net`. */
  readonly path: string;
  /** The VPC's IPv4 block, e.g. `10.0.0.0/16` (always literal). */
  readonly ipv4Cidr: string;
  /** The VPC's IPv6 /56 (a documentation stand-in when Amazon provides it at apply). */
  readonly ipv6Cidr: ReportValue;
  /** Its subnets, one per tier and zone, tier by tier (edge first). */
  readonly subnets: readonly SubnetReport[];
}

/** One subnet (tier x zone) of a VPC. */
export interface SubnetReport {
  /** `<tier>-<zone>`, e.g. `edge-eu-north-1a`. */
  readonly name: string;
  /** The tier's name: `edge`, or a server tier's name. */
  readonly tier: string;
  /** `edge` (dual-stack: translators, NAT) or `server` (IPv6-only). */
  readonly kind: "edge" | "server";
  /** The zone's name, e.g. `eu-north-1a`. */
  readonly zone: string;
  /**
   * The subnet's IPv4 block, e.g. `10.0.0.0/20`; only edge subnets have one.
   * @default - absent for IPv6-only (server) subnets
   */
  readonly ipv4?: string;
  /** The subnet's /64. */
  readonly ipv6: ReportValue;
}

/** One translator set (SiitDcTranslators) of the address plan. */
export interface TranslatorSetReport {
  /** The translator set construct's path, e.g. `prod/Edge`. */
  readonly path: string;
  /** The construct path of its VPC. */
  readonly vpc: string;
  /** The set's /48 that every translator's /96 is carved from, e.g. `64:ff9b:1::/48`. */
  readonly translationPrefix: string;
  /** Its translators, in plan order. */
  readonly translators: readonly TranslatorReport[];
  /** Its published services, in plan order. */
  readonly services: readonly ServiceReport[];
  /** Declared public addresses no service uses (allocated and billed until their declaration goes); empty when there are none. */
  readonly reservedAddresses: readonly ReservedAddressReport[];
  /** Its service teams and the IPv4 prefixes each has on every translator interface; absent when it has none. */
  readonly teams?: readonly TeamReport[];
}

/** A service team of a translator set: its numbers, and the prefixes delegated to the translators for them. */
export interface TeamReport {
  /** The team's name. */
  readonly name: string;
  /** Its service numbers, e.g. `64-79`. */
  readonly numbers: string;
  /** Each translator's prefixes for the team (edge host 64 + number). */
  readonly prefixes: readonly TeamPrefixesReport[];
}

/** A team's prefixes on one translator's interface. */
export interface TeamPrefixesReport {
  /** The translator's id, e.g. `a0`. */
  readonly translator: string;
  /** The IPv4 prefixes delegated to its interface for the team, e.g. `["10.0.0.128/28"]`. */
  readonly prefixes: readonly string[];
}

/** One translator and what its Jool file holds. */
export interface TranslatorReport {
  /** Stable short id: zone letter + ordinal, e.g. `a0`. */
  readonly id: string;
  /** The zone's name, e.g. `eu-north-1a`. */
  readonly zone: string;
  /** The translator's pool6, its own /96, e.g. `64:ff9b:1::/96`. */
  readonly prefix: string;
  /** Primary private IPv4 of its interface in the edge subnet, e.g. `10.0.0.10`. */
  readonly primaryIpv4: string;
  /** IPv6 address of its interface. */
  readonly ipv6: ReportValue;
  /** The EAM entries of its Jool file: one per service address on this translator; empty when it carries no service. */
  readonly eam: readonly EamReport[];
  /** IPv4 prefixes its pool6 must not translate (the VPC's IPv4 block, against loops), e.g. `["10.0.0.0/16"]`. */
  readonly denylist4: readonly string[];
}

/** One EAM entry (RFC 7757) of a translator: a service address mapped to its server. */
export interface EamReport {
  /** The service's name. */
  readonly service: string;
  /** The service address's private IPv4 as a /32, e.g. `10.0.0.65/32`. */
  readonly ipv4: string;
  /**
   * The service's IPv6 target as a /128 (`value`, e.g. `2001:db8:100:10::10/128`); `expression`
   * is the target address's expression.
   */
  readonly ipv6: ReportValue;
}

/** One published service and its addresses. */
export interface ServiceReport {
  /** The service name (a DNS label). */
  readonly name: string;
  /** The service number (1 or more): fixes its private IPv4 (edge host 64 + number) in every zone. */
  readonly number: number;
  /** The server's IPv6 address the EAM entries map to. */
  readonly target: ReportValue;
  /** Published ports, e.g. `tcp/443`, `udp/1000-2000`, `icmp/echo`. */
  readonly ports: readonly string[];
  /** Names of its DNS records as written (`(set at apply)` for a token); empty when it has none. */
  readonly dnsNames: readonly string[];
  /** Its addresses, one per translator that carries it. */
  readonly addresses: readonly ServiceAddressReport[];
}

/** One address of a service: a public IPv4 slot on one translator. */
export interface ServiceAddressReport {
  /**
   * The EIP's slot, `<address id>/<translator id>`: the declared public address id when the set
   * declares `publicAddresses` (e.g. `www/a0`), else the service number (e.g. `1/a0`).
   */
  readonly slot: string;
  /** The id of the translator that carries it, e.g. `a0`. */
  readonly translator: string;
  /** That translator's zone, e.g. `eu-north-1a`. */
  readonly zone: string;
  /** The secondary private IPv4 on the translator's interface that the EIP maps to, e.g. `10.0.0.65`. */
  readonly privateIpv4: string;
  /** That translator's /96, e.g. `64:ff9b:1::/96`. */
  readonly prefix: string;
  /** Whether the EIP carries Terraform `prevent_destroy` (false for an address that is not declared). */
  readonly preventDestroy: boolean;
}

/** A declared public address that no service uses: allocated, unassociated and billed. */
export interface ReservedAddressReport {
  /** The EIP's slot, `<address id>/<translator id>`, e.g. `old-api/a0`. */
  readonly slot: string;
  /** The service number it is declared for (no service of that number is on this translator). */
  readonly number: number;
  /** The id of the translator that holds it, e.g. `a0`. */
  readonly translator: string;
}

/** One outbound NAT64 (OutboundNat64) of the address plan. */
export interface Nat64Report {
  /** The NAT64 construct's path, e.g. `prod/Outbound`. */
  readonly path: string;
  /** The construct path of the VPC it serves. */
  readonly vpc: string;
  /** `nat-gateway` (AWS NAT gateways) or `jool-instance` (Jool NAT64 instances). */
  readonly provider: string;
  /** Its prefix, always `64:ff9b::/96` (the only one AWS DNS64 synthesizes). */
  readonly prefix: string;
  /** Its devices: one per zone, or one serving every zone. */
  readonly devices: readonly Nat64DeviceReport[];
}

/** One NAT64 device (a NAT gateway or a Jool instance). */
export interface Nat64DeviceReport {
  /** The zone it lives in, e.g. `eu-north-1a`. */
  readonly zone: string;
  /** The zones whose server route tables send 64:ff9b::/96 to it. */
  readonly serves: readonly string[];
}

/** The address plan of a stack as data. */
export function addressReport(input: AddressReportInput): AddressReport {
  const refs: PrefixReference[] = [
    ...input.vpcs.flatMap((v) => v.plan.ipv6Cidr.references()),
    ...input.translatorSets.flatMap((s) => s.plan.services.flatMap((x) => x.target.references())),
  ];
  const bindings = documentationBindings(refs);
  const value = (v: { resolve(b: PrefixBindings): Ipv6Prefix | { toString(): string }; references(): PrefixReference[]; toString(): string }): ReportValue =>
    v.references().length ? { value: v.resolve(bindings).toString(), documentation: true, expression: v.toString() } : { value: v.resolve(bindings).toString(), documentation: false };
  const address = (a: SymbolicIpv6Address) => value(a);
  return {
    version: ADDRESS_REPORT_VERSION,
    stack: input.stack,
    documentation: [...bindings].map(([reference, prefix]) => ({ reference, prefix: prefix.toString() })),
    vpcs: input.vpcs.map((v) => ({
      path: v.path,
      ipv4Cidr: v.plan.ipv4Cidr.toString(),
      ipv6Cidr: value(v.plan.ipv6Cidr),
      subnets: v.plan.subnets.map((s) => ({
        name: `${s.tier.name}-${s.zone.name}`,
        tier: s.tier.name,
        kind: s.tier.kind,
        zone: s.zone.name,
        ...(s.ipv4 ? { ipv4: s.ipv4.toString() } : {}),
        ipv6: value(s.ipv6),
      })),
    })),
    translatorSets: input.translatorSets.map((set) => {
      const plan = set.plan;
      return {
        path: set.path,
        vpc: set.vpc,
        translationPrefix: plan.home.toString(),
        translators: plan.translators.map((t) => ({
          id: t.id,
          zone: t.zone.name,
          prefix: t.prefix.toString(),
          primaryIpv4: t.primaryIpv4.toString(),
          ipv6: address(t.ipv6),
          eam: plan.addressesOn(t).map(({ service, address: a }) => ({ service: service.name, ipv4: `${a.privateIpv4}/32`, ipv6: { ...address(service.target), value: `${service.target.resolve(bindings)}/128` } })),
          denylist4: plan.joolConfig(t, (a) => a.resolve(bindings).toString()).denylist4 ?? [],
        })),
        services: plan.services.map((s) => ({
          name: s.name,
          number: s.number,
          target: address(s.target),
          ports: s.ports.map(String),
          dnsNames: [...(set.dnsNames.get(s.name) ?? [])],
          addresses: s.addresses.map((a) => {
            const slot = plan.publicAddressOf(s, a);
            return { slot: `${slot.id}/${a.translator.id}`, translator: a.translator.id, zone: a.translator.zone.name, privateIpv4: a.privateIpv4.toString(), prefix: a.translator.prefix.toString(), preventDestroy: slot.preventDestroy };
          }),
        })),
        reservedAddresses: plan.reservedAddresses().map((r) => ({ slot: `${r.id}/${r.translator.id}`, number: r.number, translator: r.translator.id })),
        ...(plan.teams.length
          ? { teams: plan.teams.map((team) => ({ name: team.name, numbers: `${team.firstNumber}-${team.lastNumber}`, prefixes: plan.translators.map((t) => ({ translator: t.id, prefixes: plan.teamRangesOn(t).find((r) => r.team === team.name)!.ipv4 })) })) }
          : {}),
      };
    }),
    nat64s: input.nat64s.map((n) => ({
      path: n.path,
      vpc: n.vpc,
      provider: n.provider,
      prefix: n.plan.prefix.toString(),
      devices: n.plan.nodes.map((d) => ({ zone: d.zone.name, serves: d.serves.map((z) => z.name) })),
    })),
  };
}

const shown = (v: ReportValue) => (v.documentation ? `${v.value} (doc.)` : v.value);

/** The address plan as Markdown, from its data (so both forms always agree). */
export function renderAddressReport(r: AddressReport): string {
  const lines = [`# Address plan: stack ${r.stack}`, ""];
  if (r.documentation.length) {
    lines.push("Prefixes known only at apply time are shown with documentation stand-ins (RFC 3849), marked (doc.):", "");
    for (const d of r.documentation) lines.push(`- \`${d.reference}\` = ${d.prefix}`);
    lines.push("");
  } else lines.push("Every prefix is literal: the values below are the deployed ones.", "");
  lines.push("Public IPv4 addresses are allocated by AWS at apply; each is named by its slot (address id / translator).", "");
  for (const v of r.vpcs) {
    lines.push(`## VPC ${v.path}`, "", `IPv4 ${v.ipv4Cidr}, IPv6 ${shown(v.ipv6Cidr)}${v.ipv6Cidr.expression ? ` = \`${v.ipv6Cidr.expression}\`` : ""}`, "");
    lines.push("| subnet | kind | zone | IPv4 | IPv6 |", "|---|---|---|---|---|");
    for (const s of v.subnets) lines.push(`| ${s.name} | ${s.kind} | ${s.zone} | ${s.ipv4 ?? "(IPv6-only)"} | ${shown(s.ipv6)} |`);
    lines.push("");
  }
  for (const set of r.translatorSets) {
    lines.push(`## Translator set ${set.path}`, "", `Translation prefixes carved from ${set.translationPrefix}; VPC ${set.vpc}.`, "");
    lines.push("### Services", "", "| service | number | public address slot | translator | zone | private IPv4 | IPv6 target | /96 | ports | DNS |", "|---|---|---|---|---|---|---|---|---|---|");
    for (const s of set.services) {
      for (const a of s.addresses) {
        lines.push(`| ${s.name} | ${s.number} | ${a.slot}${a.preventDestroy ? " (prevent_destroy)" : ""} | ${a.translator} | ${a.zone} | ${a.privateIpv4} | ${shown(s.target)} | ${a.prefix} | ${s.ports.join(", ")} | ${s.dnsNames.join(", ") || "-"} |`);
      }
    }
    if (set.reservedAddresses.length) lines.push("", `Reserved (declared, used by no service, still billed): ${set.reservedAddresses.map((a) => `${a.slot} (number ${a.number})`).join(", ")}.`);
    if (set.teams?.length) lines.push("", `Teams (prefixes delegated to every translator interface): ${set.teams.map((t) => `${t.name}, numbers ${t.numbers} (${t.prefixes.map((p) => `${p.translator} ${p.prefixes.join(", ")}`).join("; ")})`).join("; ")}.`);
    lines.push("", "### Translators", "");
    for (const t of set.translators) {
      lines.push(`#### ${t.id} (${t.zone}): pool6 ${t.prefix}, interface ${t.primaryIpv4} / ${shown(t.ipv6)}`, "");
      if (t.eam.length === 0) lines.push("No EAM entries (carries no service).");
      else {
        lines.push("| EAM IPv4 | EAM IPv6 | service |", "|---|---|---|");
        for (const e of t.eam) lines.push(`| ${e.ipv4} | ${shown(e.ipv6)} | ${e.service} |`);
      }
      lines.push("", `denylist4: ${t.denylist4.join(", ")}`, "");
    }
  }
  for (const n of r.nat64s) {
    lines.push(`## Outbound NAT64 ${n.path}`, "", `${n.provider} on ${n.prefix} (DNS64); ${n.devices.map((d) => `${d.zone} serves ${d.serves.join(", ")}`).join("; ")}.`, "");
  }
  return lines.join("\n");
}
