/**
 * What the journey's catalog says a field holds: whether an event property or a profile attribute
 * is money, and in which currency. The rule builder types such values in yuan, the "why" of a
 * decision shows them as ¥11,000.00 and templates format them with `| money`.
 */
import type { Catalog } from "./schema/journey.ts";

/** The currency of `event`'s property `prop` when the catalog marks it as money, else null. */
export function propCurrency(catalog: Catalog | undefined, event: string | undefined, prop: string): string | null {
  if (!catalog || event === undefined) return null;
  const def = Object.hasOwn(catalog.events, event) ? catalog.events[event] : undefined;
  if (!def || !Object.hasOwn(def.props, prop) || def.props[prop] !== "money") return null;
  return def.currency ?? catalog.currency ?? null;
}

/** The currency of a profile attribute the catalog marks as money, else null. */
export function attributeCurrency(catalog: Catalog | undefined, attribute: string): string | null {
  if (!catalog || !Object.hasOwn(catalog.attributes, attribute) || catalog.attributes[attribute] !== "money")
    return null;
  return catalog.currency ?? null;
}

/**
 * The currency of a variable path a rule or template reads ("event.props.amount",
 * "trigger.props.amount", "profile.balance"), when it is money. `event` and `trigger` name the
 * event types those roots stand for where the path is read.
 */
export function pathCurrency(
  catalog: Catalog | undefined,
  path: string,
  types: { event?: string | undefined; trigger?: string | undefined },
): string | null {
  const parts = path.split(".");
  if ((parts[0] === "event" || parts[0] === "trigger") && parts[1] === "props" && parts.length === 3) {
    return propCurrency(catalog, parts[0] === "event" ? types.event : types.trigger, parts[2]!);
  }
  if (parts[0] === "profile" && parts.length === 2) return attributeCurrency(catalog, parts[1]!);
  return null;
}

/** Money fields the catalog declares with no currency to be in, by event (null: an attribute). */
export function moneyWithoutCurrency(catalog: Catalog | undefined): Array<{ event: string | null; name: string }> {
  if (!catalog || catalog.currency) return [];
  const out: Array<{ event: string | null; name: string }> = [];
  for (const [event, def] of Object.entries(catalog.events)) {
    if (def.currency) continue;
    for (const [prop, type] of Object.entries(def.props)) if (type === "money") out.push({ event, name: prop });
  }
  for (const [a, type] of Object.entries(catalog.attributes)) if (type === "money") out.push({ event: null, name: a });
  return out;
}
