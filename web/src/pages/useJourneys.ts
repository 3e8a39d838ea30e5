/**
 * The journeys list's data: one page at a time from the API, searched and filtered by status, and a
 * debounce for typing.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type JourneySummary } from "../api/client.ts";
import { isUnauthorized, messageOf, signOut } from "./session.ts";

export const STATUSES = ["draft", "live", "paused", "archived"] as const;
export type StatusFilter = "" | (typeof STATUSES)[number];

export interface ListState {
  loading: boolean;
  error: string | null;
  items: JourneySummary[];
  total: number;
  nextCursor: string | null;
}

export function useJourneys(q: string, status: StatusFilter) {
  const [state, setState] = useState<ListState>({ loading: true, error: null, items: [], total: 0, nextCursor: null });
  const [reloads, setReloads] = useState(0);
  const request = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads is the trigger: bumping it reloads the list
  useEffect(() => {
    const mine = ++request.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.listJourneys(q, status ? { status: [status] } : {}).then(
      (page) => {
        if (mine === request.current)
          setState({ loading: false, error: null, items: page.items, total: page.total, nextCursor: page.nextCursor });
      },
      (e: unknown) => {
        if (isUnauthorized(e)) return signOut();
        if (mine === request.current) setState((s) => ({ ...s, loading: false, error: messageOf(e) }));
      },
    );
  }, [q, status, reloads]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor;
    if (!cursor) return;
    const mine = request.current;
    try {
      const page = await api.listJourneys(q, { ...(status ? { status: [status] } : {}), cursor });
      if (mine === request.current)
        setState((s) => ({ ...s, items: [...s.items, ...page.items], total: page.total, nextCursor: page.nextCursor }));
    } catch (e) {
      if (isUnauthorized(e)) return signOut();
      setState((s) => ({ ...s, error: messageOf(e) }));
    }
  }, [q, status, state.nextCursor]);
  /**
   * A row changed by an action (archive, unarchive): replaced in place, or dropped when the filter no
   * longer shows it.
   */
  const replace = useCallback(
    (row: JourneySummary) =>
      setState((s) => {
        const visible = status ? row.status === status : row.status !== "archived";
        return {
          ...s,
          items: visible ? s.items.map((j) => (j.id === row.id ? row : j)) : s.items.filter((j) => j.id !== row.id),
          total: visible ? s.total : s.total - 1,
        };
      }),
    [status],
  );
  return { ...state, reload, loadMore, replace };
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
