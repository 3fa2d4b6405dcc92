import { Ipv4Address } from "../address/ip";
import { documentationBindings } from "../address/symbolic";
import { VpcAddressPlan } from "../address/vpc-plan";
import { TranslationPlan } from "../siit/translation-plan";
import { SERVER_EPHEMERAL_PORTS } from "../siit/translator-filter";

/** A documentation IPv4 client (RFC 5737) used to show the pool6 mapping. */
// 198.51.100.7 (RFC 5737 TEST-NET-2), as a number: importing the library parses nothing.
const EXAMPLE_CLIENT = Ipv4Address.fromBigInt(0xc6336407n);

/**
 * Markdown that follows one IPv4 client's packets to each published service and back: EIP, 1:1 NAT
 * at the internet gateway, EAM entry, pool6 mapping of the client, security group, the route that
 * sends the reply to the same translator, and the reverse translation. Prefixes known only at
 * apply time are shown with documentation stand-ins, and the binding is stated.
 */
export function renderPathReport(path: string, vpc: VpcAddressPlan, plan: TranslationPlan): string {
  const refs = [...vpc.ipv6Cidr.references(), ...plan.services.flatMap((s) => s.target.references())];
  const bindings = documentationBindings(refs);
  const lines: string[] = [`# SIIT-DC packet paths: ${path}`, ""];
  if (bindings.size) {
    lines.push("Prefixes known only at apply time are shown with documentation stand-ins:", "");
    for (const [name, prefix] of bindings) lines.push(`- \`${name}\` = ${prefix}`);
    lines.push("");
  }
  lines.push("## Translators", "", "| translator | zone | pool6 (own /96) | interface IPv4 | interface IPv6 | service addresses |", "|---|---|---|---|---|---|");
  for (const t of plan.translators) {
    lines.push(`| ${t.id} | ${t.zone.name} | ${t.prefix} | ${t.primaryIpv4} | ${t.ipv6.resolve(bindings)} | ${plan.addressesOn(t).length} |`);
  }
  lines.push("", `Every server route table routes each translator's /96 to that translator's interface; denylist4 on every translator: ${vpc.ipv4Cidr} except that translator's own EAM addresses (hairpinning).`, "");

  for (const s of plan.services) {
    const server = s.target.resolve(bindings);
    const subnet = vpc.subnets.find((x) => x.tier.kind === "server" && x.ipv6.resolve(bindings).contains(server));
    lines.push(`## Service ${s.name} (number ${s.number}): ${s.ports.map(String).join(", ")}`, "");
    lines.push(`Server ${server}${s.target.literal ? "" : ` (\`${s.target}\`)`}${subnet ? ` in subnet ${subnet.tier.name}-${subnet.zone.name}` : " (outside the VPC's server subnets)"}.`, "");
    for (const a of s.addresses) {
      const t = a.translator;
      const client6 = t.prefix.embedIpv4(EXAMPLE_CLIENT);
      lines.push(
        `### Address in ${t.zone.name}, translator ${t.id}`,
        "",
        `1. IPv4 client ${EXAMPLE_CLIENT} sends to the service's EIP in ${t.zone.name}; the internet gateway maps it 1:1 to ${a.privateIpv4}, a secondary address of translator ${t.id}'s interface (not configured in its OS).`,
        `2. The translator security group admits ${s.ports.map(String).join(", ")} from 0.0.0.0/0 (with every other service's ports: a group cannot match the destination); translator ${t.id}'s own filter, ahead of Jool, passes ${a.privateIpv4} only on ${s.ports.map(String).join(", ")}${s.outboundIpv4 ? ` and replies to the server's own connections (outboundIpv4, to ports ${SERVER_EPHEMERAL_PORTS})` : ""}, plus ICMP errors.`,
        `3. Jool on ${t.id}: destination ${a.privateIpv4} → EAM → ${server}; source ${EXAMPLE_CLIENT} → pool6 ${t.prefix} → ${client6}.`,
        s.serverSecurityGroup
          ? `4. The server's own security group (${s.serverSecurityGroup}) admits ${s.ports.map(String).join(", ")} from the translator prefix list (which holds ${t.prefix}), and no other port.`
          : `4. The server is not in a fleet of this library: its own security group must admit ${s.ports.map(String).join(", ")} from ${t.prefix}.`,
        `5. The reply to ${client6} matches the route ${t.prefix} → translator ${t.id}'s interface in the server route table${subnet ? ` of ${subnet.tier.name}-${subnet.zone.name}` : "s"}: it returns through the same translator.`,
        `6. The translator security group admits IPv6 from the server subnets; Jool maps source ${server} → ${a.privateIpv4} (EAM) and destination ${client6} → ${EXAMPLE_CLIENT} (pool6); the internet gateway maps ${a.privateIpv4} back to the EIP.`,
        "",
      );
    }
  }
  return lines.join("\n");
}
