/**
 * The one error type of the planning core. Every message reads like a reviewer's comment:
 * where (construct path), which property, which value, what is wrong, and what would fix it.
 */
export interface PlanErrorDetails {
  /** Construct path (or other location) of the input that is wrong. */
  readonly path: string;
  /** The property that holds the bad value, e.g. `availabilityZones[1]`. */
  readonly property: string;
  /** The offending value, shown as JSON. */
  readonly value: unknown;
  /** What is wrong with it. */
  readonly problem: string;
  /** What the user should do instead. */
  readonly fix: string;
}

/** The error every bad input raises, at synth: its message is `<path>: <property> = <value>: <problem>. Fix: <fix>`. */
export class PlanError extends Error {
  /** The parts of the message. */
  public readonly details: PlanErrorDetails;

  constructor(details: PlanErrorDetails) {
    super(formatPlanError(details));
    this.name = "PlanError";
    this.details = details;
  }
}

/** The one message format: `<path>: <property> = <value as written>: <problem>. Fix: <fix>`. */
export function formatPlanError(d: PlanErrorDetails): string {
  return `${d.path}: ${d.property} = ${showValue(d.value)}: ${d.problem}. Fix: ${d.fix}`;
}

/**
 * A value shown as given text rather than as JSON: what a token stands for in Terraform
 * (`${var.servers}`), never its internal encoding.
 */
export class ShownAs {
  constructor(
    /** The text shown for the value. */
    public readonly text: string,
  ) {}
}

/**
 * The value as the user wrote it: JSON for plain data, `NaN`/`Infinity` as such (JSON would say
 * null), class instances by class name (and construct path), never a crash on cycles.
 */
export function showValue(value: unknown): string {
  const text = show(value, new Set(), 0);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function show(value: unknown, seen: Set<unknown>, depth: number): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (value instanceof ShownAs) return value.text;
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return `<function ${value.name || "anonymous"}>`;
  }
  if (seen.has(value) || depth > 4) return "…";
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => show(v, seen, depth + 1)).join(",")}]`;
    const proto = Object.getPrototypeOf(value);
    if (proto !== null && proto !== Object.prototype) {
      const name = (proto.constructor as { name?: string } | undefined)?.name || "object";
      const path = (value as { node?: { path?: unknown } }).node?.path;
      if (typeof path === "string") return `<${name} ${path}>`;
      const own = (value as { toString(): string }).toString;
      return own !== Object.prototype.toString ? `<${name} ${String(value)}>` : `<${name}>`;
    }
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}:${show(v, seen, depth + 1)}`)
      .join(",")}}`;
  } finally {
    seen.delete(value);
  }
}

/**
 * Where a value came from, for messages: the construct path and property name. The core is
 * called by constructs, which pass their own path; the core never learns what a construct is.
 */
export interface Origin {
  /** Construct path, e.g. `edge/Net`. */
  readonly path: string;
  /** Property, e.g. `availabilityZones[1]`. */
  readonly property: string;
}

/** Throws a {@link PlanError} for `value` found at `origin`. */
export function fail(origin: Origin, value: unknown, problem: string, fix: string): never {
  throw new PlanError({ path: origin.path, property: origin.property, value, problem, fix });
}

/** `origin` with `suffix` appended to its property, e.g. `at(o, "[1]")` or `at(o, ".port")`. */
export function at(origin: Origin, suffix: string): Origin {
  return { path: origin.path, property: `${origin.property}${suffix}` };
}
