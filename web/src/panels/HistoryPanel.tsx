/**
 * Every published version of the journey — who, when, why (the publish note) — with the diff of
 * any two sides (a version or the draft), the live figures of one version (the engine's report for
 * that version) and "restore as draft" (the API's restore route, audit logged).
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type DiffResult, type VersionSummary } from "../api/client.ts";
import { formatDate } from "../format.ts";
import { useEditor } from "../store/editor.ts";
import { loadJourney } from "../store/persistence.ts";
import { AlertDialog } from "../ui/Dialog.tsx";
import { messageOf } from "./common.tsx";
import { useLang } from "../i18n/useLang.ts";
import { DiffView } from "./DiffView.tsx";

type Side = number | "draft";
type Figures =
  | { version: number; entered: number; converted: number; active: number }
  | { version: number; error: string };

const sideOf = (v: string): Side => (v === "draft" ? "draft" : Number(v));

export function HistoryPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const doc = useEditor((s) => s.doc);
  const id = doc?.id;
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState<Side | null>(null);
  const [to, setTo] = useState<Side>("draft");
  const [diff, setDiff] = useState<DiffResult | null>(null);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);

  useEffect(() => {
    if (!id) return;
    let live = true;
    api.versions(id).then(
      (r) => {
        if (!live) return;
        setVersions(r.items);
        setFrom((f) => f ?? r.items[0]?.version ?? null);
      },
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [id]);

  useEffect(() => {
    if (!id || from === null) return;
    let live = true;
    setDiff(null);
    api.diff(id, from, to).then(
      (r) => live && setDiff(r),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [id, from, to]);

  async function showFigures(version: number) {
    if (!id) return;
    try {
      const r = await api.report(id, version);
      setFigures({ version, entered: r.totals.entered, converted: r.totals.converted, active: r.totals.active });
    } catch (e) {
      setFigures({ version, error: messageOf(e) });
    }
  }

  async function restore(version: number) {
    if (!id) return;
    setRestoring(null);
    try {
      await api.restore(id, version);
      await loadJourney(id);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const sideLabel = (s: Side) => (s === "draft" ? t("publish.draft") : `v${s}`);
  const sides: Side[] = ["draft", ...(versions ?? []).map((v) => v.version)];
  return (
    <section className="panel history" data-testid="history-panel" aria-labelledby="history-title">
      <header className="panel__head">
        <h3 id="history-title">{t("history.title")}</h3>
        <button type="button" onClick={onClose} aria-label={t("app.close")} data-testid="history-close">
          ✕
        </button>
      </header>
      {error && (
        <p className="panel__error" role="alert">
          {error}
        </p>
      )}
      {versions === null && !error && <p className="muted">{t("app.loading")}</p>}
      {versions?.length === 0 && <p data-testid="history-empty">{t("history.none")}</p>}
      <ol className="history__list">
        {versions?.map((v) => (
          <li key={v.version} className="history__item" data-testid={`history-v${v.version}`}>
            <div className="history__line">
              <strong>v{v.version}</strong>
              {v.live && <span className="chip">{t("history.live")}</span>}
              <span className="muted">
                {formatDate(v.publishedAt, doc?.timeZone ?? "UTC", lang)} · {v.publishedBy}
              </span>
            </div>
            <p className="history__note">{v.note || <span className="muted">{t("history.noNote")}</span>}</p>
            <div className="history__actions">
              <button
                type="button"
                data-testid={`history-stats-${v.version}`}
                onClick={() => void showFigures(v.version)}
              >
                {t("history.stats")}
              </button>
              <button
                type="button"
                data-testid={`history-restore-${v.version}`}
                onClick={() => setRestoring(v.version)}
              >
                {t("history.restore")}
              </button>
            </div>
            {figures?.version === v.version && (
              <p className="history__figures" data-testid={`history-figures-${v.version}`}>
                {"error" in figures
                  ? t("history.noFigures", { detail: figures.error })
                  : t("history.figures", {
                      entered: figures.entered.toLocaleString(lang),
                      converted: figures.converted.toLocaleString(lang),
                      active: figures.active.toLocaleString(lang),
                    })}
              </p>
            )}
          </li>
        ))}
      </ol>
      {versions && versions.length > 0 && from !== null && (
        <div className="history__compare">
          <h4>{t("history.compare")}</h4>
          <div className="panel__form">
            <label>
              {t("history.from")}
              <select data-testid="history-from" value={String(from)} onChange={(e) => setFrom(sideOf(e.target.value))}>
                {sides.map((s) => (
                  <option key={s} value={String(s)}>
                    {sideLabel(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("history.to")}
              <select data-testid="history-to" value={String(to)} onChange={(e) => setTo(sideOf(e.target.value))}>
                {sides.map((s) => (
                  <option key={s} value={String(s)}>
                    {sideLabel(s)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {diff && (
            <div data-testid="history-diff">
              <DiffView diff={diff.diff} intro={t("history.diffIntro", { from: sideLabel(from), to: sideLabel(to) })} />
            </div>
          )}
        </div>
      )}
      {restoring !== null && (
        <AlertDialog
          title={t("history.restoreTitle", { version: restoring })}
          testId="history-restore-dialog"
          onClose={() => setRestoring(null)}
          action={{
            label: t("history.restoreConfirm"),
            testId: "history-restore-confirm",
            danger: true,
            run: () => void restore(restoring),
          }}
        >
          <p>{t("history.restoreBody", { version: restoring })}</p>
        </AlertDialog>
      )}
    </section>
  );
}
