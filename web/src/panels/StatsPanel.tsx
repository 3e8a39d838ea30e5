/**
 * Live numbers for a published journey, from the engine sidecar (`GET /v1/journeys/:id/stats`,
 * proxied at /engine): totals here, visits and people waiting on every node of the canvas. Polled
 * every few seconds while the panel is open.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiFailure, type JourneyStats } from "../api/client.ts";
import { formatDate } from "../format.ts";
import { useEditor } from "../store/editor.ts";
import { useOverlay, type Overlay } from "../store/overlay.ts";
import { usePersistence } from "../store/persistence.ts";
import { messageOf, nodeName, selectNode } from "./common.tsx";
import { useLang } from "../i18n/useLang.ts";

export const STATS_POLL_MS = 5000;

type Problem =
  | { kind: "not_live" }
  | { kind: "unreachable"; detail: string }
  | { kind: "refused"; detail: string }
  | { kind: "other"; detail: string };

/** Why stats could not be read, in terms a person can act on. */
export function statsProblem(e: unknown): Problem {
  if (e instanceof ApiFailure) {
    if (e.status === 404) return { kind: "not_live" };
    if (e.status === 401 || e.status === 403) return { kind: "refused", detail: e.message };
    // The dev proxy answers 502/503/504 (or a bare 500) when the sidecar is not listening.
    if (e.status >= 500) return { kind: "unreachable", detail: e.message };
    return { kind: "other", detail: e.message };
  }
  // fetch itself failed: no server answered at all.
  return { kind: "unreachable", detail: messageOf(e) };
}

/** The canvas overlay for live stats: visits on each node's badge, people there now as its detail. */
export function overlayFromStats(stats: JourneyStats, here: (n: number) => string): Overlay {
  const nodes: Overlay["nodes"] = {};
  for (const [id, s] of Object.entries(stats.nodes))
    nodes[id] = { count: s.visits, ...(s.at > 0 ? { detail: here(s.at) } : {}) };
  return { source: "live", nodes, edges: {} };
}

export function StatsPanel({ onClose, pollMs = STATS_POLL_MS }: { onClose(): void; pollMs?: number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const doc = useEditor((s) => s.doc);
  const liveVersion = usePersistence((s) => s.detail?.liveVersion ?? null);
  const [stats, setStats] = useState<JourneyStats | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);
  const id = doc?.id;

  useEffect(() => {
    if (!id) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const s = await api.stats(id);
        if (!live) return;
        setStats(s);
        setProblem(null);
      } catch (e) {
        if (!live) return;
        setProblem(statsProblem(e));
      } finally {
        if (live) {
          setLoading(false);
          timer = setTimeout(() => void poll(), pollMs);
        }
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
      useOverlay.getState().set(null);
    };
  }, [id, pollMs]);

  useEffect(() => {
    if (stats && !problem) useOverlay.getState().set(overlayFromStats(stats, (n) => t("stats.here", { count: n })));
    else useOverlay.getState().set(null);
  }, [stats, problem, t]);

  const tz = doc?.timeZone ?? "UTC";
  return (
    <section className="panel stats" data-testid="stats-panel">
      <header className="panel__head">
        <h3>{t("stats.title")}</h3>
        <button type="button" onClick={onClose} aria-label={t("app.close")} data-testid="stats-close">
          ✕
        </button>
      </header>
      {loading && <p className="muted">{t("app.loading")}</p>}
      {problem && (
        <div className="panel__error" role="alert" data-testid="stats-problem" data-kind={problem.kind}>
          {problem.kind === "not_live" && (
            <p>{liveVersion === null ? t("stats.neverPublished") : t("stats.notRunning", { version: liveVersion })}</p>
          )}
          {problem.kind === "unreachable" && <p>{t("stats.unreachable")}</p>}
          {problem.kind === "refused" && <p>{t("stats.refused")}</p>}
          {problem.kind !== "not_live" && <p className="muted">{problem.detail}</p>}
          <p className="muted">{t("stats.retrying", { seconds: Math.round(pollMs / 1000) })}</p>
        </div>
      )}
      {stats && !problem && (
        <>
          <dl className="totals">
            <dt>{t("stats.entered")}</dt>
            <dd data-testid="stats-entered">{stats.entered}</dd>
            <dt>{t("stats.active")}</dt>
            <dd data-testid="stats-active">{stats.active}</dd>
            <dt>{t("stats.converted")}</dt>
            <dd data-testid="stats-converted">{stats.converted}</dd>
            <dt>{t("stats.exited")}</dt>
            <dd data-testid="stats-exited">
              {Object.keys(stats.exited).length === 0
                ? "—"
                : Object.entries(stats.exited).map(([reason, n]) => (
                    <span key={reason} className="chip">
                      {t(`sim.exit.${reason}`, { defaultValue: reason })}: {n}
                    </span>
                  ))}
            </dd>
            <dt>{t("stats.versions")}</dt>
            <dd>
              {stats.versions.map((v) => (
                <span key={v.version} className="chip">
                  v{v.version}
                  {v.live ? ` (${t("stats.live")})` : ""}: {t("stats.activeCount", { count: v.active })}
                </span>
              ))}
            </dd>
          </dl>
          <p className="muted">
            {t("stats.updated", { at: formatDate(stats.at, tz, lang, { seconds: true }) })}
            {stats.since && ` · ${t("stats.since", { since: formatDate(stats.since, tz, lang) })}`}
          </p>
          <table className="counts" data-testid="stats-nodes">
            <thead>
              <tr>
                <th>{t("sim.node")}</th>
                <th>{t("stats.visits")}</th>
                <th>{t("stats.at")}</th>
              </tr>
            </thead>
            <tbody>
              {(doc?.nodes ?? []).map((n) => (
                <tr key={n.id} className="counts__row" onClick={() => selectNode(n.id)}>
                  <td>{nodeName(n, n.id, lang)}</td>
                  <td data-testid={`stats-node-visits-${n.id}`}>{stats.nodes[n.id]?.visits ?? 0}</td>
                  <td data-testid={`stats-node-at-${n.id}`}>{stats.nodes[n.id]?.at ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
