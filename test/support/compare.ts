import { SynthesizedStack } from "./stacks";

export interface ResourceDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

/** Which resources (`type.name`) two synthesized stacks add, remove or configure differently. */
export function diffResources(before: SynthesizedStack, after: SynthesizedStack): ResourceDiff {
  const flat = (s: SynthesizedStack) => new Map(Object.entries(s.resource).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => [`${type}.${name}`, JSON.stringify(body)] as const)));
  const a = flat(before);
  const b = flat(after);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...a.keys()].filter((k) => b.has(k) && a.get(k) !== b.get(k)).sort(),
  };
}
