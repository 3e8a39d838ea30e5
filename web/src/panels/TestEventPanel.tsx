/**
 * Send an event for a test person, against the draft or the live version. Against the draft the
 * event (type and props from the journey's catalog, money typed in major units) is replayed through
 * the saved draft by the API's simulate — nothing live is touched. Against the live version it is
 * sent to the engine, which runs it as any event (rewards and messages included: a test person),
 * and the path is read from the engine's timeline. Either way the path is drawn on the canvas with
 * the why of each step.
 */
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api/client.ts";
import { MoneyInput } from "../inspector/AmountInput.tsx";
import { isDirty, useEditor, type DocNode } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { saveDraft, usePersistence } from "../store/persistence.ts";
import { messageOf } from "./common.tsx";
import { useLang } from "../i18n/useLang.ts";
import { livePath, livePathEdges, sendLive } from "./liveTest.ts";
import { pathEdges, pathOf, timelineOf, type Step } from "./simulation.ts";
import { propFields, testEvent, testEventLine } from "./testEvent.ts";
import { PersonTimeline, whyFormat } from "./Timeline.tsx";

const NO_STEPS: Step[] = [];

export function TestEventPanel({ onClose, now = Date.now }: { onClose(): void; now?: () => number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const doc = useEditor((s) => s.doc);
  const types = Object.keys(doc?.catalog?.events ?? {});
  const [userId, setUserId] = useState("test-user");
  const [type, setType] = useState(types[0] ?? "");
  const [props, setProps] = useState<Record<string, unknown>>({});
  const liveVersion = usePersistence((s) => s.detail?.liveVersion ?? null);
  const [target, setTarget] = useState<"draft" | "live">("draft");
  const live = target === "live" && liveVersion !== null;
  const [result, setResult] = useState<{ steps: Step[]; userId: string; pending: boolean; live: boolean } | null>(null);
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const fields = propFields(doc?.catalog, type);
  const steps = result?.steps ?? NO_STEPS;
  const fmt = useMemo(() => (doc ? whyFormat(doc, lang) : null), [doc, lang]);

  useEffect(() => {
    if (!doc || !result || steps.length === 0) return;
    // The engine's timeline has no moves: a live path is read from the nodes its records name.
    const path = result.live ? livePath(steps) : pathOf(steps);
    const edges = result.live ? livePathEdges(steps, doc) : pathEdges(steps, doc);
    useOverlay.getState().set({ source: "simulation", nodes: {}, edges: {}, path, pathEdges: edges });
  }, [steps, doc, result]);
  useEffect(() => () => useOverlay.getState().set(null), []);

  if (!doc || !fmt) return null;

  async function send() {
    if (!doc) return;
    setState({ busy: true, error: null });
    try {
      const person = userId.trim();
      if (live) {
        const answer = await sendLive(doc.id, testEvent(person, type.trim(), props, now()));
        setResult({ steps: answer.steps, userId: person, pending: !answer.applied, live: true });
      } else {
        if (isDirty(useEditor.getState()) && !(await saveDraft())) throw new Error(t("sim.saveFailed"));
        const run = await api.simulate(doc.id, { jsonl: testEventLine(person, type.trim(), props, now()) });
        setResult({ steps: timelineOf(run, doc.id, person), userId: person, pending: false, live: false });
      }
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: messageOf(e) });
    }
  }

  const byId = new Map<string, DocNode>(doc.nodes.map((n) => [n.id, n]));
  return (
    <section className="panel test-event" data-testid="test-event-panel" aria-labelledby="test-event-title">
      <header className="panel__head">
        <h3 id="test-event-title">{t("testEvent.title")}</h3>
        <button type="button" onClick={onClose} aria-label={t("app.close")} data-testid="test-event-close">
          ✕
        </button>
      </header>
      <p className="muted">{t("testEvent.intro")}</p>
      <fieldset className="test-event__target" data-testid="test-event-target">
        <legend>{t("testEvent.target")}</legend>
        <label>
          <input
            type="radio"
            name="test-event-target"
            data-testid="test-event-target-draft"
            checked={!live}
            onChange={() => setTarget("draft")}
          />
          {t("testEvent.targetDraft")}
        </label>
        <label>
          <input
            type="radio"
            name="test-event-target"
            data-testid="test-event-target-live"
            checked={live}
            disabled={liveVersion === null}
            onChange={() => setTarget("live")}
          />
          {liveVersion === null ? t("testEvent.targetNoLive") : t("testEvent.targetLive", { version: liveVersion })}
        </label>
        {live && (
          <p className="muted" data-testid="test-event-live-note">
            {t("testEvent.liveNote")}
          </p>
        )}
      </fieldset>
      <div className="panel__form">
        <label>
          {t("testEvent.person")}
          <input data-testid="test-event-user" value={userId} onChange={(e) => setUserId(e.target.value)} />
        </label>
        <label>
          {t("testEvent.type")}
          <input
            data-testid="test-event-type"
            list="test-event-types"
            value={type}
            onChange={(e) => {
              setType(e.target.value);
              setProps({});
            }}
          />
          <datalist id="test-event-types">
            {types.map((x) => (
              <option key={x} value={x} />
            ))}
          </datalist>
        </label>
        {fields.map((f) => {
          const id = `test-event-prop-${f.name}`;
          return (
            <label key={f.name} htmlFor={id}>
              {f.name}
              {f.type === "money" && f.currency ? (
                <MoneyInput
                  id={id}
                  testId={id}
                  value={props[f.name]}
                  currency={f.currency}
                  onChange={(n) => setProps((p) => ({ ...p, [f.name]: n }))}
                />
              ) : f.type === "boolean" ? (
                <input
                  id={id}
                  data-testid={id}
                  type="checkbox"
                  checked={props[f.name] === true}
                  onChange={(e) => setProps((p) => ({ ...p, [f.name]: e.target.checked }))}
                />
              ) : (
                <input
                  id={id}
                  data-testid={id}
                  type={f.type === "number" ? "number" : "text"}
                  value={String(props[f.name] ?? "")}
                  onChange={(e) =>
                    setProps((p) => ({
                      ...p,
                      [f.name]: f.type === "number" && e.target.value !== "" ? Number(e.target.value) : e.target.value,
                    }))
                  }
                />
              )}
            </label>
          );
        })}
        <button
          type="button"
          className="primary"
          data-testid="test-event-send"
          disabled={state.busy || !userId.trim() || !type.trim()}
          onClick={() => void send()}
        >
          {state.busy ? t("testEvent.sending") : live ? t("testEvent.sendLive") : t("testEvent.sendDraft")}
        </button>
      </div>
      {state.error && (
        <p className="panel__error" role="alert">
          {state.error}
        </p>
      )}
      {result?.pending && <p data-testid="test-event-pending">{t("testEvent.pending")}</p>}
      {result && !result.pending && steps.length === 0 && (
        <p data-testid="test-event-nothing">{t("testEvent.nothing")}</p>
      )}
      {steps.length > 0 && (
        <PersonTimeline
          testId="test-event-timeline"
          userId={result?.userId}
          steps={steps}
          fmt={fmt}
          nodes={byId}
          timeZone={doc.timeZone}
          lang={lang}
        />
      )}
    </section>
  );
}
