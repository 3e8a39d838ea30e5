/**
 * The journeys list: search, status filter, one row per journey (JourneyRow.tsx), its data from
 * useJourneys.ts. Its dialogs (new journey, duplicate, archive a live journey) are in
 * JourneyDialogs.tsx. Everything it shows comes from the API's JourneySummary.
 */
import { useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LangSwitch } from "../i18n/LangSwitch.tsx";
import { api, type JourneySummary } from "../api/client.ts";
import { Deferred, lazyNamed } from "../lazy.tsx";
import { isUnauthorized, messageOf, signOut } from "./session.ts";
import { langOf } from "../i18n/useLang.ts";
import { JourneyRow } from "./JourneyRow.tsx";
import { hrefOf } from "../route.ts";
import { STATUSES, useDebounced, useJourneys, type StatusFilter } from "./useJourneys.ts";

// The dialogs (and the sample templates they offer) are fetched when one is first opened.
const NewJourneyDialog = lazyNamed(() => import("./JourneyDialogs.tsx"), "NewJourneyDialog");
const DuplicateDialog = lazyNamed(() => import("./JourneyDialogs.tsx"), "DuplicateDialog");
const ArchiveLiveDialog = lazyNamed(() => import("./JourneyDialogs.tsx"), "ArchiveLiveDialog");
const ApprovalsDialog = lazyNamed(() => import("../panels/ApprovalsDialog.tsx"), "ApprovalsDialog");
const PolicyDialog = lazyNamed(() => import("../compliance/PolicyDialog.tsx"), "PolicyDialog");
const CatalogDialog = lazyNamed(() => import("../redemption/CatalogDialog.tsx"), "CatalogDialog");
const PoolsDialog = lazyNamed(() => import("../pools/PoolsDialog.tsx"), "PoolsDialog");
const LevelsDialog = lazyNamed(() => import("../levels/LevelsDialog.tsx"), "LevelsDialog");

export function JourneysPage() {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const [status, setStatus] = useState<StatusFilter>("");
  const list = useJourneys(q, status);
  const [dialog, setDialog] = useState<
    | { type: "new" }
    | { type: "approvals" }
    | { type: "policy" }
    | { type: "catalog" }
    | { type: "pools" }
    | { type: "levels" }
    | { type: "duplicate" | "archive"; journey: JourneySummary }
    | null
  >(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const ids = useMemo(() => list.items.map((j) => j.id), [list.items]);
  const filtered = q !== "" || status !== "";

  const archive = async (j: JourneySummary, to: boolean, confirmed = false) => {
    const action = t(to ? "journeys.archive" : "journeys.unarchive");
    // A live journey stops running when archived: asked first (a draft runs nowhere).
    if (to && j.liveVersion !== null && !confirmed) return setDialog({ type: "archive", journey: j });
    setActionError(null);
    setBusy(j.id);
    try {
      list.replace(await (to ? api.archive(j.id) : api.unarchive(j.id)));
    } catch (e) {
      if (isUnauthorized(e)) return signOut();
      setActionError(`${t("journeys.actionFailed", { action, id: j.id })}: ${messageOf(e)}`);
    } finally {
      setBusy(null);
    }
  };

  let body: ReactNode;
  if (list.loading && list.items.length === 0) {
    body = (
      <div className="page-message" data-testid="journeys-loading">
        {t("journeys.loading")}
      </div>
    );
  } else if (list.error && list.items.length === 0) {
    body = (
      <div className="page-message journeys__error" role="alert" data-testid="journeys-error">
        <p>
          {t("journeys.loadError")}: {list.error}
        </p>
        <button type="button" data-testid="btn-retry" onClick={list.reload}>
          {t("app.retry")}
        </button>
      </div>
    );
  } else if (list.items.length === 0 && !filtered) {
    body = (
      <div className="journeys__empty" data-testid="journeys-empty">
        <h2>{t("journeys.empty.title")}</h2>
        <p className="muted">{t("journeys.empty.body")}</p>
        <button
          type="button"
          className="primary"
          data-testid="empty-new-journey"
          onClick={() => setDialog({ type: "new" })}
        >
          {t("journeys.empty.cta")}
        </button>
      </div>
    );
  } else if (list.items.length === 0) {
    body = (
      <div className="journeys__empty" data-testid="journeys-no-match">
        <p className="muted">{t("journeys.noMatch")}</p>
        <button
          type="button"
          onClick={() => {
            setSearch("");
            setStatus("");
          }}
        >
          {t("journeys.clearFilters")}
        </button>
      </div>
    );
  } else {
    body = (
      <>
        {list.error && (
          <div className="journeys__alert" role="alert" data-testid="journeys-error">
            {t("journeys.loadError")}: {list.error}{" "}
            <button type="button" data-testid="btn-retry" onClick={list.reload}>
              {t("app.retry")}
            </button>
          </div>
        )}
        <table className="journeys__table" data-testid="journeys-table">
          <thead>
            <tr>
              <th>{t("journeys.col.name")}</th>
              <th>{t("journeys.col.status")}</th>
              <th>{t("journeys.col.version")}</th>
              <th>{t("journeys.col.problems")}</th>
              <th className="num">{t("journeys.col.nodes")}</th>
              <th>{t("journeys.col.updated")}</th>
              <th>
                <span className="visually-hidden">{t("journeys.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((j) => (
              <JourneyRow
                key={j.id}
                j={j}
                lang={lang}
                busy={busy === j.id}
                onDuplicate={() => setDialog({ type: "duplicate", journey: j })}
                onArchive={(to) => void archive(j, to)}
              />
            ))}
          </tbody>
        </table>
        <footer className="journeys__foot">
          <span className="muted" data-testid="journeys-count">
            {t("journeys.count", { shown: list.items.length, total: list.total })}
          </span>
          {list.nextCursor && (
            <button type="button" data-testid="btn-load-more" onClick={() => void list.loadMore()}>
              {t("journeys.loadMore")}
            </button>
          )}
        </footer>
      </>
    );
  }

  return (
    <div className="journeys">
      <header className="journeys__header">
        <h1>
          {t("app.title")} <span className="muted">· {t("journeys.title")}</span>
        </h1>
        <nav className="journeys__nav" aria-label={t("nav.label")}>
          <a href={hrefOf({ page: "stages" })} data-testid="nav-stages">
            {t("stages.nav")}
          </a>
        </nav>
        <span className="journeys__spacer" />
        <LangSwitch />
        <button type="button" data-testid="btn-approvals" onClick={() => setDialog({ type: "approvals" })}>
          {t("approvals.open")}
        </button>
        <button type="button" data-testid="btn-policy" onClick={() => setDialog({ type: "policy" })}>
          {t("policy.open")}
        </button>
        <button type="button" data-testid="btn-catalog" onClick={() => setDialog({ type: "catalog" })}>
          {t("redemption.open")}
        </button>
        <button type="button" data-testid="btn-pools" onClick={() => setDialog({ type: "pools" })}>
          {t("pools.open")}
        </button>
        <button type="button" data-testid="btn-levels" onClick={() => setDialog({ type: "levels" })}>
          {t("levels.open")}
        </button>
        <button type="button" data-testid="btn-sign-out" onClick={signOut}>
          {t("app.signOut")}
        </button>
      </header>
      <div className="journeys__bar" role="search">
        <input
          type="search"
          className="journeys__search"
          data-testid="journeys-search"
          placeholder={t("journeys.search")}
          aria-label={t("journeys.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select
          data-testid="journeys-status"
          aria-label={t("journeys.filter")}
          value={status}
          onChange={(e) => setStatus(e.target.value as StatusFilter)}
        >
          <option value="">{t("journeys.filter.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <span className="journeys__spacer" />
        <button
          type="button"
          className="primary"
          data-testid="btn-new-journey"
          onClick={() => setDialog({ type: "new" })}
        >
          + {t("journeys.new")}
        </button>
      </div>
      {actionError && (
        <div className="journeys__alert" role="alert" data-testid="action-error">
          {actionError}
          <button type="button" onClick={() => setActionError(null)} aria-label={t("app.close")}>
            ×
          </button>
        </div>
      )}
      <main className="journeys__main">{body}</main>
      <Deferred inline>
        {dialog?.type === "new" && <NewJourneyDialog taken={ids} lang={lang} onClose={() => setDialog(null)} />}
        {dialog?.type === "approvals" && (
          <ApprovalsDialog
            onClose={() => {
              setDialog(null);
              list.reload();
            }}
          />
        )}
        {dialog?.type === "policy" && <PolicyDialog onClose={() => setDialog(null)} />}
        {dialog?.type === "catalog" && <CatalogDialog onClose={() => setDialog(null)} />}
        {dialog?.type === "pools" && <PoolsDialog onClose={() => setDialog(null)} />}
        {dialog?.type === "levels" && <LevelsDialog onClose={() => setDialog(null)} />}
        {dialog?.type === "duplicate" && (
          <DuplicateDialog journey={dialog.journey} taken={ids} onClose={() => setDialog(null)} />
        )}
        {dialog?.type === "archive" && (
          <ArchiveLiveDialog
            journey={dialog.journey}
            onConfirm={() => void archive(dialog.journey, true, true)}
            onClose={() => setDialog(null)}
          />
        )}
      </Deferred>
    </div>
  );
}
