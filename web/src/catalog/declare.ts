/**
 * Adds an event the workspace knows to the journey's own catalog, in one action: its props, their
 * kinds, its currency and labels as known, so the document says what its rules and templates read
 * (the compiler checks templates against it, the engine formats its money by it).
 */
import type { Catalog } from "@lifeloop/shared";
import { useEditor } from "../store/editor.ts";

type EventDef = Catalog["events"][string];

export function declareEvent(type: string, def: EventDef): void {
  const { doc, patchJourney } = useEditor.getState();
  if (!doc) return;
  const own: Catalog = doc.catalog ?? { events: {}, attributes: {} };
  if (Object.hasOwn(own.events, type)) return;
  // A currency only for money, and not when the journey's covers it: nothing said twice or for nothing.
  const { currency, ...rest } = def;
  const money = Object.values(def.props).includes("money");
  const event: EventDef = currency && money && currency !== own.currency ? { ...rest, currency } : rest;
  patchJourney({ catalog: { ...own, events: { ...own.events, [type]: structuredClone(event) } } });
}
