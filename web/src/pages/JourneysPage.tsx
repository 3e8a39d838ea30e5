/**
 * The journeys list: search, status filter, one row per journey (status, live version, problems,
 * nodes, last edit, unpublished changes), open, duplicate, archive; and the "new journey" dialog
 * (blank or from a sample template). Everything it shows comes from the API's JourneySummary.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Lang } from "@lifeloop/shared";
import { LangSwitch } from "../App.tsx";
import { api, ApiFailure, setKey, type JourneySummary } from "../api/client.ts";
import { hrefOf, navigate } from "../route.ts";
import {
  blankJourney,
  checkFields,
  defaultTimeZone,
  describeIn,
  formatWhen,
  fromTemplate,
  slugifyId,
  TEMPLATES,
  timeZones,
  uniqueIdAmong,
  type NewJourneyFields,
  type Template,
} from "./newJourney.ts";

const STATUSES = ["draft", "live", "paused", "archived"] as const;
type StatusFilter = "" | (typeof STATUSES)[number];

const langOf = (language: string): Lang => (language === "zh-CN" ? "zh-CN" : "en");

/** A key the API no longer knows: forget it and show the sign-in again. */
export function signOut(): void {
  setKey(null);
  window.location.reload();
}

const isUnauthorized = (e: unknown): boolean => e instanceof ApiFailure && e.status === 401;
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

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
  useEffect(() => {
    const mine = ++request.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.listJourneys(q, status ? { status: [status] } : {}).then(
      (page) => {
        if (mine === request.current) setState({ loading: false, error: null, items: page.items, total: page.total, nextCursor: page.nextCursor });
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
      if (mine === request.current) setState((s) => ({ ...s, items: [...s.items, ...page.items], total: page.total, nextCursor: page.nextCursor }));
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
  const [dialog, setDialog] = useState<{ type: "new" } | { type: "duplicate"; journey: JourneySummary } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const ids = useMemo(() => list.items.map((j) => j.id), [list.items]);
  const filtered = q !== "" || status !== "";

  const archive = async (j: JourneySummary, to: boolean) => {
    const action = t(to ? "journeys.archive" : "journeys.unarchive");
    if (to && j.liveVersion !== null && !window.confirm(t("journeys.archiveConfirm", { name: j.name }))) return;
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
        <button type="button" className="primary" data-testid="empty-new-journey" onClick={() => setDialog({ type: "new" })}>
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
      <div className="journeys__bar">
        <input
          type="search"
          className="journeys__search"
          data-testid="journeys-search"
          placeholder={t("journeys.search")}
          aria-label={t("journeys.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select data-testid="journeys-status" aria-label={t("journeys.filter")} value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
          <option value="">{t("journeys.filter.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <span className="journeys__spacer" />
        <button type="button" className="primary" data-testid="btn-new-journey" onClick={() => setDialog({ type: "new" })}>
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
      {dialog?.type === "new" && <NewJourneyDialog taken={ids} lang={lang} onClose={() => setDialog(null)} />}
      {dialog?.type === "duplicate" && <DuplicateDialog journey={dialog.journey} taken={ids} onClose={() => setDialog(null)} />}
    </div>
  );
}

function Row({ j, lang, busy, onDuplicate, onArchive }: { j: JourneySummary; lang: Lang; busy: boolean; onDuplicate(): void; onArchive(to: boolean): void }) {
  const { t } = useTranslation();
  const href = hrefOf({ page: "editor", journeyId: j.id });
  const when = formatWhen(j.updatedAt, lang);
  const stop = (fn: () => void) => (e: MouseEvent) => {
    e.stopPropagation();
    fn();
  };
  return (
    <tr className="journeys__row" data-testid={`journey-row-${j.id}`} onClick={() => navigate({ page: "editor", journeyId: j.id })}>
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
          <span className="journeys__unpublished" data-testid={`row-unpublished-${j.id}`} title={t("journeys.unpublished")}>
            ● {t("journeys.unpublished.short")}
          </span>
        )}
      </td>
      <td data-testid={`row-version-${j.id}`} title={j.liveVersion === null ? t("journeys.noVersion") : undefined}>
        {j.liveVersion === null ? <span className="muted">—</span> : `v${j.liveVersion}`}
      </td>
      <td className="journeys__problems">
        {j.problems.errors > 0 && (
          <span className="badge badge--error" data-testid={`row-errors-${j.id}`} title={t("journeys.errors", { count: j.problems.errors })}>
            ✕ {j.problems.errors}
          </span>
        )}
        {j.problems.warnings > 0 && (
          <span className="badge badge--warning" data-testid={`row-warnings-${j.id}`} title={t("journeys.warnings", { count: j.problems.warnings })}>
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
        <a className="btn-link" data-testid={`btn-report-${j.id}`} href={hrefOf({ page: "editor", journeyId: j.id, panel: "report" })} onClick={(e) => e.stopPropagation()}>
          {t("journeys.report")}
        </a>
        <button type="button" data-testid={`btn-duplicate-${j.id}`} onClick={stop(onDuplicate)} disabled={busy}>
          {t("journeys.duplicate")}
        </button>
        {j.status === "archived" ? (
          <button type="button" data-testid={`btn-unarchive-${j.id}`} onClick={stop(() => onArchive(false))} disabled={busy}>
            {t("journeys.unarchive")}
          </button>
        ) : (
          <button type="button" data-testid={`btn-archive-${j.id}`} onClick={stop(() => onArchive(true))} disabled={busy}>
            {t("journeys.archive")}
          </button>
        )}
      </td>
    </tr>
  );
}

function Dialog({ title, testId, onClose, children }: { title: string; testId: string; onClose(): void; children: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    const key = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", key);
    return () => window.removeEventListener("keydown", key);
  }, [onClose]);
  return (
    <>
      <div className="journeys__backdrop" onClick={onClose} />
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header>
          <h2>{title}</h2>
          <button type="button" onClick={onClose} aria-label={t("app.close")}>
            ×
          </button>
        </header>
        {children}
      </div>
    </>
  );
}

interface FieldProps {
  label: string;
  name: keyof NewJourneyFields;
  value: string;
  error: string | null;
  help?: string;
  list?: string;
  autoFocus?: boolean;
  onChange(v: string): void;
}

function Field({ label, name, value, error, help, list, autoFocus, onChange }: FieldProps) {
  const id = useId();
  return (
    <div className={`journeys__field${error ? " journeys__field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={`field-${name}`}
        value={value}
        list={list}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoFocus={autoFocus}
      />
      {error ? (
        <div className="journeys__field-error" id={`${id}-error`} role="alert" data-testid={`error-${name}`}>
          {error}
        </div>
      ) : (
        help && <div className="journeys__field-help">{help}</div>
      )}
    </div>
  );
}

/** Name, id (following the name's slug until edited) and, for new journeys, the time zone; with errors from the shared schemas and from the API. */
function useFields(initial: NewJourneyFields, taken: string[], idFollowsName: boolean) {
  const { t } = useTranslation();
  const [fields, setFields] = useState(initial);
  const [idTouched, setIdTouched] = useState(!idFollowsName);
  const [showErrors, setShowErrors] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<keyof NewJourneyFields, string>>>({});
  const problems = checkFields(fields);
  const errorOf = (k: keyof NewJourneyFields): string | null => {
    if (serverErrors[k]) return serverErrors[k];
    return showErrors && problems[k] ? t(problems[k]) : null;
  };
  const set = (k: keyof NewJourneyFields, v: string) => {
    setServerErrors((s) => ({ ...s, [k]: undefined }));
    setFields((f) => {
      const next = { ...f, [k]: v };
      if (k === "name" && !idTouched) next.id = uniqueIdAmong(slugifyId(v), taken);
      return next;
    });
    if (k === "id") setIdTouched(true);
  };
  return {
    fields,
    setFields,
    idTouched,
    set,
    errorOf,
    valid: Object.keys(problems).length === 0,
    reveal: () => setShowErrors(true),
    setServerErrors,
  };
}

/** Where an API failure belongs: a taken id beside the id field, an issue on $.name / $.timeZone beside that field, the rest above the buttons. */
function placeFailure(e: unknown): { field?: keyof NewJourneyFields; message: string } {
  if (!(e instanceof ApiFailure)) return { message: messageOf(e) };
  if (e.status === 409) return { field: "id", message: e.message };
  for (const issue of e.issues) {
    const m = /^\$\.(id|name|timeZone)$/.exec(issue.path);
    if (m) return { field: m[1] as keyof NewJourneyFields, message: issue.message };
  }
  const details = e.issues.map((i) => `${i.path}${i.nodeId ? ` (${i.nodeId})` : ""}: ${i.message}`).join("; ");
  return { message: details ? `${e.message} — ${details}` : e.message };
}

export function NewJourneyDialog({ taken, lang, onClose }: { taken: string[]; lang: Lang; onClose(): void }) {
  const { t } = useTranslation();
  const [template, setTemplate] = useState<Template | null>(null);
  const f = useFields({ name: "", id: "", timeZone: defaultTimeZone(lang) }, taken, true);
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const zones = useMemo(timeZones, []);
  const zoneList = useId();

  const choose = (next: Template | null) => {
    setTemplate(next);
    // The name and zone follow the choice until the person types their own name.
    if (next && (f.fields.name === "" || f.fields.name === template?.name)) {
      f.setFields({ name: next.name, id: f.idTouched ? f.fields.id : uniqueIdAmong(slugifyId(next.name), taken), timeZone: next.timeZone });
    } else if (!next && template && f.fields.name === template.name) {
      f.setFields({ name: "", id: f.idTouched ? f.fields.id : "", timeZone: defaultTimeZone(lang) });
    } else if (next) {
      f.setFields((v) => ({ ...v, timeZone: next.timeZone }));
    }
  };

  const submit = async () => {
    f.reveal();
    setFailure(null);
    if (!f.valid) return;
    const fields = { ...f.fields, name: f.fields.name.trim() };
    const doc = template ? fromTemplate(template, fields) : blankJourney(fields);
    setWorking(true);
    try {
      const created = await api.createJourney(doc);
      onClose();
      navigate({ page: "editor", journeyId: created.id });
    } catch (e) {
      if (isUnauthorized(e)) return signOut();
      const placed = placeFailure(e);
      if (placed.field) f.setServerErrors({ [placed.field]: placed.message });
      else setFailure(`${t("newJourney.failed")}: ${placed.message}`);
    } finally {
      setWorking(false);
    }
  };

  return (
    <Dialog title={t("newJourney.title")} testId="new-journey-dialog" onClose={onClose}>
      <form
        className="journeys__form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h3>{t("newJourney.start")}</h3>
        <div className="journeys__templates" role="radiogroup" aria-label={t("newJourney.start")}>
          <button
            type="button"
            role="radio"
            aria-checked={template === null}
            className={`journeys__template${template === null ? " journeys__template--chosen" : ""}`}
            data-testid="new-blank"
            onClick={() => choose(null)}
          >
            <strong>{t("newJourney.blank")}</strong>
            <span className="muted">{t("newJourney.blank.help")}</span>
            <span className="journeys__template-nodes">{t("newJourney.nodes", { count: 1 })}</span>
          </button>
          {TEMPLATES.map((tpl) => (
            <button
              type="button"
              role="radio"
              aria-checked={template?.sampleId === tpl.sampleId}
              key={tpl.sampleId}
              className={`journeys__template${template?.sampleId === tpl.sampleId ? " journeys__template--chosen" : ""}`}
              data-testid={`template-${tpl.sampleId}`}
              onClick={() => choose(tpl)}
            >
              <strong>{tpl.name}</strong>
              <span className="muted">{describeIn(tpl.description, lang)}</span>
              <span className="journeys__template-nodes">{t("newJourney.nodes", { count: tpl.nodeCount })}</span>
            </button>
          ))}
        </div>
        <div className="journeys__fields">
          <Field label={t("newJourney.name")} name="name" value={f.fields.name} error={f.errorOf("name")} autoFocus onChange={(v) => f.set("name", v)} />
          <Field label={t("newJourney.id")} name="id" value={f.fields.id} error={f.errorOf("id")} help={t("newJourney.id.help")} onChange={(v) => f.set("id", v)} />
          <Field
            label={t("newJourney.timeZone")}
            name="timeZone"
            value={f.fields.timeZone}
            error={f.errorOf("timeZone")}
            help={t("newJourney.timeZone.help")}
            list={zoneList}
            onChange={(v) => f.set("timeZone", v)}
          />
          <datalist id={zoneList}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        {failure && (
          <div className="journeys__alert" role="alert" data-testid="new-journey-error">
            {failure}
          </div>
        )}
        <footer className="journeys__dialog-foot">
          <button type="button" onClick={onClose}>
            {t("app.cancel")}
          </button>
          <button type="submit" className="primary" data-testid="btn-create" disabled={working}>
            {working ? t("newJourney.creating") : t("newJourney.create")}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}

export function DuplicateDialog({ journey, taken, onClose }: { journey: JourneySummary; taken: string[]; onClose(): void }) {
  const { t } = useTranslation();
  const f = useFields({ name: `${journey.name} (copy)`.slice(0, 200), id: uniqueIdAmong(`${journey.id}-copy`.slice(0, 64), taken), timeZone: "UTC" }, taken, false);
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async () => {
    f.reveal();
    setFailure(null);
    if (!f.valid) return;
    setWorking(true);
    try {
      const copy = await api.duplicate(journey.id, f.fields.id, f.fields.name.trim());
      onClose();
      navigate({ page: "editor", journeyId: copy.id });
    } catch (e) {
      if (isUnauthorized(e)) return signOut();
      const placed = placeFailure(e);
      if (placed.field === "id" || placed.field === "name") f.setServerErrors({ [placed.field]: placed.message });
      else setFailure(`${t("duplicate.failed")}: ${placed.message}`);
    } finally {
      setWorking(false);
    }
  };
  return (
    <Dialog title={t("duplicate.title", { name: journey.name })} testId="duplicate-dialog" onClose={onClose}>
      <form
        className="journeys__form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="muted">{t("duplicate.help")}</p>
        <div className="journeys__fields">
          <Field label={t("newJourney.name")} name="name" value={f.fields.name} error={f.errorOf("name")} autoFocus onChange={(v) => f.set("name", v)} />
          <Field label={t("newJourney.id")} name="id" value={f.fields.id} error={f.errorOf("id")} help={t("newJourney.id.help")} onChange={(v) => f.set("id", v)} />
        </div>
        {failure && (
          <div className="journeys__alert" role="alert" data-testid="duplicate-error">
            {failure}
          </div>
        )}
        <footer className="journeys__dialog-foot">
          <button type="button" onClick={onClose}>
            {t("app.cancel")}
          </button>
          <button type="submit" className="primary" data-testid="btn-confirm-duplicate" disabled={working}>
            {working ? t("duplicate.working") : t("duplicate.confirm")}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
