/**
 * The words a node says for the journey's data, from its catalog and the workspace's: one set per
 * catalog and language, shared by every node, so a 1,000-node canvas merges the catalogs once.
 */
import type { Catalog, Lang, SummaryNames } from "@lifeloop/shared";
import { knownCatalog } from "../catalog/known.ts";
import { summaryNames } from "../i18n/catalogNames.ts";
import { useEditor } from "../store/editor.ts";

interface Known {
  catalog: Catalog;
  names: Partial<Record<Lang, SummaryNames>>;
}

const byOwn = new WeakMap<Catalog, Known>();
let noOwn: Known | null = null;

function known(own: Catalog | undefined): Known {
  if (!own) return (noOwn ??= { catalog: knownCatalog(undefined), names: {} });
  const hit = byOwn.get(own);
  if (hit) return hit;
  const made = { catalog: knownCatalog(own), names: {} };
  byOwn.set(own, made);
  return made;
}

/** The journey's catalog under the workspace's, merged once per edit of the journey's own. */
export function useKnownCatalog(): Catalog {
  return known(useEditor((s) => s.doc?.catalog)).catalog;
}

/** Names for summaries in `lang`, the same object while the catalog is unchanged (the view memo keys on it). */
export function useSummaryNames(lang: Lang): SummaryNames {
  const k = known(useEditor((s) => s.doc?.catalog));
  k.names[lang] ??= summaryNames(k.catalog, lang);
  return k.names[lang];
}
