/**
 * Values made once per owner. A cdktf token records a stack trace when it is made, and every
 * read of a resource attribute (`eip.allocationId`, `networkInterface.id`) makes a new one that
 * resolves alike: reading each attribute once keeps synthesis near cdktf's own cost.
 */
const made = new WeakMap<object, Map<string, unknown>>();

/** `make()` the first time `owner` and `key` are asked for, the same value after. */
export function once<T>(owner: object, key: string, make: () => T): T {
  let values = made.get(owner);
  if (!values) made.set(owner, (values = new Map()));
  if (!values.has(key)) values.set(key, make());
  return values.get(key) as T;
}

/** `resource[name]` read once: one token for every reference to a resource attribute. */
export function attribute<R extends object, K extends keyof R & string>(resource: R, name: K): R[K] {
  return once(resource, `attribute ${name}`, () => resource[name]);
}
