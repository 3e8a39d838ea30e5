/**
 * Four-eyes publishing, the approver's side: the publish requests that wait, and one at a time with
 * what it would do (its diff against the live version, its worst-case cost in yuan or points) and
 * the two decisions: approve (it is published) or reject with a reason. The API refuses anyone but a
 * different person with the approver role; its refusal is shown as it says it.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Approval, type ApprovalDetail } from "../api/client.ts";
import { formatDate } from "../format.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { messageOf } from "./common.tsx";
import { useLang } from "../i18n/useLang.ts";
import { CostTable } from "./CostTable.tsx";
import { DiffView } from "./DiffView.tsx";

export function ApprovalsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Dialog title={t("approvals.title")} testId="approvals-dialog" className="publish" onClose={onClose}>
      {open ? <Request id={open} onBack={() => setOpen(null)} /> : <Pending onOpen={setOpen} />}
    </Dialog>
  );
}

/** The requests that wait, read each time the list is shown (a decision just made leaves it). */
function Pending({ onOpen }: { onOpen(id: string): void }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<Approval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api
      .approvals("pending")
      .then((r) => live && setItems(r.items))
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, []);
  if (error)
    return (
      <p className="error-text" role="alert">
        {error}
      </p>
    );
  if (items === null) return <p className="muted">{t("app.loading")}</p>;
  if (items.length === 0) return <p data-testid="approvals-none">{t("approvals.none")}</p>;
  return (
    <ul data-testid="approvals-list">
      {items.map((a) => (
        <li key={a.id}>
          <button type="button" data-testid={`approval-${a.journeyId}`} onClick={() => onOpen(a.id)}>
            {a.journeyName} <span className="muted">· {a.requestedBy}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function Request({ id, onBack }: { id: string; onBack(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [detail, setDetail] = useState<ApprovalDetail | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .approval(id)
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, [id]);

  async function decide(how: "approve" | "reject") {
    setBusy(true);
    setError(null);
    try {
      if (how === "approve") setOutcome(t("approvals.approved", { version: (await api.approve(id)).version }));
      else {
        await api.reject(id, reason.trim());
        setOutcome(t("approvals.rejected"));
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!detail) return error ? <p className="error-text">{error}</p> : <p className="muted">{t("app.loading")}</p>;
  const cost = Object.entries(detail.cost);
  const decided = outcome !== null;
  return (
    <div data-testid="approval-detail">
      <h3>{detail.journeyName}</h3>
      <p className="muted">
        {t("approvals.requestedBy", {
          who: detail.requestedBy,
          at: formatDate(detail.requestedAt, detail.document.timeZone, lang),
        })}
      </p>
      {detail.note && <p>{t("approvals.note", { note: detail.note })}</p>}
      {cost.length > 0 && (
        <section className="publish__section" data-testid="approval-cost">
          <h3>{t("approvals.cost")}</h3>
          <CostTable cost={detail.cost} rowTestId="approval-cost" lang={lang} />
        </section>
      )}
      <section className="publish__section" data-testid="approval-diff">
        <h3>{t("publish.changes")}</h3>
        {detail.baseVersion === null && <p>{t("approvals.firstVersion")}</p>}
        <DiffView diff={detail.diff} from={detail.baseVersion === null ? "∅" : `v${detail.baseVersion}`} />
      </section>
      <label className="block">
        <h3>{t("approvals.reason")}</h3>
        <textarea
          data-testid="approval-reason"
          rows={2}
          maxLength={2000}
          value={reason}
          disabled={decided}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {error && (
        <p className="error-text" role="alert" data-testid="approval-error">
          {error}
        </p>
      )}
      {outcome && (
        <p className="ok-text" role="status" data-testid="approval-outcome">
          ✓ {outcome}
        </p>
      )}
      <footer className="dialog__actions">
        <button type="button" onClick={onBack}>
          {t("approvals.back")}
        </button>
        <button
          type="button"
          data-testid="approval-reject"
          disabled={busy || decided || reason.trim() === ""}
          onClick={() => void decide("reject")}
        >
          {t("approvals.reject")}
        </button>
        <button
          type="button"
          className="primary"
          data-testid="approval-approve"
          disabled={busy || decided}
          onClick={() => void decide("approve")}
        >
          {t("approvals.approve")}
        </button>
      </footer>
    </div>
  );
}
