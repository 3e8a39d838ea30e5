/**
 * The journeys list's dialogs: a new journey (blank or from a sample template), a duplicate, and
 * the confirmation before archiving a live journey. Modal and keyboard-accessible through
 * ui/Dialog.tsx (Radix UI).
 */
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Lang } from "@lifeloop/shared";
import { api, ApiFailure, type JourneySummary } from "../api/client.ts";
import { navigate } from "../route.ts";
import { AlertDialog, Dialog } from "../ui/Dialog.tsx";
import {
  blankJourney,
  checkFields,
  defaultTimeZone,
  describeIn,
  fromTemplate,
  slugifyId,
  TEMPLATES,
  timeZones,
  uniqueIdAmong,
  type NewJourneyFields,
  type Template,
} from "./newJourney.ts";
import { isUnauthorized, messageOf, signOut } from "./session.ts";

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

/**
 * Name, id (following the name's slug until edited) and, for new journeys, the time zone; with errors from the shared
 * schemas and from the API.
 */
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

/**
 * Where an API failure belongs: a taken id beside the id field, an issue on $.name / $.timeZone beside that field, the
 * rest above the buttons.
 */
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
      f.setFields({
        name: next.name,
        id: f.idTouched ? f.fields.id : uniqueIdAmong(slugifyId(next.name), taken),
        timeZone: next.timeZone,
      });
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
              className={
                template?.sampleId === tpl.sampleId
                  ? "journeys__template journeys__template--chosen"
                  : "journeys__template"
              }
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
          <Field
            label={t("newJourney.name")}
            name="name"
            value={f.fields.name}
            error={f.errorOf("name")}
            autoFocus
            onChange={(v) => f.set("name", v)}
          />
          <Field
            label={t("newJourney.id")}
            name="id"
            value={f.fields.id}
            error={f.errorOf("id")}
            help={t("newJourney.id.help")}
            onChange={(v) => f.set("id", v)}
          />
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

export function DuplicateDialog({
  journey,
  taken,
  onClose,
}: {
  journey: JourneySummary;
  taken: string[];
  onClose(): void;
}) {
  const { t } = useTranslation();
  const f = useFields(
    {
      name: `${journey.name} (copy)`.slice(0, 200),
      id: uniqueIdAmong(`${journey.id}-copy`.slice(0, 64), taken),
      timeZone: "UTC",
    },
    taken,
    false,
  );
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
          <Field
            label={t("newJourney.name")}
            name="name"
            value={f.fields.name}
            error={f.errorOf("name")}
            autoFocus
            onChange={(v) => f.set("name", v)}
          />
          <Field
            label={t("newJourney.id")}
            name="id"
            value={f.fields.id}
            error={f.errorOf("id")}
            help={t("newJourney.id.help")}
            onChange={(v) => f.set("id", v)}
          />
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

/** Archiving a published journey stops the engine running it: asked first, in the page's language. */
export function ArchiveLiveDialog({
  journey,
  onConfirm,
  onClose,
}: {
  journey: JourneySummary;
  onConfirm(): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  return (
    <AlertDialog
      title={t("journeys.archive.title")}
      testId="archive-dialog"
      onClose={onClose}
      cancelTestId="btn-cancel-archive"
      action={{ label: t("journeys.archive"), testId: "btn-confirm-archive", danger: true, run: onConfirm }}
    >
      <p>{t("journeys.archiveConfirm", { name: journey.name })}</p>
    </AlertDialog>
  );
}
