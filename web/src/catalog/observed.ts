/**
 * The events the workspace has seen, offered with no setup: what the API's preview profiles were
 * fed (GET /v1/profiles/events) and what the engine's log holds (GET /v1/observed/events), read
 * once when the editor opens a journey. Either may be missing (no engine running): the other and
 * the samples' catalog are offered all the same, and the console says what could not be read.
 */
import { useMemo } from "react";
import { create } from "zustand";
import type { Catalog, ObservedEvents } from "@lifeloop/shared";
import { api } from "../api/client.ts";
import { mergeCatalogs, SAMPLES_CATALOG } from "./known.ts";

export const useObserved = create<{ catalog: Catalog | undefined }>(() => ({ catalog: undefined }));

/** Observed answers as one catalog: every prop seen on a type, the first answer's kind where two differ. */
export function observedCatalog(answers: readonly ObservedEvents[]): Catalog {
  const events: Catalog["events"] = {};
  for (const a of answers)
    for (const e of a.events) {
      const was = events[e.type];
      events[e.type] = { props: { ...e.props, ...(was?.props ?? {}) } };
    }
  return { events, attributes: {} };
}

let loading: Promise<void> | null = null;

/** Reads both once per page (the editor opens many journeys; what was seen changes slowly). */
export function loadObserved(): Promise<void> {
  loading ??= Promise.allSettled([api.profileEvents(), api.observedEvents()]).then((results) => {
    const answers: ObservedEvents[] = [];
    for (const [i, r] of results.entries()) {
      if (r.status === "fulfilled") answers.push(r.value);
      else {
        const what = i === 0 ? "the profiles' events" : "the engine's observed events";
        const why = r.reason instanceof Error ? r.reason.message : String(r.reason);
        console.warn(`could not read ${what} for the rule builder: ${why}`);
      }
    }
    useObserved.setState({ catalog: observedCatalog(answers) });
  });
  return loading;
}

/** What the workspace knows: the events it has seen, under the samples' catalog (which knows money and labels). */
export function useWorkspaceCatalog(): Catalog {
  const observed = useObserved((s) => s.catalog);
  return useMemo(() => (observed ? mergeCatalogs(observed, SAMPLES_CATALOG) : SAMPLES_CATALOG), [observed]);
}
