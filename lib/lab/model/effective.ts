import { Ipv4Prefix } from "../../plan/address/ip";
import { SymbolicIpv6Address } from "../../plan/address/symbolic";
import { SiitConfig } from "../../plan/jool/config";
import { denylist4, eamEntry, ServiceAddressPlan, ServicePlan, TranslatorPlan } from "../../plan/siit/translation-plan";
import { CannotEmulate, LabTranslatorSetInput } from "./input";

/**
 * A translator set's effective configuration: the platform's plan plus each team's side of it,
 * merged as the translators' config agent merges the team fragments with the platform's object
 * (EAM entries of every team's addresses; `denylist4` is the VPC block without every merged
 * address; the per-address filter covers every merged address). Built from the plans directly,
 * so the lab does not depend on the agent. Without teams it is the platform's plan unchanged.
 */
export class EffectiveSetPlan {
  /** Every service: the platform's in plan order, then each team's. */
  readonly services: readonly ServicePlan[];
  /** What cannot be merged (a second service of one name, an address twice, an unknown translator). */
  readonly problems: readonly CannotEmulate[];
  private readonly teamOf = new Map<ServicePlan, string>();

  constructor(
    readonly set: LabTranslatorSetInput,
    private readonly vpcIpv4: Ipv4Prefix,
  ) {
    const problems: CannotEmulate[] = [];
    const services = [...set.plan.services];
    const ids = new Set(set.plan.translators.map((t) => t.id));
    for (const team of set.teams ?? []) {
      for (const t of team.plan.translators) {
        if (!ids.has(t.id)) problems.push({ subject: `${team.path}: translator ${t.id}`, reason: `is not a translator of ${set.path}` });
      }
      for (const s of team.plan.services) {
        const same = services.find((x) => x.name === s.name);
        if (same) problems.push({ subject: `${team.path}: service ${s.name}`, reason: `has the name of a service of ${this.teamOf.has(same) ? `team ${this.teamOf.get(same)}` : set.path}; the lab names services by name within a set` });
        this.teamOf.set(s, team.name);
        services.push(s);
      }
    }
    this.services = services;
    for (const t of set.plan.translators) {
      const seen = new Map<string, string>();
      for (const { service, address } of this.addressesOn(t)) {
        const key = address.privateIpv4.toString();
        const earlier = seen.get(key);
        if (earlier) problems.push({ subject: `translator ${t.id} of ${set.path}: ${key}`, reason: `is the address of ${earlier} and of ${service.name}: the merge refuses an address twice` });
        seen.set(key, service.name);
      }
    }
    this.problems = problems;
  }

  /** The addresses a translator carries after the merge, by service number. */
  addressesOn(translator: TranslatorPlan): { service: ServicePlan; address: ServiceAddressPlan }[] {
    const merged = [...this.set.plan.addressesOn(translator)];
    for (const team of this.set.teams ?? []) {
      const own = team.plan.translators.find((t) => t.id === translator.id);
      if (own) merged.push(...team.plan.addressesOn(own));
    }
    return merged.sort((a, b) => a.service.number - b.service.number);
  }

  /** Every service address (one EIP each), platform's first. */
  allAddresses(): { service: ServicePlan; address: ServiceAddressPlan }[] {
    return this.services.flatMap((service) => service.addresses.map((address) => ({ service, address })));
  }

  /** The translator's Jool file after the merge: the platform's globals, every merged EAM entry. */
  joolConfig(translator: TranslatorPlan, render: (address: SymbolicIpv6Address) => string): SiitConfig {
    const platform = this.set.plan.joolConfig(translator, render);
    if (!this.set.teams?.length) return platform;
    const carried = this.addressesOn(translator);
    return {
      ...platform,
      eamt: carried.map(({ service, address }) => eamEntry(service, address, render)),
      denylist4: denylist4(this.vpcIpv4, carried.map(({ address }) => address.privateIpv4)),
    };
  }
}
