/**
 * Replay an event stream through the draft (the API's simulate: the engine's own core, a virtual
 * clock, nothing live touched), then read it: totals, counts on every node and edge of the canvas,
 * and one person's path with the why of each step.
 */
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatAmount, type Lang } from "@lifeloop/shared";
import { api, ApiFailure, type BacktestResult, type ErrorIssue, type SimulationResult } from "../api/client.ts";
import { BacktestFacts } from "../backtest/BacktestFacts.tsx";
import { formatDate } from "../format.ts";
import { isDirty, useEditor, type Doc, type DocNode } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { saveDraft } from "../store/persistence.ts";
import { branchName, IssuesByNode, messageOf, nodeName, selectNode } from "./common.tsx";
import { useLang } from "../i18n/useLang.ts";
import { SAMPLES } from "./samples.ts";
import { PersonTimeline, whyFormat } from "./Timeline.tsx";
import { FilePicker } from "../ui/FilePicker.tsx";
import {
  KNOWN_EXITS,
  overlayFromSimulation,
  pathEdges,
  pathOf,
  peopleOf,
  summaryOf,
  timelineOf,
} from "./simulation.ts";

/** `recorded`: the engine's own events of the last `days` days (a backtest), not a stream from here. */
type Source =
  | { kind: "sample"; name: string }
  | { kind: "file"; name: string; text: string }
  | { kind: "recorded"; days: string };

/** The select's value for the recorded source: no sample is named so (names start with a letter or digit). */
const RECORDED = "_recorded";
const DAYS = /^([1-9]|[12]\d|30)$/;

const UNTIL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function SimulatePanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const doc = useEditor((s) => s.doc);
  const [source, setSource] = useState<Source>(() => ({
    kind: "sample",
    name: doc && SAMPLES.includes(doc.id) ? doc.id : (SAMPLES[0] ?? ""),
  }));
  const [until, setUntil] = useState("");
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<{ message: string; issues: ErrorIssue[]; stream: boolean } | null>(null);
  const [result, setResult] = useState<SimulationResult | BacktestResult | null>(null);
  const [user, setUser] = useState<string | null>(null);

  useEffect(() => () => useOverlay.getState().set(null), []);

  const untilBad = source.kind !== "recorded" && until.trim() !== "" && !UNTIL.test(until.trim());
  const daysBad = source.kind === "recorded" && !DAYS.test(source.days.trim());

  async function run() {
    if (!doc) return;
    setRunning(true);
    setFailure(null);
    try {
      if (isDirty(useEditor.getState()) && !(await saveDraft())) {
        setFailure({ message: t("sim.saveFailed"), issues: [], stream: false });
        return;
      }
      const r =
        source.kind === "recorded"
          ? await api.backtest(doc.id, Number(source.days.trim()))
          : await api.simulate(
              doc.id,
              source.kind === "sample" ? { sample: source.name } : { jsonl: source.text },
              until.trim() ? { until: until.trim() } : {},
            );
      setResult(r);
      setUser(null);
    } catch (e) {
      const compile = e instanceof ApiFailure && e.status === 422;
      // 422 rule_failed: the draft compiles, but a rule went over a limit on these events' data.
      const ruleFailed = compile && e.code === "rule_failed";
      // A 400 is about the events sent (a line of the stream, the until), not the journey.
      setFailure({
        message: ruleFailed ? t("sim.ruleFailed") : compile ? t("sim.compileFailed") : messageOf(e),
        issues: e instanceof ApiFailure ? e.issues : [],
        stream: !compile,
      });
    } finally {
      setRunning(false);
    }
  }

  return (
    <section className="panel sim" data-testid="simulate-panel">
      <header className="panel__head">
        <h3>{t("sim.title")}</h3>
        <button type="button" onClick={onClose} aria-label={t("app.close")} data-testid="simulate-close">
          ✕
        </button>
      </header>
      <p className="muted">{t("sim.intro")}</p>
      <div className="panel__form">
        <label>
          {t("sim.sample")}
          <select
            data-testid="simulate-sample"
            value={source.kind === "sample" ? source.name : source.kind === "recorded" ? RECORDED : ""}
            onChange={(e) =>
              setSource(
                e.target.value === RECORDED
                  ? { kind: "recorded", days: "7" }
                  : { kind: "sample", name: e.target.value },
              )
            }
          >
            {source.kind === "file" && <option value="">{t("sim.uploaded", { name: source.name })}</option>}
            {SAMPLES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
            <option value={RECORDED}>{t("backtest.source")}</option>
          </select>
        </label>
        {source.kind === "recorded" && (
          <label>
            {t("backtest.days")}
            <input
              type="number"
              min={1}
              max={30}
              data-testid="simulate-days"
              value={source.days}
              onChange={(e) => setSource({ kind: "recorded", days: e.target.value })}
              aria-invalid={daysBad}
            />
            {daysBad && <small className="error-text">{t("backtest.daysBad")}</small>}
          </label>
        )}
        <div className="file-field">
          <span>{t("sim.upload")}</span>
          <FilePicker
            accept=".jsonl,.ndjson,application/x-ndjson,text/plain"
            testId="simulate-upload"
            fileName={source.kind === "file" ? source.name : null}
            onFile={async (file) => setSource({ kind: "file", name: file.name, text: await file.text() })}
          />
        </div>
        <label hidden={source.kind === "recorded"}>
          {t("sim.until")}
          <input
            type="text"
            data-testid="simulate-until"
            placeholder="2026-12-01T00:00:00+08:00"
            value={until}
            onChange={(e) => setUntil(e.target.value)}
            aria-invalid={untilBad}
          />
          <small className={untilBad ? "error-text" : "muted"}>
            {untilBad ? t("sim.untilBad") : t("sim.untilHelp")}
          </small>
        </label>
        <button
          type="button"
          className="primary"
          data-testid="simulate-run"
          disabled={running || untilBad || daysBad || !doc || (source.kind === "sample" && !source.name)}
          onClick={() => void run()}
        >
          {running ? t("sim.running") : t("sim.run")}
        </button>
      </div>
      {failure && (
        <div className="panel__error" role="alert" data-testid="simulate-error">
          <p>{failure.message}</p>
          {failure.issues.length > 0 && (
            <IssuesByNode
              issues={failure.issues}
              onPick={selectNode}
              testId="simulate-issues"
              {...(failure.stream ? { general: t("sim.streamIssues") } : {})}
            />
          )}
        </div>
      )}
      {result && doc && "window" in result && <BacktestFacts result={result} timeZone={doc.timeZone} lang={lang} />}
      {result && doc && <SimulationView result={result} doc={doc} lang={lang} user={user} setUser={setUser} />}
    </section>
  );
}

function SimulationView({
  result,
  doc,
  lang,
  user,
  setUser,
}: {
  result: SimulationResult;
  doc: Doc;
  lang: Lang;
  user: string | null;
  setUser(u: string | null): void;
}) {
  const { t } = useTranslation();
  const summary = useMemo(() => summaryOf(result, doc.id), [result, doc.id]);
  const people = useMemo(() => peopleOf(result, doc.id), [result, doc.id]);
  const [query, setQuery] = useState("");
  const steps = useMemo(() => (user ? timelineOf(result, doc.id, user) : []), [result, doc.id, user]);
  const byId = useMemo(() => new Map<string, DocNode>(doc.nodes.map((n) => [n.id, n])), [doc.nodes]);

  useEffect(() => {
    const overlay = overlayFromSimulation(summary, doc, (_id, c) => {
      const parts: string[] = [];
      if (c.granted) parts.push(t("sim.detail.granted", { count: c.granted }));
      const refused = Object.values(c.refused).reduce((a, b) => a + b, 0);
      if (refused) parts.push(t("sim.detail.refused", { count: refused }));
      if (c.messages) parts.push(t("sim.detail.messages", { count: c.messages }));
      const exited = Object.values(c.exited).reduce((a, b) => a + b, 0);
      if (exited) parts.push(t("sim.detail.exited", { count: exited }));
      return parts.join(" · ") || undefined;
    });
    const path = user ? pathOf(steps) : [];
    useOverlay.getState().set(path.length > 0 ? { ...overlay, path, pathEdges: pathEdges(steps, doc) } : overlay);
  }, [summary, doc, user, steps, t]);

  const exitLabel = (reason: string) => (KNOWN_EXITS.includes(reason) ? t(`sim.exit.${reason}`) : reason);
  const shown = people.filter((p) => p.userId.toLowerCase().includes(query.trim().toLowerCase()));
  const fmt = useMemo(() => whyFormat(doc, lang), [doc, lang]);

  return (
    <div className="sim__result" data-testid="simulate-result">
      <dl className="totals">
        <dt>{t("sim.entered")}</dt>
        <dd data-testid="sim-entered">{summary?.entered ?? 0}</dd>
        <dt>{t("sim.converted")}</dt>
        <dd data-testid="sim-converted">{summary?.converted ?? 0}</dd>
        <dt>{t("sim.events")}</dt>
        <dd data-testid="sim-events">
          {t("sim.eventsValue", {
            events: result.stats.events,
            users: result.stats.users,
            duplicates: result.stats.duplicates,
          })}
        </dd>
        {result.stats.until && (
          <>
            <dt>{t("sim.ranUntil")}</dt>
            <dd>{formatDate(result.stats.until, doc.timeZone, lang)}</dd>
          </>
        )}
        <dt>{t("sim.exited")}</dt>
        <dd data-testid="sim-exited">
          {summary && Object.keys(summary.exited).length > 0
            ? Object.entries(summary.exited).map(([reason, n]) => (
                <span key={reason} className="chip" data-testid={`sim-exit-${reason}`}>
                  {exitLabel(reason)}: {n}
                </span>
              ))
            : "—"}
        </dd>
        <dt>{t("sim.cost")}</dt>
        <dd data-testid="sim-cost">
          {summary && Object.keys(summary.cost).length > 0
            ? Object.entries(summary.cost).map(([unit, c]) => (
                <span key={unit} className="chip" data-testid={`sim-cost-${unit}`}>
                  {formatAmount(c.amount, unit, lang)} ({t("sim.grants", { count: c.grants })})
                </span>
              ))
            : t("sim.noCost")}
        </dd>
        <dt>{t("sim.refusals")}</dt>
        <dd data-testid="sim-refusals">
          {summary && Object.keys(summary.refusals).length > 0
            ? Object.entries(summary.refusals).map(([reason, n]) => (
                <span key={reason} className="chip">
                  {t(`sim.refusal.${reason}`, { defaultValue: reason })}: {n}
                </span>
              ))
            : "—"}
        </dd>
      </dl>

      <h4>{t("sim.nodes")}</h4>
      <table className="counts" data-testid="sim-nodes">
        <thead>
          <tr>
            <th>{t("sim.node")}</th>
            <th>{t("sim.arrived")}</th>
            <th>{t("sim.leftBy")}</th>
          </tr>
        </thead>
        <tbody>
          {doc.nodes.map((n) => {
            const c = summary?.nodes[n.id];
            return (
              <tr key={n.id} onClick={() => selectNode(n.id)} className="counts__row">
                <td>{nodeName(n, n.id, lang)}</td>
                <td data-testid={`sim-node-count-${n.id}`}>{c?.arrived ?? 0}</td>
                <td className="muted">
                  {c
                    ? Object.entries(c.left)
                        .map(([h, k]) => `${branchName(n, h, lang)} ${k}`)
                        .join(", ")
                    : ""}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h4>{t("sim.people", { count: people.length })}</h4>
      <input
        type="search"
        data-testid="sim-search"
        placeholder={t("sim.search")}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ul className="people">
        {shown.slice(0, 200).map((p) => (
          <li key={p.userId}>
            <button
              type="button"
              data-testid={`sim-user-${p.userId}`}
              className={p.userId === user ? "person person--selected" : "person"}
              aria-pressed={p.userId === user}
              onClick={() => setUser(p.userId === user ? null : p.userId)}
            >
              <span className="person__id">{p.userId}</span>
              <span className="muted">
                {p.onlyTrace ? t("sim.notEntered") : t("sim.entries", { count: p.entries })}
                {p.converted && ` · ${t("sim.convertedMark")}`}
              </span>
            </button>
          </li>
        ))}
        {shown.length > 200 && <li className="muted">{t("sim.more", { count: shown.length - 200 })}</li>}
      </ul>

      {user && (
        <PersonTimeline
          testId="sim-timeline"
          userId={user}
          steps={steps}
          fmt={fmt}
          nodes={byId}
          timeZone={doc.timeZone}
          lang={lang}
        />
      )}
    </div>
  );
}
