/**
 * Hash routes: `#/` the journeys list, `#/journeys/<id>` the editor (`/<panel>` opens a side panel),
 * `#/journeys/<id>/report` the journey's report page, `#/stages` the lifecycle stage report. Small enough not
 * to need a router.
 */
import { useSyncExternalStore } from "react";

export type Route = { page: "list" } | { page: "stages" } | { page: "editor"; journeyId: string; panel?: string };

function parseRoute(hash: string): Route {
  const m = /^#\/journeys\/([^/?]+)(?:\/([a-z-]+))?/.exec(hash);
  if (m) return { page: "editor", journeyId: decodeURIComponent(m[1]!), ...(m[2] ? { panel: m[2] } : {}) };
  if (/^#\/stages(?:$|[/?])/.test(hash)) return { page: "stages" };
  return { page: "list" };
}

export function hrefOf(r: Route): string {
  if (r.page === "editor") return `#/journeys/${encodeURIComponent(r.journeyId)}${r.panel ? `/${r.panel}` : ""}`;
  return r.page === "stages" ? "#/stages" : "#/";
}

export function navigate(r: Route): void {
  window.location.hash = hrefOf(r);
}

const subscribe = (cb: () => void) => {
  window.addEventListener("hashchange", cb);
  return () => window.removeEventListener("hashchange", cb);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
