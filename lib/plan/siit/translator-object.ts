import { SymbolicIpv6Address } from "../address/symbolic";
import { nodeConfigBundleText } from "../jool/bundle";
import { teamFragmentText } from "../jool/fragments";
import { renderTranslatorFilter } from "./translator-filter";
import { TranslationPlan, TranslatorPlan } from "./translation-plan";

/**
 * A translator's configuration object, as its set's stack writes it to the config store: the
 * platform's Jool file and per-address filter, and with teams the fragments part (the teams'
 * ranges on the translator) that tells the config agent what to merge. `render` writes each
 * plan address (Terraform interpolations in a stack, literals in the lab).
 */
export function translatorObjectText(plan: TranslationPlan, translator: TranslatorPlan, render: (address: SymbolicIpv6Address) => string): string {
  const fragments = plan.teams.length ? { translator: translator.id, vpcIpv4: plan.vpcIpv4Cidr.toString(), teams: plan.teamRangesOn(translator) } : undefined;
  return nodeConfigBundleText(plan.joolConfig(translator, render), renderTranslatorFilter(plan, translator), fragments);
}

/** A team's fragment for one translator, as the team's stack writes it beside the translator's object. */
export function teamFragmentObjectText(teamPlan: TranslationPlan, translator: TranslatorPlan, render: (address: SymbolicIpv6Address) => string): string {
  const team = teamPlan.team;
  if (!team) throw new Error("internal: teamFragmentObjectText() takes a team's plan");
  return teamFragmentText(team.name, translator.id, teamPlan.fragmentAddresses(translator, render));
}
