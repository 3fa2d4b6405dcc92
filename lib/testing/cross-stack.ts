import { TerraformJson } from "../plan/policy/stack-view";

type Section = Record<string, Record<string, Record<string, unknown>>>;

/**
 * A team's stack and its platform's stack of one app as one Terraform JSON, to read what crosses
 * them (a team's EIP associated on the platform's interface, its rules in the group the platform
 * made): every reference to the platform's remote state, cdktf's cross-stack outputs
 * (`data.terraform_remote_state.cross-stack-reference-input-<platform>.outputs.<output>`),
 * becomes the expression of that output in the platform's stack, and the two stacks' resources
 * and data sources stand side by side. An address both stacks use is an error: one would hide
 * the other.
 */
export function joinedWithPlatform(team: TerraformJson, platform: TerraformJson, platformStack: string): TerraformJson {
  const outputs = (platform.output ?? {}) as Record<string, { value?: unknown }>;
  const escaped = platformStack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const reference = new RegExp(`data\\.terraform_remote_state\\.cross-stack-reference-input-${escaped}\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
  const whole = new RegExp(`^\\$\\{${reference.source}\\}$`);
  const expression = (name: string, match: string): string => {
    const value = outputs[name]?.value;
    if (typeof value !== "string") return match;
    const inner = /^\$\{(.*)\}$/s.exec(value);
    return inner ? inner[1] : JSON.stringify(value);
  };
  const rewrite = (value: unknown): unknown => {
    if (typeof value === "string") {
      // A whole-string reference to a literal output is that literal.
      const literal = outputs[whole.exec(value)?.[1] ?? ""]?.value;
      if (typeof literal === "string" && !/^\$\{.*\}$/s.test(literal)) return literal;
      return value.replace(reference, (match, name: string) => expression(name, match));
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  const merge = (kind: "resource" | "data"): Section => {
    const out: Section = {};
    for (const section of [platform[kind], rewrite(team[kind] ?? {}) as Section]) {
      for (const [type, byName] of Object.entries(section ?? {})) {
        for (const [name, config] of Object.entries(byName)) {
          if (out[type]?.[name]) throw new Error(`the team's stack and the platform's stack ${platformStack} both hold ${kind === "data" ? "data." : ""}${type}.${name}: give one of the constructs another id to read them together`);
          (out[type] ??= {})[name] = config;
        }
      }
    }
    return out;
  };
  return { resource: merge("resource"), data: merge("data") };
}
