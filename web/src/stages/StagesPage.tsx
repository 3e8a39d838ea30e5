/**
 * The lifecycle stage page (`#/stages`): the stage report of the engine's recorded events (the last 28
 * days, live) or of the sample month (simulated), by week or by day, optionally broken down by a profile
 * attribute. Loading, empty and error states; a 503 (no engine) says so and offers a retry.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiFailure, type StageQuery, type StageReport } from "../api/client.ts";
import { LangSwitch } from "../i18n/LangSwitch.tsx";
import { useLang } from "../i18n/useLang.ts";
import { messageOf } from "../panels/common.tsx";
import { hrefOf } from "../route.ts";
import { BREAKDOWNS, LIVE_DAYS, SAMPLE_MONTH } from "./model.ts";
import { StageView } from "./StageView.tsx";

type Source = "live" | "sample";
type Options = { source: Source; interval: "day" | "week"; by: string };
type Failure = { status: number; message: string; retryAfterMs: number | null };

const DAY_MS = 86_400_000;
const ZONES = ["Asia/Shanghai", "UTC"] as const;

/** The request for a source: live ends now (the injected clock) and looks back 28 days; the sample is its month. */
function queryOf(o: Options, timeZone: string, now: number): StageQuery {
  const window =
    o.source === "sample"
      ? { from: SAMPLE_MONTH.from, to: SAMPLE_MONTH.to }
      : { from: new Date(now - LIVE_DAYS * DAY_MS).toISOString(), to: new Date(now).toISOString() };
  return { ...window, timeZone, interval: o.interval, ...(o.by ? { by: o.by } : {}) };
}

export function StagesPage({ now = Date.now }: { now?: () => number }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [options, setOptions] = useState<Options>({ source: "live", interval: "week", by: "" });
  const [timeZone, setTimeZone] = useState<string>(SAMPLE_MONTH.timeZone);
  const [report, setReport] = useState<StageReport | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  // Only the latest request's answer is shown: a slow earlier one must not overwrite it.
  const latest = useRef(0);

  async function run(o: Options = options, zone: string = timeZone) {
    const ticket = ++latest.current;
    setOptions(o);
    setRunning(true);
    setFailure(null);
    try {
      const q = queryOf(o, zone, now());
      const r = o.source === "live" ? await api.stageReport(q) : await api.simulateStageReport(SAMPLE_MONTH.sample, q);
      if (ticket === latest.current) setReport(r);
    } catch (e) {
      if (ticket !== latest.current) return;
      // The figures shown must be the ones asked for: an earlier report goes with the failure.
      setReport(null);
      setFailure(
        e instanceof ApiFailure
          ? { status: e.status, message: e.message, retryAfterMs: e.retryAfterMs }
          : { status: 0, message: messageOf(e), retryAfterMs: null },
      );
    } finally {
      if (ticket === latest.current) setRunning(false);
    }
  }

  // The live report once, on opening; run reads the latest state itself
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reason above
  useEffect(() => {
    void run();
  }, []);

  const attributeLabel = (by: string) => t(`stages.by.${by}`);

  let body: ReactNode = null;
  if (failure) {
    body = (
      <div className="panel__error report__error" role="alert" data-testid="stages-error">
        <p>
          {failure.status === 503 ? t("stages.unavailable") : `${t("stages.error")}: ${failure.message}`}
          {failure.status === 503 && failure.retryAfterMs !== null && (
            <> {t("stages.retryIn", { seconds: Math.ceil(failure.retryAfterMs / 1000) })}</>
          )}
        </p>
        {failure.status === 503 && (
          // The API's own words, for whoever runs it: technical, and in English.
          <details className="muted" data-testid="stages-error-detail">
            <summary>{t("stages.errorDetail")}</summary>
            <code>{failure.message}</code>
          </details>
        )}
        <button type="button" data-testid="stages-retry" disabled={running} onClick={() => void run()}>
          {t("stages.retry")}
        </button>
      </div>
    );
  } else if (running && !report) {
    body = (
      <p className="page-message muted" role="status" data-testid="stages-loading">
        {t("stages.loading")}
      </p>
    );
  } else if (report && report.overall.people === 0) {
    body = (
      <p className="page-message muted" data-testid="stages-empty">
        {t("stages.empty")}
      </p>
    );
  } else if (report) {
    body = (
      <StageView report={report} lang={lang} attributeLabel={report.by === null ? null : attributeLabel(report.by)} />
    );
  }

  return (
    <main className="report stages" data-testid="stages-page" aria-busy={running}>
      <header className="toolbar report__toolbar">
        <a href={hrefOf({ page: "list" })} className="toolbar__back" data-testid="stages-back">
          ← {t("stages.back")}
        </a>
        <h1 className="report__title">{t("stages.title")}</h1>
        <span className="toolbar__spacer" />
        <LangSwitch />
      </header>
      <div className="report__controls">
        <p className="muted">{t("stages.intro")}</p>
        <label>
          {t("stages.source")}
          <select
            data-testid="stages-source"
            value={options.source}
            onChange={(e) => void run({ ...options, source: e.target.value === "sample" ? "sample" : "live" })}
          >
            <option value="live">{t("stages.source.live")}</option>
            <option value="sample">{t("stages.source.sample")}</option>
          </select>
        </label>
        <label>
          {t("stages.interval")}
          <select
            data-testid="stages-interval"
            value={options.interval}
            onChange={(e) => void run({ ...options, interval: e.target.value === "day" ? "day" : "week" })}
          >
            <option value="week">{t("stages.interval.week")}</option>
            <option value="day">{t("stages.interval.day")}</option>
          </select>
        </label>
        <label>
          {t("stages.timeZone")}
          <select
            data-testid="stages-timezone"
            value={timeZone}
            onChange={(e) => {
              setTimeZone(e.target.value);
              void run(options, e.target.value);
            }}
          >
            {ZONES.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("stages.by")}
          <select
            data-testid="stages-by"
            value={options.by}
            onChange={(e) => void run({ ...options, by: e.target.value })}
          >
            <option value="">{t("stages.by.none")}</option>
            {BREAKDOWNS.map((b) => (
              <option key={b} value={b}>
                {attributeLabel(b)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          data-testid="stages-simulate"
          disabled={running}
          onClick={() => void run({ ...options, source: "sample" })}
        >
          {t("stages.simulate")}
        </button>
        <button type="button" data-testid="stages-refresh" disabled={running} onClick={() => void run()}>
          {t("stages.refresh")}
        </button>
      </div>
      {body}
    </main>
  );
}
