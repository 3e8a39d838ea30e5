/**
 * The events and attributes the workspace knows, offered in every journey with no setup: what the
 * sample journeys' catalogs declare (bundled when the editor is built), under the journey's own
 * catalog, which wins where both name a thing. Each event keeps the currency its sample said, so a
 * month's transaction total is typed in yuan in a journey that declared nothing yet.
 */
import type { Catalog, DraftJourney } from "@lifeloop/shared";

const SAMPLES = import.meta.glob<DraftJourney>("../../../samples/journeys/*.json", { eager: true, import: "default" });

type Events = Catalog["events"];

/** Several catalogs as one: the later ones win per event property and attribute; each event carries its currency. */
export function mergeCatalogs(...catalogs: Array<Catalog | undefined>): Catalog {
  const events: Events = {};
  const attributes: Catalog["attributes"] = {};
  const attributeLabels: NonNullable<Catalog["attributeLabels"]> = {};
  let currency: string | undefined;
  for (const c of catalogs) {
    if (!c) continue;
    for (const [type, def] of Object.entries(c.events ?? {})) {
      const was = events[type];
      const own = def.currency ?? c.currency;
      const label = def.label ?? was?.label;
      const propLabels = { ...(was?.propLabels ?? {}), ...(def.propLabels ?? {}) };
      events[type] = {
        props: { ...(was?.props ?? {}), ...(def.props ?? {}) },
        ...(own ? { currency: own } : was?.currency ? { currency: was.currency } : {}),
        ...(label ? { label } : {}),
        ...(Object.keys(propLabels).length > 0 ? { propLabels } : {}),
      };
    }
    Object.assign(attributes, c.attributes ?? {});
    Object.assign(attributeLabels, c.attributeLabels ?? {});
    if (c.currency) currency = c.currency;
  }
  const labels = Object.keys(attributeLabels).length > 0 ? { attributeLabels } : {};
  return { ...(currency ? { currency } : {}), events, attributes, ...labels };
}

/** The samples' catalogs, merged once. */
export const SAMPLES_CATALOG: Catalog = mergeCatalogs(...Object.values(SAMPLES).map((d) => d.catalog));

/** What a journey's rules and suggestions may use: the workspace's known events, then the journey's own catalog. */
export function knownCatalog(own: Catalog | undefined, workspace: Catalog = SAMPLES_CATALOG): Catalog {
  const merged = mergeCatalogs(workspace, own);
  // The journey's currency is its own say; without one, none is assumed for its undeclared money.
  if (own?.currency) return merged;
  const { currency: _workspace, ...rest } = merged;
  return rest;
}

/** Events the workspace knows that the journey's catalog does not declare yet (each can be added in one click). */
export function undeclaredEvents(own: Catalog | undefined, workspace: Catalog = SAMPLES_CATALOG): Events {
  const declared = own?.events ?? {};
  return Object.fromEntries(Object.entries(workspace.events).filter(([type]) => !(type in declared)));
}

/**
 * The currency new money takes in a journey (a new rebate's, a coupon's value): the journey's own,
 * else the workspace's (what the samples use), so a marketer never types an ISO code.
 */
export function defaultCurrency(own: Catalog | undefined, workspace: Catalog = SAMPLES_CATALOG): string | undefined {
  return own?.currency ?? workspace.currency;
}
