/**
 * The event a test person sends from the editor: its envelope built from the form (props typed by
 * the journey's catalog, money already in minor units), as one line of the stream simulate replays.
 */
import type { Catalog, FieldType } from "@lifeloop/shared";

export interface PropField {
  name: string;
  type: FieldType;
  /** For money: the currency it is typed in (the event's, else the catalog's). */
  currency: string | null;
}

/** The props the catalog declares for `type`, in their declared order. */
export function propFields(catalog: Catalog | undefined, type: string): PropField[] {
  const ev = catalog?.events[type];
  if (!ev) return [];
  return Object.entries(ev.props).map(([name, t]) => ({
    name,
    type: t,
    currency: t === "money" ? (ev.currency ?? catalog?.currency ?? null) : null,
  }));
}

/**
 * The test event with an id of its own, at `at` (the page's clock, injected), marked `test`: the engine runs it
 * and shows the path in the person's timeline, and leaves the person out of every report and stat.
 */
export function testEvent(userId: string, type: string, props: Record<string, unknown>, at: number) {
  return { id: `test-${userId}-${at}`, userId, type, at: new Date(at).toISOString(), props, test: true };
}

/** The test event as one JSON line of the stream simulate replays. */
export function testEventLine(userId: string, type: string, props: Record<string, unknown>, at: number): string {
  return JSON.stringify(testEvent(userId, type, props, at));
}
