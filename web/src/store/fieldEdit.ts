/**
 * One undo step per field edit: everything typed into one text field, from focusing it to leaving
 * it, is one step in the history (not one per keystroke), the same whether it is undone from the
 * toolbar or with Ctrl+Z (both come after the field lost focus). The inspector says which field is
 * being typed into; the store's history asks `coalesces()` before recording a change.
 */
import type { FocusEvent } from "react";

let editing: string | null = null;
let recorded = false;

/** Whether the change about to be recorded belongs to a field edit already in the history (and so is not a step). */
export function coalesces(): boolean {
  if (editing === null) return false;
  if (recorded) return true;
  recorded = true;
  return false;
}

function beginFieldEdit(key: string): void {
  editing = key;
  recorded = false;
}

function endFieldEdit(): void {
  editing = null;
  recorded = false;
}

const TYPED = new Set(["text", "search", "number", "url", "email", "tel", "password", ""]);

/** Fields people type into: a select or a checkbox changes once per choice and is a step each time. */
function typedField(el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement {
  const e = el as HTMLElement | null;
  if (e?.tagName === "TEXTAREA") return true;
  return e?.tagName === "INPUT" && TYPED.has((e as HTMLInputElement).type);
}

/** Focus handlers for a container of form fields (they bubble from every field inside). */
export const fieldEditHandlers = {
  onFocus(e: FocusEvent) {
    if (typedField(e.target)) beginFieldEdit(e.target.id || e.target.name || "field");
  },
  onBlur(e: FocusEvent) {
    if (typedField(e.target)) endFieldEdit();
  },
};
