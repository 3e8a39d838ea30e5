/**
 * "Preview with a person" under a message node's form: replays a sample stream through the saved
 * draft (the API's simulate: the engine's own core and template renderer) and shows, for a person
 * the node messaged, the title and text exactly as they would get them, with their last reward.
 */
import { formatAmount } from "@lifeloop/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api/client.ts";
import { formatDate } from "../format.ts";
import { messageOf } from "../panels/common.tsx";
import { useLang } from "../i18n/useLang.ts";
import { SAMPLES } from "../panels/samples.ts";
import { isDirty, useEditor } from "../store/editor.ts";
import { saveDraft } from "../store/persistence.ts";
import { messagesAt, type PreviewedMessage } from "./preview.ts";

export function MessagePreview({ nodeId }: { nodeId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const doc = useEditor((s) => s.doc);
  const [sample, setSample] = useState(() => (doc && SAMPLES.includes(doc.id) ? doc.id : (SAMPLES[0] ?? "")));
  const [sent, setSent] = useState<PreviewedMessage[] | null>(null);
  const [person, setPerson] = useState(0);
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const [tester, setTester] = useState("test-user");
  const [sendResult, setSendResult] = useState<{ ok: true; text: string } | { ok: false; error: string } | null>(null);
  if (!doc) return null;

  /** Sends this node, rendered with the previewed person's last reward, to the test person through the engine. */
  async function testSend(reward: PreviewedMessage["lastReward"]) {
    if (!doc) return;
    setSendResult(null);
    try {
      if (isDirty(useEditor.getState()) && !(await saveDraft())) throw new Error(t("sim.saveFailed"));
      const r = await api.testSend(doc.id, { nodeId, userId: tester.trim(), reward });
      setSendResult({ ok: true, text: r.text });
    } catch (e) {
      setSendResult({ ok: false, error: messageOf(e) });
    }
  }

  async function load() {
    if (!doc) return;
    setState({ busy: true, error: null });
    try {
      if (isDirty(useEditor.getState()) && !(await saveDraft())) throw new Error(t("sim.saveFailed"));
      const r = await api.simulate(doc.id, { sample });
      setSent(messagesAt(r.effects, doc.id, nodeId));
      setPerson(0);
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: messageOf(e) });
    }
  }

  const shown = sent?.[person];
  const reward = shown?.lastReward;
  return (
    <section className="preview" data-testid="message-preview" aria-labelledby={`preview-${nodeId}`}>
      <h2 id={`preview-${nodeId}`} className="preview__title">
        {t("preview.title")}
      </h2>
      <div className="panel__form">
        <label>
          {t("sim.sample")}
          <select data-testid="preview-sample" value={sample} onChange={(e) => setSample(e.target.value)}>
            {SAMPLES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="preview-load" disabled={state.busy} onClick={() => void load()}>
          {state.busy ? t("preview.loading") : t("preview.load")}
        </button>
      </div>
      {state.error && (
        <p className="panel__error" role="alert">
          {state.error}
        </p>
      )}
      {sent?.length === 0 && <p data-testid="preview-none">{t("preview.none")}</p>}
      {sent && sent.length > 0 && shown && (
        <>
          <label>
            {t("preview.person")}
            <select data-testid="preview-person" value={person} onChange={(e) => setPerson(Number(e.target.value))}>
              {sent.map((m, i) => (
                <option key={`${m.userId}-${m.at}`} value={i}>
                  {m.userId} · {formatDate(m.at, doc.timeZone, lang)}
                </option>
              ))}
            </select>
          </label>
          <div className="preview__message" data-testid="preview-message">
            {shown.title && <strong data-testid="preview-message-title">{shown.title}</strong>}
            <p data-testid="preview-message-text">{shown.text}</p>
          </div>
          <p className="muted" data-testid="preview-reward">
            {reward
              ? t("preview.lastReward", {
                  reward:
                    reward.amount !== null && reward.unit
                      ? formatAmount(reward.amount, reward.unit, lang)
                      : (reward.code ?? reward.type),
                })
              : t("preview.noReward")}
          </p>
          <div className="panel__form">
            <label>
              {t("preview.tester")}
              <input data-testid="preview-tester" value={tester} onChange={(e) => setTester(e.target.value)} />
            </label>
            <button
              type="button"
              data-testid="preview-test-send"
              disabled={!tester.trim()}
              onClick={() => void testSend(shown.lastReward)}
            >
              {t("preview.testSend")}
            </button>
          </div>
          {sendResult && (
            <p
              className={sendResult.ok ? "muted" : "panel__error"}
              role={sendResult.ok ? "status" : "alert"}
              data-testid="preview-test-send-result"
            >
              {sendResult.ok ? t("preview.testSent", { user: tester.trim() }) : sendResult.error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
