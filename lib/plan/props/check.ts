import { fail, Origin, ShownAs } from "../errors";

/**
 * Runtime checks of public props and method arguments. TypeScript checks types only at compile
 * time; constructs are also driven from plain JavaScript and from JSON, where a string arrives for
 * a list, `"4"` for 4, `NaN`, `null`, or a misspelt key. Every such input gets the library's one
 * error format (`fail`): construct path, property, the value as written, the problem, a fix.
 *
 * Rules are plain closures (no schema compiler to pay for at import time): each knows what it
 * expects, so a type error can say what to give instead.
 */

/** What a rule needs from the construct layer (the planning core knows nothing of tokens). */
export interface PropContext {
  /** Construct path, for messages. */
  readonly path: string;
  /** Whether `value` is (or contains) a token resolved only at apply time. */
  isToken(value: unknown): boolean;
  /** What a token stands for in Terraform (e.g. `${var.servers}`), for messages. */
  showToken(value: unknown): ShownAs;
}

export interface Rule {
  /** What the rule accepts, for messages: "a whole number", "a list of zone names". */
  readonly expected: string;
  /** An example of a valid value, for fixes. */
  readonly example?: string;
  check(value: unknown, property: string, ctx: PropContext): void;
}

/** A property of a props object; a bare Rule is optional. */
export interface PropSpec {
  readonly rule: Rule;
  readonly required: true;
}

export type Shape = Readonly<Record<string, Rule | PropSpec>>;

export function required(rule: Rule): PropSpec {
  return { rule, required: true };
}

const origin = (ctx: PropContext, property: string): Origin => ({ path: ctx.path, property });

function giveFix(rule: Rule): string {
  return rule.example ? `give ${rule.expected}, e.g. ${rule.example}` : `give ${rule.expected}`;
}

/** "a string", "NaN", "a list", "an instance of Port": how a wrong value is described. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "number":
      return Number.isNaN(value) ? "NaN" : "a number";
    case "string":
      return "a string";
    case "boolean":
      return "a boolean";
    case "function":
      return "a function";
    case "object": {
      const proto = Object.getPrototypeOf(value);
      return proto === null || proto === Object.prototype ? "an object" : `an instance of ${proto.constructor?.name ?? "a class"}`;
    }
    default:
      return `a ${typeof value}`;
  }
}

function wrongKind(rule: Rule, value: unknown, property: string, ctx: PropContext): never {
  if (value === null) fail(origin(ctx, property), value, `is null, not ${rule.expected}`, `${giveFix(rule)}, or leave ${property} out for its default`);
  const hint = typeof value === "string" && rule.expected.includes("number") && value.trim() !== "" && !Number.isNaN(Number(value)) ? " (a number in quotes)" : "";
  return fail(origin(ctx, property), value, `is ${kindOf(value)}${hint}, not ${rule.expected}`, giveFix(rule));
}

function refuseToken(value: unknown, property: string, ctx: PropContext, needs = "synth"): never {
  return fail(
    origin(ctx, property),
    ctx.showToken(value),
    `is a token resolved only at apply time, but the library needs it at ${needs} time`,
    "pass a literal value (a string or number written in the program, not a resource attribute or variable)",
  );
}

export interface StringOptions {
  readonly expected?: string;
  readonly example?: string;
  /** Pattern a literal must match, with the problem and fix when it does not. */
  readonly pattern?: RegExp;
  readonly patternProblem?: string;
  readonly patternFix?: string;
  readonly minLength?: number;
  /** Longest accepted value, with the limit's name (e.g. "AWS allows 255 characters"). */
  readonly maxLength?: number;
  readonly maxLengthReason?: string;
  /** Accept tokens (values Terraform resolves at apply), e.g. ids and ARNs. */
  readonly tokens?: boolean;
  /** Further checks on a literal. */
  readonly also?: (value: string, property: string, ctx: PropContext) => void;
}

export function str(options: StringOptions = {}): Rule {
  const rule: Rule = {
    expected: options.expected ?? "a string",
    example: options.example,
    check(value, property, ctx) {
      if (typeof value !== "string") wrongKind(rule, value, property, ctx);
      if (ctx.isToken(value)) {
        if (options.tokens) return;
        refuseToken(value, property, ctx);
      }
      const o = origin(ctx, property);
      if (value.length < (options.minLength ?? 1)) fail(o, value, "is empty", giveFix(rule));
      if (options.maxLength !== undefined && value.length > options.maxLength) {
        fail(o, value, `is ${value.length} characters long; ${options.maxLengthReason ?? `at most ${options.maxLength} are allowed`}`, `shorten it to ${options.maxLength} characters or fewer`);
      }
      if (options.pattern && !options.pattern.test(value)) fail(o, value, options.patternProblem ?? `is not ${rule.expected}`, options.patternFix ?? giveFix(rule));
      options.also?.(value, property, ctx);
    },
  };
  return rule;
}

/** One of a fixed set of literal strings (an enum written as text). */
export function oneOf(values: readonly string[], expected?: string): Rule {
  const list = values.map((v) => JSON.stringify(v)).join(", ");
  const rule: Rule = {
    expected: expected ?? `one of ${list}`,
    check(value, property, ctx) {
      if (typeof value !== "string") wrongKind(rule, value, property, ctx);
      if (ctx.isToken(value)) refuseToken(value, property, ctx);
      if (!values.includes(value)) {
        const near = values.find((v) => v.toLowerCase() === value.toLowerCase());
        fail(origin(ctx, property), value, near ? `is not one of ${list} (case matters)` : `is not one of ${list}`, near ? `write ${JSON.stringify(near)}` : `use one of ${list}`);
      }
    },
  };
  return rule;
}

export interface NumberOptions {
  readonly min?: number;
  readonly max?: number;
  /** Why the range is what it is, e.g. "EC2 accepts hop limits from 1 to 64". */
  readonly range?: string;
  readonly fix?: string;
  /** Whole numbers only (the default). */
  readonly integer?: boolean;
  readonly expected?: string;
}

export function int(options: NumberOptions = {}): Rule {
  return num({ integer: true, ...options });
}

export function num(options: NumberOptions = {}): Rule {
  const whole = options.integer ?? true;
  const bounds =
    options.min !== undefined && options.max !== undefined
      ? ` from ${fmt(options.min)} to ${fmt(options.max)}`
      : options.min !== undefined
        ? ` of at least ${fmt(options.min)}`
        : options.max !== undefined
          ? ` of at most ${fmt(options.max)}`
          : "";
  const rule: Rule = {
    expected: options.expected ?? `${whole ? "a whole number" : "a number"}${bounds}`,
    check(value, property, ctx) {
      if (typeof value !== "number") wrongKind(rule, value, property, ctx);
      if (ctx.isToken(value)) refuseToken(value, property, ctx);
      const o = origin(ctx, property);
      const fix = options.fix ?? `use ${rule.expected}`;
      if (Number.isNaN(value)) fail(o, value, "is not a number", fix);
      if (!Number.isFinite(value)) fail(o, value, "is not a finite number", fix);
      if (whole && !Number.isInteger(value)) fail(o, value, "is not a whole number", fix);
      if (options.min !== undefined && value < options.min) fail(o, value, options.range ?? `is less than ${fmt(options.min)}`, fix);
      if (options.max !== undefined && value > options.max) fail(o, value, options.range ?? `is more than ${fmt(options.max)}`, fix);
    },
  };
  return rule;
}

function fmt(n: number): string {
  if (n < 10000) return String(n);
  // As toLocaleString("en-US") writes whole numbers, without loading the locale data at import.
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
  return n.toLocaleString("en-US");
}

export function bool(): Rule {
  const rule: Rule = {
    expected: "true or false",
    check(value, property, ctx) {
      if (typeof value !== "boolean") wrongKind(rule, value, property, ctx);
    },
  };
  return rule;
}

export interface ListOptions {
  readonly expected: string;
  readonly example?: string;
  readonly min?: number;
  readonly max?: number;
  readonly maxReason?: string;
  readonly maxFix?: string;
  /** A list token (e.g. a variable of type list) is accepted. */
  readonly tokens?: boolean;
  /** Each entry at most once. */
  readonly unique?: boolean;
}

export function list(item: Rule, options: ListOptions): Rule {
  const rule: Rule = {
    expected: options.expected,
    example: options.example,
    check(value, property, ctx) {
      if (!Array.isArray(value)) {
        if (typeof value === "string" && ctx.isToken(value) && options.tokens) return;
        wrongKind(rule, value, property, ctx);
      }
      if (ctx.isToken(value) && value.length === 1 && typeof value[0] === "string" && value[0].startsWith("#{")) {
        if (options.tokens) return;
        refuseToken(value, property, ctx);
      }
      const o = origin(ctx, property);
      if (options.min !== undefined && value.length < options.min) fail(o, value, options.min === 1 ? "is empty" : `has ${value.length} entries; at least ${options.min} are needed`, giveFix(rule));
      if (options.max !== undefined && value.length > options.max) {
        fail(o, value, `has ${value.length} entries; ${options.maxReason ?? `at most ${options.max} are allowed`}`, options.maxFix ?? `list at most ${options.max}`);
      }
      value.forEach((v, i) => {
        if (v === undefined) fail(origin(ctx, `${property}[${i}]`), v, `is undefined, not ${item.expected}`, `remove the hole from the list or ${giveFix(item)}`);
        item.check(v, `${property}[${i}]`, ctx);
      });
      if (options.unique) {
        value.forEach((v, i) => {
          if (value.indexOf(v) !== i) fail(origin(ctx, `${property}[${i}]`), v, "is listed twice", "list each entry once");
        });
      }
    },
  };
  return rule;
}

export interface RecordOptions {
  readonly expected: string;
  readonly example?: string;
  readonly key?: Rule;
  readonly maxEntries?: number;
  readonly maxReason?: string;
}

/** A plain object used as a map (tags, per-type overrides). */
export function record(value: Rule, options: RecordOptions): Rule {
  const rule: Rule = {
    expected: options.expected,
    example: options.example,
    check(v, property, ctx) {
      if (!isPlainObject(v)) wrongKind(rule, v, property, ctx);
      const entries = Object.entries(v);
      if (options.maxEntries !== undefined && entries.length > options.maxEntries) {
        fail(origin(ctx, property), v, `has ${entries.length} entries; ${options.maxReason ?? `at most ${options.maxEntries} are allowed`}`, `keep at most ${options.maxEntries}`);
      }
      for (const [k, x] of entries) {
        options.key?.check(k, `${property}[${JSON.stringify(k)}]`, ctx);
        value.check(x, `${property}[${JSON.stringify(k)}]`, ctx);
      }
    },
  };
  return rule;
}

/** A nested options object with known properties. */
export function shape(fields: Shape, options: { readonly typeName: string; readonly example?: string }): Rule {
  const rule: Rule = {
    expected: `${options.typeName} (an object)`,
    example: options.example,
    check(value, property, ctx) {
      if (!isOptionsObject(value)) wrongKind(rule, value, property, ctx);
      checkShape(fields, value, property, options.typeName, ctx);
    },
  };
  return rule;
}

/**
 * An instance of one of the library's classes, recognised by class name along the prototype
 * chain (so a second copy of the library in node_modules still passes).
 */
export function instance(className: string, how: string): Rule {
  const rule: Rule = {
    expected: `${/^[AEIOU]/.test(className) ? "an" : "a"} ${className}`,
    example: how,
    check(value, property, ctx) {
      if (!isInstanceOf(value, className)) wrongKind(rule, value, property, ctx);
    },
  };
  return rule;
}

/** An instance of any of `classNames` (e.g. a construct of this app or its imported counterpart). */
export function instanceOfAny(classNames: readonly string[], how: string): Rule {
  const rule: Rule = {
    expected: classNames.map((c) => `${/^[AEIOU]/.test(c) ? "an" : "a"} ${c}`).join(" or "),
    example: how,
    check(value, property, ctx) {
      if (!classNames.some((c) => isInstanceOf(value, c))) wrongKind(rule, value, property, ctx);
    },
  };
  return rule;
}

export function isInstanceOf(value: unknown, className: string): boolean {
  if (value === null || typeof value !== "object") return false;
  for (let p = Object.getPrototypeOf(value); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if ((p.constructor as { name?: string } | undefined)?.name === className) return true;
  }
  return false;
}

/** An object that can carry options: plain, or an instance of the user's own class (not a list, not one of the library's value classes). */
function isOptionsObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const name = (Object.getPrototypeOf(value)?.constructor as { name?: string } | undefined)?.name;
  return !(name && LIBRARY_VALUE_CLASSES.has(name)) && !("node" in value) && !(value instanceof Map) && !(value instanceof Set);
}

/** The library's own value classes, which are never an options object. */
const LIBRARY_VALUE_CLASSES = new Set(["Port", "MachineImage", "VpcIpv6Cidr", "ServerIpv6Internet", "Nat64Provider", "Nat64Placement", "EamHairpinMode", "RouteTarget", "FleetServer", "SymbolicIpv6Address"]);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** A rule from a function, for values no combinator describes. */
export function custom(expected: string, check: (value: unknown, property: string, ctx: PropContext) => void, example?: string): Rule {
  return { expected, example, check };
}

/**
 * Checks `props` against `fields`: required ones present, each present one valid, no unknown
 * ones (a misspelt key would otherwise be silently ignored). `property` prefixes nested names.
 */
export function checkShape(fields: Shape, props: unknown, property: string, typeName: string, ctx: PropContext): void {
  const names = Object.keys(fields);
  const req = names.filter((n) => "required" in fields[n]);
  const example = `{ ${(req.length ? req : names.slice(0, 1)).map((n) => `${n}: …`).join(", ")} }`;
  const prefix = property ? `${property}.` : "";
  if (props === undefined || props === null) {
    if (req.length === 0 && props === undefined) return;
    fail(origin(ctx, property || "props"), props, `is missing; ${typeName} needs ${req.join(", ")}`, `pass ${typeName} ${example}`);
  }
  if (!isOptionsObject(props)) fail(origin(ctx, property || "props"), props, `is ${kindOf(props)}, not ${typeName} (an object)`, `pass ${typeName} ${example}`);
  for (const key of Object.keys(props)) {
    if (key in fields) continue;
    if (props[key] === undefined) continue;
    const near = closest(key, names);
    fail(
      origin(ctx, `${prefix}${key}`),
      props[key],
      `is not a property of ${typeName}, so it would be ignored`,
      near ? `did you mean ${near}? (${typeName} has ${names.join(", ")})` : `remove it; ${typeName} has ${names.join(", ")}`,
    );
  }
  for (const name of names) {
    const spec = fields[name];
    const rule = "rule" in spec ? spec.rule : spec;
    const value = props[name];
    if (value === undefined) {
      if ("required" in spec) fail(origin(ctx, `${prefix}${name}`), value, `is required by ${typeName}`, giveFix(rule));
      continue;
    }
    rule.check(value, `${prefix}${name}`, ctx);
  }
}

/** The candidate nearest to `word` (edit distance at most a third of its length), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d <= Math.max(2, Math.floor(c.length / 3)) && (!best || d < best.d)) best = { name: c, d };
  }
  return best?.name;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
