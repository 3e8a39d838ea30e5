/**
 * The journeys list: search, status filter, one row per journey (status, live version, problems,
 * nodes, last edit, unpublished changes), open, duplicate, archive. Its dialogs (new journey,
 * duplicate, archive a live journey) are in JourneyDialogs.tsx. Everything it shows comes from the
 * API's JourneySummary.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Lang } from "@lifeloop/shared";
import { LangSwitch } from "../i18n/LangSwitch.tsx";
import { api, type JourneySummary } from "../api/client.ts";
import { hrefOf, navigate } from "../route.ts";
import { Deferred, lazyNamed } from "../lazy.tsx";
import { formatWhen } from "./newJourney.ts";
import { isUnauthorized, messageOf, signOut } from "./session.ts";
import { langOf } from "../i18n/useLang.ts";

// The dialogs (and the sample templates they offer) are fetched when one is first opened.
const NewJourneyDialog = lazyNamed(() => import("./JourneyDialogs.tsx"), "NewJourneyDialog");
const DuplicateDialog = lazyNamed(() => import("./JourneyDialogs.tsx"), "DuplicateDialog");
const ArchiveLiveDialog = lazyNamed(() => import("./JourneyDialogs.tsx"), "ArchiveLiveDialog");

const STATUSES = ["draft", "live", "paused", "archived"] as const;
type StatusFilter = "" | (typeof STATUSES)[number];

interface ListState {
  loading: boolean;
  error: string | null;
  items: JourneySummary[];
  total: number;
  nextCursor: string | null;
}

function useJourneys(q: string, status: StatusFilter) {
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
  /** A row changed by an action (archive, unarchive): replaced in place, or dropped when the filter no longer shows it. */
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

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function JourneysPage() {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const [status, setStatus] = useState<StatusFilter>("");
  const list = useJourneys(q, status);
  const [dialog, setDialog] = useState<
    { type: "new" } | { type: "duplicate" | "archive"; journey: JourneySummary } | null
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
              <Row
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
        <span className="journeys__spacer" />
        <LangSwitch />
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

function Row({
  j,
  lang,
  busy,
  onDuplicate,
  onArchive,
}: {
  j: JourneySummary;
  lang: Lang;
  busy: boolean;
  onDuplicate(): void;
  onArchive(to: boolean): void;
}) {
  const { t } = useTranslation();
  const href = hrefOf({ page: "editor", journeyId: j.id });
  const when = formatWhen(j.updatedAt, lang);
  const stop = (fn: () => void) => (e: MouseEvent) => {
    e.stopPropagation();
    fn();
  };
  return (
    <tr
      className="journeys__row"
      data-testid={`journey-row-${j.id}`}
      onClick={() => navigate({ page: "editor", journeyId: j.id })}
    >
      <td>
        <a href={href} className="journeys__name" onClick={(e) => e.stopPropagation()}>
          {j.name}
        </a>
        <div className="journeys__id">{j.id}</div>
      </td>
      <td>
        <span className={`status status--${j.status}`} data-testid={`row-status-${j.id}`}>
          {t(`status.${j.status}`)}
        </span>
        {j.liveVersion !== null && j.hasUnpublishedChanges && (
          <span
            className="journeys__unpublished"
            data-testid={`row-unpublished-${j.id}`}
            title={t("journeys.unpublished")}
          >
            ● {t("journeys.unpublished.short")}
          </span>
        )}
      </td>
      <td data-testid={`row-version-${j.id}`} title={j.liveVersion === null ? t("journeys.noVersion") : undefined}>
        {j.liveVersion === null ? <span className="muted">—</span> : `v${j.liveVersion}`}
      </td>
      <td className="journeys__problems">
        {j.problems.errors > 0 && (
          <span
            className="badge badge--error"
            data-testid={`row-errors-${j.id}`}
            title={t("journeys.errors", { count: j.problems.errors })}
          >
            ✕ {j.problems.errors}
          </span>
        )}
        {j.problems.warnings > 0 && (
          <span
            className="badge badge--warning"
            data-testid={`row-warnings-${j.id}`}
            title={t("journeys.warnings", { count: j.problems.warnings })}
          >
            ⚠ {j.problems.warnings}
          </span>
        )}
        {j.problems.errors === 0 && j.problems.warnings === 0 && (
          <span className="badge badge--ok" data-testid={`row-ok-${j.id}`} title={t("journeys.noProblems")}>
            ✓
          </span>
        )}
      </td>
      <td className="num" data-testid={`row-nodes-${j.id}`}>
        {j.nodeCount}
      </td>
      <td data-testid={`row-updated-${j.id}`}>
        <time dateTime={j.updatedAt} title={when.absolute}>
          {when.relative}
        </time>
        <div className="journeys__when">
          {when.absolute} · {t("journeys.updatedBy", { who: j.updatedBy })}
        </div>
      </td>
      <td className="journeys__actions">
        <a
          className="btn-link"
          data-testid={`btn-report-${j.id}`}
          href={hrefOf({ page: "editor", journeyId: j.id, panel: "report" })}
          onClick={(e) => e.stopPropagation()}
        >
          {t("journeys.report")}
        </a>
        <button type="button" data-testid={`btn-duplicate-${j.id}`} onClick={stop(onDuplicate)} disabled={busy}>
          {t("journeys.duplicate")}
        </button>
        {j.status === "archived" ? (
          <button
            type="button"
            data-testid={`btn-unarchive-${j.id}`}
            onClick={stop(() => onArchive(false))}
            disabled={busy}
          >
            {t("journeys.unarchive")}
          </button>
        ) : (
          <button
            type="button"
            data-testid={`btn-archive-${j.id}`}
            onClick={stop(() => onArchive(true))}
            disabled={busy}
          >
            {t("journeys.archive")}
          </button>
        )}
      </td>
    </tr>
  );
}
