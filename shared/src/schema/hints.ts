/**
 * How a field reads to a person, declared beside the field in its schema (zod `.meta`), so the
 * editor's generated forms need no table of field names: an amount is typed in yuan and kept in
 * fen, a rate typed in percent and kept in basis points, a body of text gets a text area.
 *
 *   value: PositiveMinor.meta({ ui: { unit: "money" } })
 *
 * The JSON Schema of the journey file leaves these out (they are for the editor, not validators).
 */
import type { z } from "zod";

export interface FieldHint {
  /**
   * - `money`: an integer in the minor units of the unit the field sits in (the currency beside
   *   it, else the reward's unit): shown and typed as ¥20.00 for a currency, as whole points else.
   * - `bps`: basis points, shown and typed as percent (300 → 3 %).
   * - `duration`, `window`: text such as "24h" or "month".
   */
  unit?: "money" | "bps" | "duration" | "window";
  /**
   * For money: the field beside it that names its currency (a coupon's `currency`). Until that
   * field holds one, the amount cannot be typed. Without it, the unit is the nearest `currency`
   * around the field, else the reward's unit (points, a currency).
   */
  currency?: string;
  /** The control: several lines of text, a local time of day, a local date, a local date-time. */
  widget?: "multiline" | "time" | "date" | "datetime";
  /**
   * What the editor fills in when the field first appears (a switched variant, an added part): a
   * sensible start, not a schema default, so a file without the field still means what it meant.
   */
  initial?: string | number | boolean;
}

declare module "zod" {
  interface GlobalMeta {
    ui?: FieldHint;
  }
}

/** The hint declared on a schema or on any wrapper around it (optional, default, nullable, pipe). */
export function hintOf(schema: z.ZodType): FieldHint {
  let s: z.ZodType | undefined = schema;
  const out: FieldHint = {};
  for (let depth = 0; s && depth < 16; depth++) {
    // Outer wrappers win: a field may refine what its type says.
    const ui: FieldHint | undefined = s.meta()?.ui;
    if (ui) for (const [k, v] of Object.entries(ui)) if (!(k in out)) Object.assign(out, { [k]: v });
    type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType };
    // zod types each schema class's def on its own; only the wrapper fields are read here.
    const def: Def = s._zod.def;
    // Reading zod's definition: wrappers keep the wrapped schema as innerType (or `in` for a pipe).
    s = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
  }
  return out;
}

/**
 * A toJSONSchema override that leaves the editor's hints out: they say how a field reads to a
 * person, and validators and generated clients have no use for them (Redocly refuses the key).
 */
export function dropEditorHints({ jsonSchema }: { jsonSchema: object }): void {
  delete (jsonSchema as { ui?: unknown }).ui;
}
