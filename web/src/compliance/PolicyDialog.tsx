/**
 * The workspace's compliance policy where a marketer can read it: whether publishing needs a second
 * person, the risk notice investment promotion must carry, and the forbidden phrases with the rule
 * each breaks (what the problems list cites when a message uses one). Everyone reads it; changing it
 * takes a key-admin key, typed here for these changes only and kept in this dialog's memory (never
 * stored, never sent with anything else). The API refuses anyone else (403), and its refusal is shown
 * as it says it. After a change the editor lints with the new policy at once.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, policyAdmin, type CompliancePolicy } from "../api/client.ts";
import { formatDate } from "../format.ts";
import { useLang } from "../i18n/useLang.ts";
import { defaultTimeZone } from "../pages/newJourney.ts";
import { messageOf } from "../panels/common.tsx";
import { loadPolicy } from "../store/policy.ts";
import { LoadingDialog } from "../ui/LoadingDialog.tsx";

export function PolicyDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [policy, setPolicy] = useState<CompliancePolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adminKey, setAdminKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [phrase, setPhrase] = useState("");
  const [rule, setRule] = useState("");
  const [notice, setNotice] = useState("");

  const read = async () => {
    const p = await api.policy();
    setPolicy(p);
    return p;
  };
  // The notice field starts from the policy; later reads leave what the person is typing alone.
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once when the dialog opens
  useEffect(() => {
    read()
      .then((p) => setNotice(p.riskNotice ?? ""))
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);

  /** One write with the admin key, then the policy read again (here and for the editor's lint). */
  const change = async (write: (admin: ReturnType<typeof policyAdmin>) => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await write(policyAdmin(adminKey.trim()));
      await read();
      await loadPolicy();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const canEdit = adminKey.trim() !== "" && !busy && policy !== null;
  return (
    <LoadingDialog
      title={t("policy.title")}
      testId="policy-dialog"
      onClose={onClose}
      intro={t("policy.intro")}
      error={error}
      errorTestId="policy-error"
      value={policy}
    >
      {(policy) => (
        <>
          <section className="publish__section">
            <h3>{t("policy.admin")}</h3>
            <label className="field">
              <span className="field__label">{t("policy.adminKey")}</span>
              <span className="field__control">
                <input
                  type="password"
                  autoComplete="off"
                  data-testid="policy-admin-key"
                  value={adminKey}
                  onChange={(e) => setAdminKey(e.target.value)}
                />
              </span>
            </label>
            <p className="muted">{t("policy.adminKey.help")}</p>
          </section>

          <section className="publish__section">
            <h3>{t("policy.approval")}</h3>
            <label className="field">
              <span className="field__control">
                <input
                  type="checkbox"
                  data-testid="policy-require-approval"
                  checked={policy.requireApproval}
                  disabled={!canEdit}
                  onChange={(e) =>
                    void change((a) => a.settings({ requireApproval: e.target.checked, riskNotice: policy.riskNotice }))
                  }
                />
              </span>
              <span className="field__label">{t("policy.approval.label")}</span>
            </label>
          </section>

          <section className="publish__section">
            <h3>{t("policy.notice")}</h3>
            <p className="muted">{t("policy.notice.help")}</p>
            <textarea
              data-testid="policy-risk-notice"
              aria-label={t("policy.notice")}
              value={notice}
              readOnly={adminKey.trim() === ""}
              onChange={(e) => setNotice(e.target.value)}
              rows={2}
            />
            {adminKey.trim() !== "" && notice.trim() !== (policy.riskNotice ?? "") && (
              <button
                type="button"
                data-testid="policy-save-notice"
                disabled={!canEdit}
                onClick={() =>
                  void change((a) =>
                    a.settings({ requireApproval: policy.requireApproval, riskNotice: notice.trim() || null }),
                  )
                }
              >
                {t("policy.notice.save")}
              </button>
            )}
          </section>

          <section className="publish__section">
            <h3>{t("policy.phrases", { count: policy.forbidden.length })}</h3>
            {policy.forbidden.length === 0 ? (
              <p className="muted" data-testid="policy-no-phrases">
                {t("policy.phrases.none")}
              </p>
            ) : (
              <table className="counts" data-testid="policy-phrases">
                <thead>
                  <tr>
                    <th>{t("policy.phrase")}</th>
                    <th>{t("policy.rule")}</th>
                    <th>{t("policy.updated")}</th>
                    <th>
                      <span className="visually-hidden">{t("policy.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {policy.forbidden.map((p) => (
                    <tr key={p.id} data-testid={`policy-phrase-${p.phrase}`}>
                      <td>{p.phrase}</td>
                      <td>{p.rule}</td>
                      <td className="muted">
                        {p.updatedBy} · {formatDate(p.updatedAt, defaultTimeZone(lang), lang)}
                      </td>
                      <td>
                        <button
                          type="button"
                          disabled={!canEdit}
                          aria-label={t("policy.remove", { phrase: p.phrase })}
                          data-testid={`policy-remove-${p.phrase}`}
                          onClick={() => void change((a) => a.removePhrase(p.id))}
                        >
                          {t("policy.removeShort")}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <form
              className="policy__add"
              onSubmit={(e) => {
                e.preventDefault();
                void change((a) => a.addPhrase({ phrase: phrase.trim(), rule: rule.trim() })).then((ok) => {
                  if (!ok) return;
                  setPhrase("");
                  setRule("");
                });
              }}
            >
              <input
                data-testid="policy-new-phrase"
                aria-label={t("policy.phrase")}
                placeholder={t("policy.phrase.placeholder")}
                value={phrase}
                disabled={!canEdit}
                onChange={(e) => setPhrase(e.target.value)}
              />
              <input
                data-testid="policy-new-rule"
                aria-label={t("policy.rule")}
                placeholder={t("policy.rule.placeholder")}
                value={rule}
                disabled={!canEdit}
                onChange={(e) => setRule(e.target.value)}
              />
              <button
                type="submit"
                data-testid="policy-add"
                disabled={!canEdit || phrase.trim() === "" || rule.trim() === ""}
              >
                {t("policy.add")}
              </button>
            </form>
          </section>
        </>
      )}
    </LoadingDialog>
  );
}
