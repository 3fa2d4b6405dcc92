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

export interface AddressReportInput {
  /** The stack's name. */
  readonly stack: string;
  /** Each Ipv6OnlyVpc of the stack: construct path and address plan. */
  readonly vpcs: readonly { readonly path: string; readonly plan: VpcAddressPlan }[];
  /** Each SiitDcTranslators of the stack: path, its VPC's path, its plan and the services' DNS names. */
  readonly translatorSets: readonly {
    readonly path: string;
    readonly vpc: string;
    readonly plan: TranslationPlan;
    /** DNS record names of each service, by service name. */
    readonly dnsNames: ReadonlyMap<string, readonly string[]>;
  }[];
  /** Each OutboundNat64: path, its VPC's path, plan and provider (`nat-gateway` or `jool-instance`). */
  readonly nat64s: readonly { readonly path: string; readonly vpc: string; readonly plan: Nat64Plan; readonly provider: string }[];
}

/** An address or prefix: its value and, when it depends on a prefix known only at apply, its expression. */
export interface ReportValue {
  /** The address or prefix (a documentation stand-in when `documentation`). */
  readonly value: string;
  /** True when `value` uses a documentation stand-in (the deployed value differs). */
  readonly documentation: boolean;
  /** The Terraform expression, references by name (only for documentation values). */
  readonly expression?: string;
}

export interface AddressReport {
  /** Layout version (ADDRESS_REPORT_VERSION). */
  readonly version: number;
  /** The stack's name. */
  readonly stack: string;
  /** Prefix references known only at apply, and the documentation prefix each is shown as. */
  readonly documentation: readonly { readonly reference: string; readonly prefix: string }[];
  /** Per VPC: path, IPv4 and IPv6 blocks, subnets. */
  readonly vpcs: readonly {
    readonly path: string;
    readonly ipv4Cidr: string;
    readonly ipv6Cidr: ReportValue;
    readonly subnets: readonly { readonly name: string; readonly tier: string; readonly kind: "edge" | "server"; readonly zone: string; readonly ipv4?: string; readonly ipv6: ReportValue }[];
  }[];
  /** Per translator set: its translators with their /96 and EAM entries, its services with their addresses, its reserved addresses. */
  readonly translatorSets: readonly {
    readonly path: string;
    readonly vpc: string;
    readonly translationPrefix: string;
    readonly translators: readonly {
      readonly id: string;
      readonly zone: string;
      readonly prefix: string;
      readonly primaryIpv4: string;
      readonly ipv6: ReportValue;
      readonly eam: readonly { readonly service: string; readonly ipv4: string; readonly ipv6: ReportValue }[];
      readonly denylist4: readonly string[];
    }[];
    readonly services: readonly {
      readonly name: string;
      readonly number: number;
      readonly target: ReportValue;
      readonly ports: readonly string[];
      readonly dnsNames: readonly string[];
      readonly addresses: readonly { readonly slot: string; readonly translator: string; readonly zone: string; readonly privateIpv4: string; readonly prefix: string; readonly preventDestroy: boolean }[];
    }[];
    readonly reservedAddresses: readonly { readonly slot: string; readonly number: number; readonly translator: string }[];
  }[];
  /** Per outbound NAT64: provider, prefix and which zones each device serves. */
  readonly nat64s: readonly {
    readonly path: string;
    readonly vpc: string;
    readonly provider: string;
    readonly prefix: string;
    readonly devices: readonly { readonly zone: string; readonly serves: readonly string[] }[];
  }[];
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
