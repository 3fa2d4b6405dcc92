import { AddressReport } from "./address-report";

/**
 * What moved between two address plans of one stack (`siit-dc report --json`, or the plan that
 * `siit-dc synth` keeps beside each stack): the comparison behind the testing kit's
 * `addressChanges` and the synth command's warnings about a change against the previous synth.
 */

/** One difference between two address plans. */
export interface AddressChange {
  /**
   * `interface`: a translator's interface gets another primary IPv4 (the VPC IPv4 block or
   * `firstHostIndex` changed), so Terraform replaces it, and with it every association on it;
   * `service`: an address or the target of a service present in both plans changed;
   * `team`: a team of the set went, or its prefixes on a translator changed, so they are
   * unassigned from the interface and every EIP the team's stack associates in them with it
   * (when the set's last teams go, the provider keeps the prefixes, and the services stop).
   */
  readonly kind: "interface" | "service" | "team";
  /** Construct path the change belongs to: the translator, or the translator set. */
  readonly path: string;
  /** What changed, e.g. `test/Edge service www in eu-north-1a: privateIpv4 10.0.0.65 -> 10.1.0.65`. */
  readonly message: string;
}

/**
 * The changes from `previous` to `current`: translators of a set present in both whose primary
 * IPv4 moved (their interfaces are replaced), then, for every service present in both (same set,
 * same name), a public address slot, translator, private IPv4 or /96 that moved, an address that
 * went away, or an IPv6 target that changed; and every team that went, or whose prefixes on a
 * translator changed. Sets and services only one plan has are not listed.
 */
export function addressReportChanges(previous: AddressReport, current: AddressReport): AddressChange[] {
  const changes: AddressChange[] = [];
  for (const before of previous.translatorSets) {
    const after = current.translatorSets.find((s) => s.path === before.path);
    if (!after) continue;
    for (const t of before.translators) {
      const now = after.translators.find((x) => x.id === t.id);
      if (now && now.primaryIpv4 !== t.primaryIpv4) {
        changes.push({
          kind: "interface",
          path: `${before.path}/Translator-${t.id}`,
          message: `${before.path} translator ${t.id}: primary IPv4 ${t.primaryIpv4} -> ${now.primaryIpv4}, so its interface is replaced and every EIP association on it is re-created (the EIPs stay)`,
        });
      }
    }
    for (const s of before.services) {
      const now = after.services.find((x) => x.name === s.name);
      if (!now) continue;
      const where = `${before.path} service ${s.name}`;
      const add = (message: string) => changes.push({ kind: "service", path: before.path, message });
      if (now.target.value !== s.target.value || now.target.expression !== s.target.expression) add(`${where}: IPv6 target ${s.target.value} -> ${now.target.value}`);
      for (const a of s.addresses) {
        const b = now.addresses.find((x) => x.zone === a.zone);
        if (!b) {
          add(`${where}: lost its address in ${a.zone} (slot ${a.slot}, ${a.privateIpv4})`);
          continue;
        }
        for (const k of ["slot", "translator", "privateIpv4", "prefix"] as const) if (a[k] !== b[k]) add(`${where} in ${a.zone}: ${k} ${a[k]} -> ${b[k]}`);
      }
    }
    // The platform's apply unassigns a team's prefixes the set no longer delegates, and EC2 takes
    // the team's EIP associations in them along; only the team's stack can release those first.
    // When no team remains, the configuration no longer sets ipv4_prefixes, which the provider
    // keeps (Optional and Computed; the apply tier's step R): the associations stay, the service stops.
    const noTeamLeft = (after.teams ?? []).length === 0;
    for (const team of before.teams ?? []) {
      const now = after.teams?.find((x) => x.name === team.name);
      const path = `${before.path}/Team-${team.name}`;
      const fix = `destroy team ${team.name}'s stack first (or move its services to the new numbers), so that it releases or disassociates its addresses itself`;
      if (!now && noTeamLeft) {
        changes.push({
          kind: "team",
          path,
          message:
            `${before.path} team ${team.name} (numbers ${team.numbers}) is no longer a team of the set, and no team is left: the AWS provider keeps the prefixes on the translator interfaces (it keeps an ipv4_prefixes the configuration no longer sets), ` +
            `so the EIPs its stack associates there stay associated, but its security group leaves the interfaces and the translators stop carrying its services; ${fix}`,
        });
        continue;
      }
      if (!now) {
        changes.push({ kind: "team", path, message: `${before.path} team ${team.name} (numbers ${team.numbers}) is no longer a team of the set: its prefixes are unassigned from every translator interface, and every EIP its stack associates there is disassociated; ${fix}` });
        continue;
      }
      for (const p of team.prefixes) {
        const moved = now.prefixes.find((x) => x.translator === p.translator);
        if (moved && moved.prefixes.join(",") === p.prefixes.join(",")) continue;
        changes.push({ kind: "team", path, message: `${before.path} team ${team.name} on translator ${p.translator}: prefixes ${p.prefixes.join(", ")} -> ${moved ? moved.prefixes.join(", ") : "none"}, so the old ones are unassigned and every EIP its stack associates there is disassociated; ${fix}` });
      }
    }
  }
  return changes;
}
