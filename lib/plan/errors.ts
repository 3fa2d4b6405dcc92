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

export class PlanError extends Error {
  public readonly details: PlanErrorDetails;

  constructor(details: PlanErrorDetails) {
    super(formatPlanError(details));
    this.name = "PlanError";
    this.details = details;
  }
}

export function formatPlanError(d: PlanErrorDetails): string {
  return `${d.path}: ${d.property} = ${showValue(d.value)}: ${d.problem}. Fix: ${d.fix}`;
}

function showValue(value: unknown): string {
  if (value === undefined) return "undefined";
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Where a value came from, for messages: the construct path and property name. The core is
 * called by constructs, which pass their own path; the core never learns what a construct is.
 */
export interface Origin {
  readonly path: string;
  readonly property: string;
}

export function fail(origin: Origin, value: unknown, problem: string, fix: string): never {
  throw new PlanError({ path: origin.path, property: origin.property, value, problem, fix });
}

export function at(origin: Origin, suffix: string): Origin {
  return { path: origin.path, property: `${origin.property}${suffix}` };
}
