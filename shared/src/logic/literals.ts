/**
 * Constants in compiled rules: literal objects and arrays copied out of the rule, and folded results.
 * They are shared by every evaluation of the compiled rule, so they are deep-frozen: a caller that
 * mutates a result cannot change what the rule returns next time (nor the rule it was compiled from,
 * which is copied, not referenced).
 */

export function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Creates an own data property even for the key "__proto__", which plain assignment would turn into a
 * prototype change (JSON.parse produces such own keys; copying them must not pollute anything).
 */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Freezes arrays and plain objects reachable from `value` (iteratively: depth is not a concern). */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v !== "object" || v === null || Object.isFrozen(v)) continue;
    if (!Array.isArray(v) && !isPlainObject(v)) continue;
    Object.freeze(v);
    for (const key of Object.keys(v)) pending.push((v as Record<string, unknown>)[key]);
  }
  return value;
}
