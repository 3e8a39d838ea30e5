/**
 * Saving the draft: explicit (button, Ctrl+S) and automatic a moment after the last edit. The
 * API's ETag guards against two people overwriting each other; a conflict stops autosave until
 * the person chooses to reload or overwrite. When the API cannot store anything for a moment (503:
 * its database restarting, full or locked) the edits stay in the page and autosave tries again
 * after the `Retry-After` the API gave.
 */
import { useEffect } from "react";
import { create } from "zustand";
import { api, ApiFailure, type JourneyDetailBody } from "../api/client.ts";
import { isDirty, useEditor, type Doc } from "./editor.ts";

type SaveStatus = "idle" | "saving" | "saved" | "conflict" | "unavailable" | "error";

interface Persistence {
  status: SaveStatus;
  error: string | null;
  /** What the server answered on the last load or save (status, versions, issues). */
  detail: JourneyDetailBody | null;
  lastSavedAt: number | null;
  /** While "unavailable": how long autosave waits before trying again. */
  retryInMs: number | null;
  autosave: boolean;
  setDetail(d: JourneyDetailBody): void;
}

export const usePersistence = create<Persistence>((set) => ({
  status: "idle",
  error: null,
  detail: null,
  lastSavedAt: null,
  retryInMs: null,
  autosave: true,
  setDetail: (detail) => set({ detail }),
}));

let inflight: Promise<boolean> | null = null;

/** Saves the current document; resolves false when it could not (the status says why). */
export async function saveDraft(options: { force?: boolean } = {}): Promise<boolean> {
  if (inflight) await inflight;
  const { doc, etag } = useEditor.getState();
  if (!doc || !etag) return false;
  if (!options.force && !isDirty(useEditor.getState())) return true;
  const run = (async () => {
    usePersistence.setState({ status: "saving", error: null, retryInMs: null });
    try {
      const detail = await api.saveDraft(doc.id, doc, options.force ? "*" : etag);
      useEditor.getState().markSaved(detail.document as Doc, detail.etag);
      // markSaved keeps edits made during the save: the document saved is `doc`.
      useEditor.setState({ saved: doc });
      usePersistence.setState({ status: "saved", detail, lastSavedAt: Date.now() });
      return true;
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409) {
        usePersistence.setState({ status: "conflict", error: e.message });
      } else if (e instanceof ApiFailure && e.status === 503) {
        usePersistence.setState({
          status: "unavailable",
          error: e.message,
          retryInMs: Math.max(1000, e.retryAfterMs ?? 2000),
        });
      } else {
        usePersistence.setState({ status: "error", error: e instanceof Error ? e.message : String(e) });
      }
      return false;
    } finally {
      inflight = null;
    }
  })();
  inflight = run;
  return run;
}

/** Loads a journey into the editor (replacing what is there and its history). */
export async function loadJourney(id: string): Promise<JourneyDetailBody> {
  const detail = await api.getJourney(id);
  useEditor.getState().load(detail.document as Doc, detail.etag);
  usePersistence.setState({ status: "idle", error: null, detail, lastSavedAt: null });
  return detail;
}

/** Saves a moment after the last edit while autosave is on and nothing is in conflict. */
export function useAutosave(delayMs = 1500): void {
  const doc = useEditor((s) => s.doc);
  const saved = useEditor((s) => s.saved);
  const enabled = usePersistence((s) => s.autosave);
  const status = usePersistence((s) => s.status);
  const retryInMs = usePersistence((s) => s.retryInMs);
  useEffect(() => {
    // Not while a save is under way: a timer set then could fire before this effect sees the
    // answer and send the next save at once (against an unavailable API: a save every few ms).
    if (!enabled || !doc || doc === saved || status === "conflict" || status === "saving") return;
    const t = setTimeout(() => void saveDraft(), status === "unavailable" && retryInMs !== null ? retryInMs : delayMs);
    return () => clearTimeout(t);
  }, [doc, saved, enabled, status, retryInMs, delayMs]);
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (isDirty(useEditor.getState())) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);
}
