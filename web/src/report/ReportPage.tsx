/**
 * A journey's report page (`#/journeys/<id>/report`): choose the data — live from the engine (all
 * versions or one published version) or a simulation over an event stream (a sample or an uploaded
 * JSONL file) — then read the report, and put its numbers on the canvas.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiFailure, type ErrorIssue, type VersionSummary } from "../api/client.ts";
import { LangSwitch } from "../i18n/LangSwitch.tsx";
import { formatDate } from "../format.ts";
import { IssuesByNode, messageOf } from "../panels/common.tsx";
import { useLang } from "../i18n/useLang.ts";
import { SAMPLES } from "../panels/samples.ts";
import { hrefOf, navigate } from "../route.ts";
import type { Doc } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { overlayFromReport, type Report } from "./model.ts";
import { ReportView } from "./ReportView.tsx";
import { Incrementality } from "./sections/Incrementality.tsx";
import { FilePicker } from "../ui/FilePicker.tsx";

type Source =
  | { kind: "live"; version: number | null }
  | { kind: "simulation"; sample: string }
  | { kind: "simulation"; file: { name: string; events: unknown[] } };

/** The stream a journey's report simulates by default: its month-long sample, else its own, else the first. */
export function defaultSample(journeyId: string, samples: readonly string[] = SAMPLES): string {
  return samples.find((s) => s === `${journeyId}-month`) ?? samples.find((s) => s === journeyId) ?? samples[0] ?? "";
}

/** JSONL text to events, one JSON object a line; blank lines skipped. Errors name the line. */
export function parseJsonl(text: string): unknown[] {
  const events: unknown[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      events.push(JSON.parse(line));
    } catch (e) {
      throw new Error(`line ${i + 1}: ${messageOf(e)}`);
    }
  });
  return events;
}

/**
 * The profile attributes a report can be broken down by: the journey catalog's, and the acquisition channel the
 * playbooks ask about (samples carry it as `channel` or `acquisition_channel`), in name order.
 */
export function attributeChoices(doc: Doc | null, current: string): string[] {
  const names = new Set([...Object.keys(doc?.catalog?.attributes ?? {}), "acquisition_channel", "channel"]);
  if (current) names.add(current);
  return [...names].sort();
}

/** "7d" from a goal window in ms, for the goal line. */
const windowText = (ms: number) =>
  ms % 86_400_000 === 0
    ? `${ms / 86_400_000}d`
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000}h`
      : `${Math.round(ms / 60_000)}min`;

export function ReportPage({ journeyId }: { journeyId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [doc, setDoc] = useState<Doc | null>(null);
  const [liveVersion, setLiveVersion] = useState<number | null>(null);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [source, setSource] = useState<Source>({ kind: "simulation", sample: defaultSample(journeyId) });
  const [report, setReport] = useState<Report | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<{ message: string; issues: ErrorIssue[] } | null>(null);
  const [cohort, setCohort] = useState<"day" | "week">("day");
  const [breakdown, setBreakdown] = useState<string>("");

  async function run(s: Source = source, by: "day" | "week" = cohort, attribute: string = breakdown) {
    setRunning(true);
    setFailure(null);
    // By day is the API's default; no attribute, no breakdown.
    const options = { ...(by === "week" ? { cohort: by } : {}), ...(attribute ? { by: attribute } : {}) };
    try {
      const r =
        s.kind === "live"
          ? await api.report(journeyId, s.version, options)
          : await api.simulateReport(
              journeyId,
              "sample" in s ? { sample: s.sample } : { events: s.file.events },
              options,
            );
      setReport(r);
    } catch (e) {
      // The figures shown must be the ones asked for: an earlier report goes with the failure.
      setReport(null);
      setFailure({ message: messageOf(e), issues: e instanceof ApiFailure ? e.issues : [] });
    } finally {
      setRunning(false);
    }
  }

  // runs once per journey id; run is recreated every render and reads the latest state itself
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reason above
  useEffect(() => {
    let on = true;
    api.getJourney(journeyId).then(
      (d) => {
        if (!on) return;
        setDoc(d.document as Doc);
        setLiveVersion(d.liveVersion);
        if (d.liveVersion !== null) {
          // A journey that runs: its live report first, and its versions to choose from.
          const live: Source = { kind: "live", version: null };
          setSource(live);
          void run(live);
          api.versions(journeyId).then(
            (v) => on && setVersions(v.items),
            (e: unknown) => on && setFailure({ message: messageOf(e), issues: [] }),
          );
        }
      },
      (e: unknown) => on && setLoadError(messageOf(e)),
    );
    return () => {
      on = false;
    };
    // Once per journey.
  }, [journeyId]);

  const showOnCanvas = () => {
    if (!report) return;
    useOverlay.getState().set(overlayFromReport(report, (n) => t("report.here", { count: n })));
    navigate({ page: "editor", journeyId });
  };

  if (loadError)
    return (
      <div className="page-message" role="alert" data-testid="report-load-error">
        <p>
          {t("report.loadError")}: {loadError}
        </p>
        <a href={hrefOf({ page: "list" })}>← {t("report.list")}</a>
      </div>
    );
  if (!doc) return <div className="page-message">{t("app.loading")}</div>;

  return (
    <main className="report" data-testid="report-page">
      <header className="toolbar report__toolbar">
        <a href={hrefOf({ page: "editor", journeyId })} className="toolbar__back" data-testid="report-back">
          ← {t("report.back")}
        </a>
        <h1 className="report__title">
          {t("report.title")} · {doc.name} <span className="muted">({journeyId})</span>
        </h1>
        <span className="toolbar__spacer" />
        <button type="button" data-testid="report-show-canvas" disabled={!report} onClick={showOnCanvas}>
          {t("report.showOnCanvas")}
        </button>
        <LangSwitch />
      </header>
      <div className="report__controls">
        <p className="muted">{t("report.intro")}</p>
        <label>
          {t("report.source")}
          <select
            data-testid="report-source"
            value={source.kind}
            onChange={(e) =>
              setSource(
                e.target.value === "live"
                  ? { kind: "live", version: null }
                  : { kind: "simulation", sample: defaultSample(journeyId) },
              )
            }
          >
            <option value="live">{t("report.source.live")}</option>
            <option value="simulation">{t("report.source.simulation")}</option>
          </select>
        </label>
        {source.kind === "live" ? (
          <label>
            {t("report.version")}
            <select
              data-testid="report-version"
              value={source.version === null ? "" : String(source.version)}
              onChange={(e) =>
                setSource({ kind: "live", version: e.target.value === "" ? null : Number(e.target.value) })
              }
            >
              <option value="">{t("report.version.all")}</option>
              {versions.map((v) => (
                <option key={v.version} value={String(v.version)}>
                  {v.version === liveVersion
                    ? t("report.version.live", { n: v.version })
                    : t("report.version.n", { n: v.version })}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <>
            <label>
              {t("report.sample")}
              <select
                data-testid="report-sample"
                value={"sample" in source ? source.sample : ""}
                onChange={(e) => setSource({ kind: "simulation", sample: e.target.value })}
              >
                {"file" in source && <option value="">{t("report.uploaded", { name: source.file.name })}</option>}
                {SAMPLES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <div className="file-field">
              <span>{t("report.upload")}</span>
              <FilePicker
                accept=".jsonl,.ndjson,application/x-ndjson,text/plain"
                testId="report-upload"
                fileName={"file" in source ? source.file.name : null}
                onFile={async (file) => {
                  try {
                    setSource({ kind: "simulation", file: { name: file.name, events: parseJsonl(await file.text()) } });
                    setFailure(null);
                  } catch (err) {
                    setFailure({ message: `${file.name}: ${messageOf(err)}`, issues: [] });
                  }
                }}
              />
            </div>
          </>
        )}
        <label>
          {t("report.cohort")}
          <select
            data-testid="report-cohort"
            value={cohort}
            onChange={(e) => {
              const by = e.target.value === "week" ? "week" : "day";
              setCohort(by);
              // Shown figures follow at once; before the first run it is only a choice.
              if (report) void run(source, by);
            }}
          >
            <option value="day">{t("report.cohort.day")}</option>
            <option value="week">{t("report.cohort.week")}</option>
          </select>
        </label>
        <label>
          {t("report.by")}
          <select
            data-testid="report-by"
            value={breakdown}
            onChange={(e) => {
              setBreakdown(e.target.value);
              if (report) void run(source, cohort, e.target.value);
            }}
          >
            <option value="">{t("report.by.none")}</option>
            {attributeChoices(doc, breakdown).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          data-testid="report-run"
          disabled={running || (source.kind === "simulation" && "sample" in source && !source.sample)}
          onClick={() => void run()}
        >
          {running ? t("report.running") : t("report.run")}
        </button>
      </div>
      {failure && (
        <div className="panel__error report__error" role="alert" data-testid="report-error">
          <p>
            {t("report.error")}: {failure.message}
          </p>
          {failure.issues.length > 0 && <IssuesByNode issues={failure.issues} testId="report-issues" />}
        </div>
      )}
      {report ? (
        <>
          <p className="report__meta" data-testid="report-meta">
            <span className={`report__badge report__badge--${report.source}`}>
              {t(`report.sourceNote.${report.source}`)}
            </span>{" "}
            {report.version !== null && <span>v{report.version} · </span>}
            {report.from
              ? t("report.period", {
                  from: formatDate(report.from, report.timeZone, lang),
                  to: formatDate(report.to, report.timeZone, lang),
                  tz: report.timeZone,
                })
              : t("report.periodOpen", { to: formatDate(report.to, report.timeZone, lang), tz: report.timeZone })}
            {" · "}
            {report.goal
              ? t("report.goal", { event: report.goal.event, window: windowText(report.goal.windowMs) })
              : t("report.noGoal")}
          </p>
          <ReportView report={report} doc={doc} lang={lang} />
          {report.source === "live" && <Incrementality journeyId={journeyId} lang={lang} />}
        </>
      ) : (
        !running && (
          <p className="page-message muted" data-testid="report-empty">
            {t("report.empty")}
          </p>
        )
      )}
    </main>
  );
}
