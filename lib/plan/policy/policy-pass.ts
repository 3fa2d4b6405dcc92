import { Finding, POLICY_RULES, PolicyRule } from "./rules";
import { StackView, TerraformJson } from "./stack-view";

/**
 * The policy pass: a pure function over one synthesized stack (cdk.tf.json). It runs every rule
 * and returns the findings sorted by rule, then resource. Nothing is silenced: the design's
 * deliberate exceptions are part of the rules (see each rule's `exceptions`), not a filter here.
 */
export function checkStack(json: TerraformJson, rules: readonly PolicyRule[] = POLICY_RULES): Finding[] {
  const stack = new StackView(json);
  const order = new Map(rules.map((r, i) => [r.id, i]));
  return rules
    .flatMap((rule) => rule.check(stack))
    .sort((a, b) => order.get(a.rule)! - order.get(b.rule)! || a.resource.localeCompare(b.resource) || a.why.localeCompare(b.why));
}

/** One line per finding: `RULE resource: why. Fix: fix`. */
export function formatFinding(f: Finding): string {
  return `${f.rule} ${f.resource}: ${f.why}. Fix: ${f.fix}`;
}

/** The rules as a Markdown table (id, what, equivalents, exceptions), for docs/constructs.md and --rules. */
export function rulesTable(rules: readonly PolicyRule[] = POLICY_RULES): string {
  const rows = rules.map((r) => `| \`${r.id}\` | ${r.title} | ${r.equivalents.join(", ") || "—"} | ${r.exceptions.join(" ") || "—"} |`);
  return ["| rule | checks | equivalent of | deliberate exceptions |", "|---|---|---|---|", ...rows].join("\n");
}

export type { Finding, PolicyRule } from "./rules";
export { POLICY_RULES } from "./rules";
export type { TerraformJson } from "./stack-view";
