/**
 * Publishing the draft: it is saved first, then the person sees what the compiler says (errors block),
 * what the worst case can cost, what changed since the live version, chooses what happens to people
 * already inside, writes a note, and publishes.
 */
import type { Issue } from "@lifeloop/shared";
import { issueText } from "../i18n/issues.ts";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  api,
  ApiFailure,
  type Approval,
  type DiffResult,
  type ErrorIssue,
  type VersionSummary,
} from "../api/client.ts";
import { usePolicy } from "../store/policy.ts";
import { isDirty, useEditor } from "../store/editor.ts";
import { saveDraft, usePersistence } from "../store/persistence.ts";
import { useValidation } from "../store/validation.ts";
import { CostTable } from "./CostTable.tsx";
import { BacktestSummary } from "../backtest/BacktestSummary.tsx";
import { DiffView } from "./DiffView.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { IssuesByNode, messageOf, selectNode } from "./common.tsx";
import { useLang } from "../i18n/useLang.ts";

type DiffState =
  | { state: "loading" }
  | { state: "first" }
  | { state: "done"; result: DiffResult }
  | { state: "failed"; message: string };

export function PublishDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const doc = useEditor((s) => s.doc);
  const validation = useValidation();
  const [saving, setSaving] = useState<"saving" | "saved" | "failed">(() =>
    isDirty(useEditor.getState()) ? "saving" : "saved",
  );
  const [diff, setDiff] = useState<DiffState>({ state: "loading" });
  const [inFlight, setInFlight] = useState<"keep" | "migrate">("keep");
  const [note, setNote] = useState("");
  const [publishing, setPublishing] = useState(false);
  const [failure, setFailure] = useState<{ message: string; issues: ErrorIssue[] } | null>(null);
  const [published, setPublished] = useState<VersionSummary | null>(null);
  /** Four eyes: the request that now waits for an approver, instead of a version. */
  const [requested, setRequested] = useState<Approval | null>(null);
  const requireApproval = usePolicy((s) => s.requireApproval);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const id = doc?.id;

  useEffect(() => {
    if (!id) return;
    let live = true;
    void (async () => {
      if (isDirty(useEditor.getState())) {
        const ok = await saveDraft();
        if (!live) return;
        setSaving(ok ? "saved" : "failed");
        if (!ok) return;
      }
      try {
        const result = await api.diff(id);
        if (live) setDiff({ state: "done", result });
      } catch (e) {
        if (!live) return;
        if (e instanceof ApiFailure && e.status === 409 && e.code === "not_published") setDiff({ state: "first" });
        else setDiff({ state: "failed", message: messageOf(e) });
      }
    })();
    return () => {
      live = false;
    };
  }, [id]);

  const fresh = validation.doc === doc && !validation.pending;
  const errors = validation.issues.filter((i) => i.severity === "error");
  const warnings = validation.issues.filter((i) => i.severity === "warning");
  const plainOf = (i: Issue): string =>
    issueText(i, lang, i.nodeId ? validation.doc?.nodes.find((n) => n.id === i.nodeId) : undefined).text;
  const blocked =
    !fresh || errors.length > 0 || saving !== "saved" || publishing || published !== null || requested !== null;

  async function publish() {
    if (!id) return;
    setPublishing(true);
    setFailure(null);
    try {
      // Edits made while the dialog was open are saved too: what is published is what is seen.
      if (isDirty(useEditor.getState()) && !(await saveDraft())) {
        setFailure({ message: t("publish.saveFailed"), issues: [] });
        return;
      }
      const answer = await api.publish(id, note.trim(), inFlight);
      if ("status" in answer) {
        setRequested(answer);
        return;
      }
      const version = answer;
      // The toolbar's "live · vN" comes from the journey as the API now answers it: fetched before
      // the result shows, so the two never disagree.
      try {
        usePersistence.getState().setDetail(await api.getJourney(id));
      } catch (e) {
        setRefreshError(messageOf(e));
      }
      setPublished(version);
    } catch (e) {
      setFailure({
        message: e instanceof ApiFailure && e.status === 422 ? t("publish.refused") : messageOf(e),
        issues: e instanceof ApiFailure ? e.issues : [],
      });
    } finally {
      setPublishing(false);
    }
  }

  const pick = (nodeId: string) => {
    selectNode(nodeId);
    onClose();
  };

  return (
    <Dialog
      title={t("publish.title")}
      testId="publish-dialog"
      className="publish"
      closeTestId="publish-close"
      onClose={onClose}
    >
      {saving === "saving" && <p className="muted">{t("publish.saving")}</p>}
      {saving === "failed" && (
        <p className="error-text" role="alert" data-testid="publish-save-failed">
          {t("publish.saveFailed")}: {usePersistence.getState().error}
        </p>
      )}

      <section className="publish__section" data-testid="publish-validation">
        <h3>{t("publish.validation")}</h3>
        {!fresh ? (
          <p className="muted">{t("publish.checking")}</p>
        ) : errors.length === 0 ? (
          <p className="ok-text" data-testid="publish-valid">
            ✓ {t("publish.noErrors")}
          </p>
        ) : (
          <>
            <p className="error-text">{t("publish.errorsBlock", { count: errors.length })}</p>
            <ul data-testid="publish-errors">
              {errors.map((i, n) => (
                <li key={`${i.path}-${n}`}>
                  <button
                    type="button"
                    className="problem problem--error"
                    data-testid="publish-error"
                    data-node={i.nodeId ?? ""}
                    disabled={!i.nodeId}
                    onClick={() => i.nodeId && pick(i.nodeId)}
                  >
                    <span className="problem__where">{i.nodeId ?? t("problems.journey")}</span>
                    <span className="problem__message">{plainOf(i)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        {fresh && warnings.length > 0 && (
          <details data-testid="publish-warnings">
            <summary>{t("publish.warnings", { count: warnings.length })}</summary>
            <ul>
              {warnings.map((i, n) => (
                <li key={`${i.path}-${n}`} className="problem problem--warning" data-node={i.nodeId ?? ""}>
                  <span className="problem__where">{i.nodeId ?? t("problems.journey")}</span>{" "}
                  <span className="problem__message">{plainOf(i)}</span>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>

      {fresh && validation.cost && Object.keys(validation.cost).length > 0 && (
        <section className="publish__section" data-testid="publish-cost">
          <h3>{t("publish.cost")}</h3>
          <CostTable cost={validation.cost} rowTestId="publish-cost" lang={lang} />
        </section>
      )}

      {id && doc && (
        <BacktestSummary
          journeyId={id}
          timeZone={doc.timeZone}
          lang={lang}
          disabled={!fresh || errors.length > 0 || saving !== "saved"}
        />
      )}

      <section className="publish__section" data-testid="diff">
        <h3>{t("publish.changes")}</h3>
        {diff.state === "loading" && <p className="muted">{t("app.loading")}</p>}
        {diff.state === "first" && <p data-testid="diff-first">{t("publish.firstVersion")}</p>}
        {diff.state === "failed" && <p className="error-text">{diff.message}</p>}
        {diff.state === "done" && (
          <DiffView
            diff={diff.result.diff}
            from={typeof diff.result.from === "number" ? `v${diff.result.from}` : t("publish.draft")}
          />
        )}
      </section>

      <section className="publish__section">
        <h3>{t("publish.inFlight")}</h3>
        <label className="choice">
          <input
            type="radio"
            name="inflight"
            data-testid="inflight-keep"
            checked={inFlight === "keep"}
            onChange={() => setInFlight("keep")}
          />
          <span>
            <strong>{t("publish.keep")}</strong>
            <br />
            <span className="muted">{t("publish.keepHelp")}</span>
          </span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name="inflight"
            data-testid="inflight-migrate"
            checked={inFlight === "migrate"}
            onChange={() => setInFlight("migrate")}
          />
          <span>
            <strong>{t("publish.migrate")}</strong>
            <br />
            <span className="muted">{t("publish.migrateHelp")}</span>
          </span>
        </label>
      </section>

      <section className="publish__section">
        <label className="block">
          <h3>{t("publish.note")}</h3>
          <textarea
            data-testid="publish-note"
            rows={2}
            value={note}
            maxLength={1000}
            placeholder={t("publish.notePlaceholder")}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
      </section>

      {failure && (
        <div className="panel__error" role="alert" data-testid="publish-failure">
          <p>{failure.message}</p>
          {failure.issues.length > 0 && <IssuesByNode issues={failure.issues} onPick={pick} testId="publish-issues" />}
        </div>
      )}
      {published && (
        <p className="ok-text" role="status" data-testid="publish-result">
          ✓ {t("publish.done", { version: published.version })}
        </p>
      )}
      {requested && (
        <p className="ok-text" role="status" data-testid="publish-requested">
          ✓ {t("publish.requested")}
        </p>
      )}
      {refreshError && (
        <p className="error-text" role="alert">
          {t("publish.refreshFailed")}: {refreshError}
        </p>
      )}

      <footer className="dialog__actions">
        <button type="button" onClick={onClose}>
          {published || requested ? t("app.close") : t("app.cancel")}
        </button>
        <button
          type="button"
          className="primary"
          data-testid="publish-confirm"
          disabled={blocked}
          onClick={() => void publish()}
        >
          {publishing ? t("publish.publishing") : requireApproval ? t("publish.request") : t("publish.confirm")}
        </button>
      </footer>
    </Dialog>
  );
}
