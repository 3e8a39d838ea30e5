/**
 * Reads zod 4 schemas (the registry's params, the journey's parts) as a form description: which
 * control a value gets, which variants a discriminated union offers, what a fresh value is. The
 * inspector renders from this, so a new kind or a new field needs no form code.
 */
import { z } from "zod";
import { hintOf, Rule } from "@lifeloop/shared";

type Def = {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  entries?: Record<string, string | number>;
  element?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  checks?: Array<{ _zod: { def: { check: string; minimum?: number; maximum?: number } } }>;
};

// zod types each schema class's def on its own; this reads the fields the form generator knows, by
// `type`, from any of them — the one place the inspector looks inside zod.
const defOf = (s: z.ZodType): Def => s._zod.def;

/** A schema without its optional / default / nullable wrappers, and what those wrappers said. */
export interface Unwrapped {
  schema: z.ZodType;
  optional: boolean;
  hasDefault: boolean;
  defaultValue: unknown;
}

export function unwrap(schema: z.ZodType): Unwrapped {
  let s = schema;
  let optional = false;
  let hasDefault = false;
  let defaultValue: unknown;
  for (;;) {
    const d = defOf(s);
    if (d.type === "optional" || d.type === "nullable") {
      optional = true;
      s = d.innerType!;
    } else if (d.type === "default" || d.type === "prefault") {
      hasDefault = true;
      defaultValue = typeof d.defaultValue === "function" ? (d.defaultValue as () => unknown)() : d.defaultValue;
      s = d.innerType!;
    } else if (d.type === "pipe" && d.in) {
      s = d.in;
    } else if (d.type === "readonly" && d.innerType) {
      s = d.innerType;
    } else break;
  }
  return { schema: s, optional, hasDefault, defaultValue };
}

export type Shape =
  | { type: "rule" }
  | { type: "string" }
  | { type: "number"; int: boolean; min: number | undefined; max: number | undefined }
  | { type: "boolean" }
  | { type: "enum"; options: string[] }
  | { type: "literal"; value: unknown }
  | { type: "object"; fields: Array<[string, z.ZodType]> }
  | { type: "variants"; discriminator: string; options: Array<{ value: string; schema: z.ZodType }> }
  | { type: "primitives"; options: Array<"string" | "number" | "boolean" | "null"> }
  | { type: "array"; element: z.ZodType; min: number | undefined; max: number | undefined }
  | { type: "record"; value: z.ZodType }
  | { type: "intersection"; parts: z.ZodType[] }
  | { type: "null" }
  | { type: "unknown" };

function finite(n: unknown): number | undefined {
  return typeof n === "number" && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
}

function lengthBounds(d: Def): { min: number | undefined; max: number | undefined } {
  let min: number | undefined;
  let max: number | undefined;
  for (const c of d.checks ?? []) {
    const cd = c._zod.def;
    if (cd.check === "min_length") min = cd.minimum;
    if (cd.check === "max_length") max = cd.maximum;
  }
  return { min, max };
}

/** What kind of control a (possibly wrapped) schema gets. */
export function shapeOf(schema: z.ZodType): Shape {
  const { schema: s } = unwrap(schema);
  if (s === (Rule as z.ZodType)) return { type: "rule" };
  const d = defOf(s);
  switch (d.type) {
    case "string":
      return { type: "string" };
    case "number": {
      const n = s instanceof z.ZodNumber ? s : null;
      return {
        type: "number",
        int: !!n?.isInt,
        min: finite(n?.minValue),
        max: finite(n?.maxValue),
      };
    }
    case "boolean":
      return { type: "boolean" };
    case "null":
      return { type: "null" };
    case "enum":
      return { type: "enum", options: Object.values(d.entries ?? {}).map(String) };
    case "literal":
      return { type: "literal", value: d.values?.[0] };
    case "object":
      return { type: "object", fields: Object.entries(d.shape ?? {}) };
    case "union": {
      const options = d.options ?? [];
      if (d.discriminator) {
        return {
          type: "variants",
          discriminator: d.discriminator,
          options: options.map((o) => {
            const lit = defOf(o).shape?.[d.discriminator!];
            return { value: String(lit ? defOf(unwrap(lit).schema).values?.[0] : ""), schema: o };
          }),
        };
      }
      const prims = options.map((o) => defOf(unwrap(o).schema).type);
      if (prims.every((p) => p === "string" || p === "number" || p === "boolean" || p === "null")) {
        return { type: "primitives", options: prims as Array<"string" | "number" | "boolean" | "null"> };
      }
      return { type: "unknown" };
    }
    case "array":
      return { type: "array", element: d.element!, ...lengthBounds(d) };
    case "record":
      return { type: "record", value: d.valueType! };
    case "intersection":
      return { type: "intersection", parts: [d.left!, d.right!] };
    case "lazy":
      return { type: "unknown" };
    default:
      return { type: "unknown" };
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A fresh value for a schema: its default when it has one, the literal of a literal, the first
 * option of an enum, an object of its required fields. `keep` carries over fields of an earlier
 * value (switching a wait from "duration" to "event" keeps nothing, switching a trigger from
 * "event" to "segment" keeps nothing, but a coupon keeps its currency when it becomes a rebate).
 * `byKey` gives a required field with no schema default its starting value by name (a new
 * rebate's currency is the journey's), when the field accepts it.
 */
export function freshValue(schema: z.ZodType, keep?: unknown, byKey: Readonly<Record<string, unknown>> = {}): unknown {
  const u = unwrap(schema);
  if (u.hasDefault) return structuredClone(u.defaultValue);
  // The kind's suggested start (a wait's 24 h timeout), optional fields included.
  const initial = hintOf(schema).initial;
  if (initial !== undefined) return initial;
  if (u.optional) return undefined;
  const shape = shapeOf(u.schema);
  switch (shape.type) {
    case "string":
      return "";
    case "number":
      return shape.min !== undefined && shape.min > 0 ? shape.min : 0;
    case "boolean":
      return false;
    case "enum":
      return shape.options[0];
    case "literal":
      return shape.value;
    case "rule":
      return true;
    case "null":
      return null;
    case "primitives":
      return shape.options.includes("string") ? "" : null;
    case "array":
      return shape.min ? Array.from({ length: shape.min }, () => freshValue(shape.element, undefined, byKey)) : [];
    case "record":
      return {};
    case "object": {
      const out: Record<string, unknown> = {};
      const old = isObj(keep) ? keep : {};
      for (const [key, field] of shape.fields) {
        const fresh = freshValue(field, undefined, byKey);
        const fieldShape = shapeOf(field);
        const inner = unwrap(field);
        const fits = (v: unknown): boolean => v !== undefined && inner.schema.safeParse(v).success;
        const kept = old[key];
        const given = Object.hasOwn(byKey, key) ? byKey[key] : undefined;
        // Keep an earlier value only when it fits the field (the discriminator never does).
        if (fieldShape.type !== "literal" && fits(kept)) out[key] = kept;
        else if (!inner.optional && !inner.hasDefault && fieldShape.type !== "literal" && fits(given)) out[key] = given;
        else if (fresh !== undefined) out[key] = fresh;
      }
      return out;
    }
    case "variants":
      return freshValue(shape.options[0]!.schema, keep, byKey);
    case "intersection":
      return Object.assign({}, ...shape.parts.map((p) => freshValue(p, keep, byKey)));
    default:
      return undefined;
  }
}

/** The variant of a discriminated union a value is in (by its discriminator), or the first. */
export function variantOf(
  shape: Extract<Shape, { type: "variants" }>,
  value: unknown,
): { value: string; schema: z.ZodType } {
  const tag = isObj(value) ? value[shape.discriminator] : undefined;
  return shape.options.find((o) => o.value === tag) ?? shape.options[0]!;
}

export function getIn(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let cur = value;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** An immutable update of `value` at `path`; `undefined` removes the key (optional fields). */
export function setIn(value: unknown, path: ReadonlyArray<string | number>, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    const arr = Array.isArray(value) ? [...value] : [];
    arr[head] = setIn(arr[head], rest, next);
    return arr;
  }
  const obj: Record<string, unknown> = isObj(value) ? { ...value } : {};
  const child = setIn(obj[head!], rest, next);
  if (child === undefined) delete obj[head!];
  else obj[head!] = child;
  return obj;
}
