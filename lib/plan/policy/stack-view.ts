/**
 * A read-only view of a synthesized Terraform JSON stack (cdktf's `cdk.tf.json`, or any
 * `*.tf.json`) for the policy pass: resources by type, references between them, and the shapes
 * Terraform JSON allows for blocks (an object or a list of objects). No cdktf import: the pass runs
 * on the file, whoever wrote it.
 */

/** A Terraform JSON document (only what the pass reads). */
export interface TerraformJson {
  /**
   * Resources by type, then by name.
   * @default - none
   */
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  /**
   * Data sources by type, then by name.
   * @default - none
   */
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

/** One resource: its address (`type.name`) and its configuration. */
export interface ResourceView {
  /** Resource type, e.g. `aws_vpc` (`data.` prefixed for data sources). */
  readonly type: string;
  /** Resource name within its type. */
  readonly name: string;
  /** `type.name`. */
  readonly address: string;
  /** The resource's configuration as synthesized. */
  readonly config: Record<string, unknown>;
}

/** A reference `${type.name.attr}` (or `${data.type.name.attr}`) inside a value. */
export interface Reference {
  /** Resource type referred to. */
  readonly type: string;
  /** Resource name referred to. */
  readonly name: string;
  /** Attribute referred to, e.g. `id`. */
  readonly attribute: string;
  /** Whether it refers to a data source. */
  readonly data: boolean;
}

const REFERENCE = /\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)/g;

/** Every reference a value contains (through nested objects, arrays and strings). */
export function referencesIn(value: unknown): Reference[] {
  const found: Reference[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      for (const m of v.matchAll(REFERENCE)) found.push({ data: m[1] !== undefined, type: m[2], name: m[3], attribute: m[4] });
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(value);
  return found;
}

/** The single resource a string names (`${aws_x.y.id}`), if it is exactly one reference. */
export function referenceOf(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const refs = referencesIn(value);
  return refs.length === 1 && /^\$\{[^}]*\}$/.test(value) ? refs[0] : undefined;
}

/** A block as a list: Terraform JSON accepts an object or a list of objects for a block. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => !!v && typeof v === "object");
  return typeof value === "object" ? [value as Record<string, unknown>] : [];
}

/** A string list attribute (a single string counts as one). */
export function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

/** `true`, `"true"` (Terraform JSON coerces both). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** `false`, `"false"`. */
export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** An indexed, read-only view of a synthesized stack that policy rules query. */
export class StackView {
  private readonly byType = new Map<string, ResourceView[]>();
  private readonly byAddress = new Map<string, ResourceView>();

  constructor(
    /** The synthesized stack. */
    readonly json: TerraformJson,
  ) {
    for (const [kind, section] of [
      ["resource", json.resource],
      ["data", json.data],
    ] as const) {
      for (const [type, byName] of Object.entries(section ?? {})) {
        const key = kind === "data" ? `data.${type}` : type;
        const list = Object.entries(byName ?? {}).map(([name, config]) => ({ type: key, name, address: `${key}.${name}`, config: config ?? {} }));
        this.byType.set(key, list);
        for (const r of list) this.byAddress.set(r.address, r);
      }
    }
  }

  /** Resources of a type (`aws_vpc`, or `data.aws_iam_policy_document`). */
  resources(type: string): ResourceView[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource a reference points at. */
  resolve(ref: Reference | undefined): ResourceView | undefined {
    if (!ref) return undefined;
    return this.byAddress.get(`${ref.data ? "data." : ""}${ref.type}.${ref.name}`);
  }

  /** The resource a string attribute names by reference, if it is of `type`. */
  target(value: unknown, type: string): ResourceView | undefined {
    const r = this.resolve(referenceOf(value));
    return r?.type === type ? r : undefined;
  }

  /** Whether `value` designates `resource`: a reference to it, or its literal id/name/bucket. */
  designates(value: unknown, resource: ResourceView, literalFields: string[] = []): boolean {
    const ref = referenceOf(value);
    if (ref) return ref.type === resource.type && ref.name === resource.name;
    return typeof value === "string" && literalFields.some((f) => resource.config[f] === value);
  }

  /** Resources of `type` whose `field` designates `resource`. */
  referring(type: string, field: string, resource: ResourceView, literalFields: string[] = []): ResourceView[] {
    return this.resources(type).filter((r) => strings(r.config[field]).some((v) => this.designates(v, resource, literalFields)));
  }
}
