import { LIMITS } from "./limits.ts";

/** Why untrusted JSON was refused, with where: a byte offset for text, a JSON path for values. */
export class InputError extends Error {
  constructor(
    readonly code: "too_large" | "too_deep" | "not_json" | "forbidden_key",
    message: string,
    readonly path: string = "$",
  ) {
    super(message);
    this.name = "InputError";
  }
}

export interface JsonLimits {
  maxBytes?: number;
  maxDepth?: number;
}

const FORBIDDEN_KEYS = new Set(["__proto__"]);

/**
 * Parses JSON from outside (a journey file, an API body): refuses it before parsing when it is too
 * large, and before any recursive walk when it nests too deep; refuses "__proto__" keys, which
 * would turn into prototype writes the moment some code copies the object.
 */
export function parseUntrustedJson(text: string, limits: JsonLimits = {}): unknown {
  const maxBytes = limits.maxBytes ?? LIMITS.maxDocumentBytes;
  const maxDepth = limits.maxDepth ?? LIMITS.maxJsonDepth;
  // Buffer is Node's; the editor runs this in the browser, where TextEncoder measures the same.
  const bytes = typeof Buffer !== "undefined" ? Buffer.byteLength(text, "utf8") : new TextEncoder().encode(text).length;
  if (bytes > maxBytes) {
    throw new InputError("too_large", `input is ${bytes} bytes; the limit is ${maxBytes}`);
  }
  const deepAt = firstTooDeep(text, maxDepth);
  if (deepAt >= 0) {
    throw new InputError("too_deep", `input nests deeper than ${maxDepth} levels (at character ${deepAt})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError("not_json", `not valid JSON: ${(e as Error).message}`);
  }
  assertNoForbiddenKeys(value, maxDepth);
  return value;
}

/** Character offset where nesting first exceeds `maxDepth`, or -1; strings are skipped. */
function firstTooDeep(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

/**
 * Walks a value already in memory (e.g. from an API framework's parser) iteratively: refuses
 * forbidden keys and nesting deeper than `maxDepth`, so later recursive code is safe.
 */
export function assertNoForbiddenKeys(value: unknown, maxDepth: number = LIMITS.maxJsonDepth): void {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: "$", depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= maxDepth) throw new InputError("too_deep", `input nests deeper than ${maxDepth} levels`, path);
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) {
        throw new InputError("forbidden_key", `the key "${key}" is not allowed`, `${path}.${key}`);
      }
      stack.push({ v: (v as Record<string, unknown>)[key], path: joinPath(path, key), depth: depth + 1 });
    }
  }
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.nodes[3].params` style paths, quoting keys that are not identifiers. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return PLAIN_KEY.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

export function toJsonPath(segments: ReadonlyArray<PropertyKey>, base = "$"): string {
  return segments.reduce<string>((p, s) => joinPath(p, typeof s === "number" ? s : String(s)), base);
}
