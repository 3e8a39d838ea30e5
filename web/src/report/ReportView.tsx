/**
 * One journey report, drawn: headline tiles, people at each node, a funnel along a path, time to
 * convert, experiments with their verdict in words, retention cohorts, win-back, tier movement and
 * incentive spend. Charts are recharts; every figure a chart shows is also in a table beside it.
 */
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatAmount, reportCsv, type FunnelReport, type Lang } from "@lifeloop/shared";
import { api, getKey } from "../api/client.ts";
import { branchName, messageOf, nodeName } from "../panels/common.tsx";
import type { Doc } from "../store/editor.ts";
import { downloadText } from "../files.ts";
import { blend, textOn } from "../ui/contrast.ts";
import {
  armLabel,
  count,
  csvUrl,
  defaultPath,
  duration,
  funnelFromNodes,
  moveKey,
  pct,
  pExpr,
  points,
  pValue,
  unitsOf,
  verdictWords,
  type CsvSection,
  type Experiment,
  type Report,
} from "./model.ts";

const COLORS = ["#4f46e5", "#16a34a", "#d97706", "#dc2626", "#0891b2", "#9333ea", "#db2777", "#65a30d", "#475569"];
const CHART_W = 560;
const CHART_H = 220;

type Ctx = { report: Report; doc: Doc | null; lang: Lang };

const nameOf = (doc: Doc | null, id: string, lang: Lang) =>
  nodeName(
    doc?.nodes.find((n) => n.id === id),
    id,
    lang,
  );

/** The section's CSV from the API (with the key, which a plain link would not send). */
function CsvLink({ report, section }: { report: Report; section: CsvSection }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const name = `${report.journeyId}-${report.source === "simulation" ? "simulation-" : ""}${section}.csv`;
  if (report.source === "simulation")
    // The API's CSV reads live facts; a simulation's is written here, by the engine's own writer.
    return (
      <span className="report__csv">
        <button
          type="button"
          className="link"
          data-testid={`csv-${section}`}
          title={t("report.csv.simulation")}
          onClick={() => downloadText(name, reportCsv(report, section), "text/csv")}
        >
          ⬇ {t("report.csv")}
        </button>
      </span>
    );
  const href = csvUrl(report.journeyId, section, report.version, report.retention.unit);
  return (
    <span className="report__csv">
      <a
        href={href}
        data-testid={`csv-${section}`}
        download={name}
        onClick={(e) => {
          // A link alone would go without the bearer key: fetch it with the key, then save it.
          if (!getKey()) return;
          e.preventDefault();
          setError(null);
          api.reportCsv(report.journeyId, section, report.version, report.retention.unit).then(
            (text) => downloadText(name, text, "text/csv"),
            (err: unknown) => setError(messageOf(err)),
          );
        }}
      >
        ⬇ {t("report.csv")}
      </a>
      {error && (
        <span className="error-text" role="alert" data-testid={`csv-error-${section}`}>
          {error}
        </span>
      )}
    </span>
  );
}

function Section({
  id,
  title,
  csv,
  report,
  children,
}: {
  id: string;
  title: string;
  csv?: CsvSection;
  report: Report;
  children: ReactNode;
}) {
  return (
    <section className="report__section" data-testid={`section-${id}`}>
      <header className="report__section-head">
        <h2>{title}</h2>
        {csv && <CsvLink report={report} section={csv} />}
      </header>
      {children}
    </section>
  );
}

function Empty({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p className="report__empty muted" data-testid={`empty-${id}`}>
      {children}
    </p>
  );
}

function Tile({ id, label, value, sub }: { id: string; label: string; value: string; sub?: string | undefined }) {
  return (
    <div className="report__tile">
      <div className="report__tile-label">{label}</div>
      <div className="report__tile-value" data-testid={id}>
        {value}
      </div>
      {sub && <div className="report__tile-sub muted">{sub}</div>}
    </div>
  );
}

function useExitLabel() {
  const { t, i18n } = useTranslation();
  return (reason: string) => (i18n.exists(`report.exit.${reason}`) ? t(`report.exit.${reason}`) : reason);
}

function Headline({ report, lang }: Ctx) {
  const { t } = useTranslation();
  const exitLabel = useExitLabel();
  const x = report.totals;
  const exits = Object.entries(x.exited).sort((a, b) => b[1] - a[1]);
  return (
    <div className="report__tiles" data-testid="report-tiles">
      <Tile id="report-entered" label={t("report.tile.entered")} value={count(x.entered, lang)} />
      <Tile id="report-converted" label={t("report.tile.converted")} value={count(x.converted, lang)} />
      <Tile id="report-rate" label={t("report.tile.rate")} value={pct(x.rate, lang)} />
      <Tile id="report-active" label={t("report.tile.active")} value={count(x.active, lang)} />
      <div className="report__tile report__tile--wide">
        <div className="report__tile-label">{t("report.tile.exits")}</div>
        {exits.length === 0 ? (
          <div className="muted" data-testid="report-exits-none">
            {t("report.tile.noExits")}
          </div>
        ) : (
          <ul className="report__exits">
            {exits.map(([reason, n]) => (
              <li key={reason}>
                <span>{exitLabel(reason)}</span> <b data-testid={`report-exit-${reason}`}>{count(n, lang)}</b>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function Nodes({ report, doc, lang }: Ctx) {
  const { t } = useTranslation();
  // Journey order when the document is known, then any node only the report knows.
  const ids = useMemo(() => {
    const known: string[] = (doc?.nodes ?? []).map((n) => String(n.id)).filter((id) => id in report.nodes);
    return [...known, ...Object.keys(report.nodes).filter((id) => !known.includes(id))];
  }, [doc, report.nodes]);
  const data = ids.map((id) => ({ id, reached: report.nodes[id]!.reached, at: report.nodes[id]!.at }));
  return (
    <Section id="nodes" title={t("report.nodes.title")} csv="nodes" report={report}>
      {ids.length === 0 ? (
        <Empty id="nodes">{t("report.nodes.empty")}</Empty>
      ) : (
        <div className="report__pair">
          <table className="report__table">
            <thead>
              <tr>
                <th>{t("report.nodes.node")}</th>
                <th className="num">{t("report.nodes.reached")}</th>
                <th className="num">{t("report.nodes.at")}</th>
                <th>{t("report.nodes.left")}</th>
              </tr>
            </thead>
            <tbody>
              {ids.map((id) => {
                const n = report.nodes[id]!;
                return (
                  <tr key={id} data-testid={`report-node-${id}`}>
                    <td>{nameOf(doc, id, lang)}</td>
                    <td className="num" data-testid={`report-node-reached-${id}`}>
                      {count(n.reached, lang)}
                    </td>
                    <td className="num" data-testid={`report-node-at-${id}`}>
                      {count(n.at, lang)}
                    </td>
                    <td className="report__left">
                      {Object.entries(n.left)
                        .map(
                          ([branch, c]) =>
                            `${branchName(
                              doc?.nodes.find((x) => x.id === id),
                              branch,
                              lang,
                            )}: ${count(c, lang)}`,
                        )
                        .join(" · ") || "—"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <BarChart
            width={CHART_W}
            height={Math.max(CHART_H, ids.length * 28)}
            data={data}
            layout="vertical"
            margin={{ left: 20, right: 20 }}
          >
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="id" width={120} />
            <Tooltip />
            <Legend />
            <Bar dataKey="reached" name={t("report.nodes.reached")} fill={COLORS[0]} isAnimationActive={false} />
            <Bar dataKey="at" name={t("report.nodes.at")} fill={COLORS[2]} isAnimationActive={false} />
          </BarChart>
        </div>
      )}
    </Section>
  );
}

type FunnelStep = FunnelReport["steps"][number];

function Funnel({ report, doc, lang }: Ctx) {
  const { t } = useTranslation();
  const initial = useMemo(() => (doc ? defaultPath(doc) : []), [doc]);
  const [path, setPath] = useState<string[]>(initial);
  const [live, setLive] = useState<{ steps: FunnelStep[] | null; loading: boolean; error: string | null }>({
    steps: null,
    loading: false,
    error: null,
  });
  const isLive = report.source === "live";
  const key = path.join(",");

  // biome-ignore lint/correctness/useExhaustiveDependencies: key (the path's ids joined) stands for the path, which is a new array every render
  useEffect(() => {
    if (!isLive || path.length === 0) return;
    let on = true;
    setLive({ steps: null, loading: true, error: null });
    api.funnel(report.journeyId, path, report.version).then(
      (f) => on && setLive({ steps: f.steps, loading: false, error: null }),
      (e: unknown) => on && setLive({ steps: null, loading: false, error: messageOf(e) }),
    );
    return () => {
      on = false;
    };
    // The path's ids joined stand for the path.
  }, [isLive, key, report]);

  const steps: FunnelStep[] | null = isLive ? live.steps : funnelFromNodes(report, path);
  const candidates = (doc?.nodes ?? []).map((n) => n.id).filter((id) => !path.includes(id));
  const data = (steps ?? []).map((s) => ({ id: s.nodeId, count: s.count }));

  return (
    <Section id="funnel" title={t("report.funnel.title")} report={report}>
      <p className="muted">{t("report.funnel.help")}</p>
      <div className="report__funnel-path" data-testid="funnel-path">
        {path.map((id, i) => (
          <span key={id} className="report__chip">
            {i > 0 && <span className="muted">→ </span>}
            {id}
            <button
              type="button"
              className="link"
              aria-label={t("report.funnel.remove", { node: id })}
              data-testid={`funnel-remove-${id}`}
              onClick={() => setPath(path.filter((p) => p !== id))}
            >
              ✕
            </button>
          </span>
        ))}
        <select
          data-testid="funnel-add"
          value=""
          aria-label={t("report.funnel.add")}
          onChange={(e) => e.target.value && setPath([...path, e.target.value])}
        >
          <option value="">+ {t("report.funnel.add")}</option>
          {candidates.map((id) => (
            <option key={id} value={id}>
              {nameOf(doc, id, lang)}
            </option>
          ))}
        </select>
        <button type="button" data-testid="funnel-reset" onClick={() => setPath(initial)}>
          {t("report.funnel.reset")}
        </button>
        <button type="button" data-testid="funnel-clear" onClick={() => setPath([])}>
          {t("report.funnel.clear")}
        </button>
      </div>
      {!isLive && path.length > 0 && <p className="muted">{t("report.funnel.fromNodes")}</p>}
      {path.length === 0 ? (
        <Empty id="funnel">{t("report.funnel.empty")}</Empty>
      ) : isLive && live.loading ? (
        <p className="muted">{t("report.funnel.loading")}</p>
      ) : isLive && live.error ? (
        <p className="error-text" role="alert" data-testid="funnel-error">
          {t("report.error")}: {live.error}
        </p>
      ) : (
        steps && (
          <div className="report__pair">
            <table className="report__table">
              <thead>
                <tr>
                  <th>{t("report.funnel.step")}</th>
                  <th className="num">{t("report.funnel.count")}</th>
                  <th className="num">{t("report.funnel.fromPrevious")}</th>
                  <th className="num">{t("report.funnel.fromStart")}</th>
                </tr>
              </thead>
              <tbody>
                {steps.map((s, i) => (
                  <tr key={`${s.nodeId}-${i}`} data-testid={`funnel-step-${s.nodeId}`}>
                    <td>
                      {i + 1}. {nameOf(doc, s.nodeId, lang)}
                    </td>
                    <td className="num" data-testid={`funnel-count-${s.nodeId}`}>
                      {count(s.count, lang)}
                    </td>
                    <td className="num">{pct(s.rateFromPrevious, lang)}</td>
                    <td className="num" data-testid={`funnel-rate-${s.nodeId}`}>
                      {pct(s.rateFromStart, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <BarChart
              width={CHART_W}
              height={Math.max(160, data.length * 36)}
              data={data}
              layout="vertical"
              margin={{ left: 20, right: 20 }}
            >
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="id" width={120} />
              <Tooltip />
              <Bar dataKey="count" name={t("report.funnel.count")} isAnimationActive={false}>
                {data.map((d, i) => (
                  <Cell key={d.id} fill={COLORS[0]} fillOpacity={1 - (i / Math.max(1, data.length)) * 0.6} />
                ))}
              </Bar>
            </BarChart>
          </div>
        )
      )}
    </Section>
  );
}

function TimeToConvert({ report, lang }: Ctx) {
  const { t } = useTranslation();
  const x = report.timeToConvert;
  return (
    <Section id="ttc" title={t("report.ttc.title")} report={report}>
      {x.count === 0 ? (
        <Empty id="ttc">{t("report.ttc.empty")}</Empty>
      ) : (
        <div className="report__pair">
          <div className="report__tiles report__tiles--small">
            <Tile id="ttc-count" label={t("report.ttc.count")} value={count(x.count, lang)} />
            <Tile id="ttc-p50" label={t("report.ttc.p50")} value={duration(x.p50Ms, lang)} />
            <Tile id="ttc-p90" label={t("report.ttc.p90")} value={duration(x.p90Ms, lang)} />
            <Tile id="ttc-mean" label={t("report.ttc.mean")} value={duration(x.meanMs, lang)} />
          </div>
          <BarChart width={CHART_W} height={CHART_H} data={x.histogram}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="bucket" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="count" name={t("report.ttc.count")} fill={COLORS[1]} isAnimationActive={false} />
          </BarChart>
        </div>
      )}
    </Section>
  );
}

function ExperimentCard({ x, doc, lang }: { x: Experiment; doc: Doc | null; lang: Lang }) {
  const { t } = useTranslation();
  const label = (arm: string) => armLabel(doc, x.nodeId, arm);
  const words = verdictWords(x, label);
  const chart = x.arms
    .filter((a) => !a.control && a.lift)
    .map((a) => {
      const l = a.lift!;
      const v = l.absolute * 100;
      return { arm: label(a.arm), lift: Math.round(v * 10) / 10, err: [v - l.ci95[0] * 100, l.ci95[1] * 100 - v] };
    });
  const tone =
    x.verdict.status === "winner"
      ? "good"
      : x.verdict.status === "worse" || x.verdict.status === "srm"
        ? "bad"
        : "neutral";
  return (
    <article className="report__experiment" data-testid={`experiment-${x.nodeId}`}>
      <h3>{t("report.exp.node", { key: x.key, nodeId: x.nodeId })}</h3>
      <p
        className={`report__verdict report__verdict--${tone}`}
        data-testid={`verdict-${x.nodeId}`}
        data-status={x.verdict.status}
      >
        {t(words.key, words.values)}
      </p>
      {x.srm.mismatch && (
        <p className="report__warning" role="alert" data-testid={`srm-${x.nodeId}`}>
          ⚠ {t("report.exp.srm", { chi: x.srm.chiSquare.toFixed(2), p: pExpr(x.srm.pValue) })}
        </p>
      )}
      <p className="muted report__method">{lang === "en" ? x.method : t("report.exp.method")}</p>
      <div className="report__pair">
        <table className="report__table">
          <thead>
            <tr>
              <th>{t("report.exp.arm")}</th>
              <th className="num">{t("report.exp.entered")}</th>
              <th className="num">{t("report.exp.converted")}</th>
              <th className="num">{t("report.exp.rate")}</th>
              <th className="num">{t("report.exp.lift")}</th>
              <th className="num">{t("report.exp.ci")}</th>
              <th className="num">{t("report.exp.p")}</th>
              <th className="num">{t("report.exp.costPer")}</th>
            </tr>
          </thead>
          <tbody>
            {x.arms.map((a) => {
              const id = `${x.nodeId}-${a.arm}`;
              const units = unitsOf(a.costPerConversion as Record<string, number>);
              return (
                <tr key={a.arm} data-testid={`arm-${id}`} className={a.control ? "report__control" : ""}>
                  <td>
                    {/* A holdout the author left unlabelled is named in the viewer's words, not by its id. */}
                    {a.control && label(a.arm) === a.arm ? (
                      t("report.exp.control")
                    ) : (
                      <>
                        {label(a.arm)}
                        {a.control && <span className="muted"> ({t("report.exp.control")})</span>}
                      </>
                    )}
                  </td>
                  <td className="num" data-testid={`arm-entered-${id}`}>
                    {count(a.entered, lang)}
                  </td>
                  <td className="num" data-testid={`arm-converted-${id}`}>
                    {count(a.converted, lang)}
                  </td>
                  <td className="num" data-testid={`arm-rate-${id}`}>
                    {pct(a.rate, lang)}
                  </td>
                  <td className="num" data-testid={`arm-lift-${id}`}>
                    {a.lift ? points(a.lift.absolute, true) : "—"}
                  </td>
                  <td className="num" data-testid={`arm-ci-${id}`}>
                    {a.lift ? `${points(a.lift.ci95[0])} – ${points(a.lift.ci95[1])}` : "—"}
                  </td>
                  <td className="num" data-testid={`arm-p-${id}`}>
                    {a.lift ? pValue(a.lift.pValue) : "—"}
                  </td>
                  <td className="num" data-testid={`arm-cpc-${id}`}>
                    {units.length === 0
                      ? "—"
                      : units
                          .map((u) => {
                            const v = a.costPerConversion[u];
                            return v === null || v === undefined ? "—" : formatAmount(Math.round(v), u, lang);
                          })
                          .join(" · ")}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {chart.length > 0 && (
          <figure className="report__figure">
            <BarChart width={CHART_W - 80} height={CHART_H} data={chart}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="arm" />
              <YAxis unit={t("report.exp.pt")} />
              <Tooltip />
              <Bar dataKey="lift" name={t("report.exp.lift")} isAnimationActive={false}>
                {chart.map((d) => (
                  <Cell key={d.arm} fill={d.lift >= 0 ? COLORS[1] : COLORS[3]} />
                ))}
                <ErrorBar dataKey="err" width={8} stroke="#1f2430" />
              </Bar>
            </BarChart>
            <figcaption className="muted">{t("report.exp.chart")}</figcaption>
          </figure>
        )}
      </div>
    </article>
  );
}

function Experiments({ report, doc, lang }: Ctx) {
  const { t } = useTranslation();
  return (
    <Section id="experiments" title={t("report.exp.title")} csv="experiments" report={report}>
      {report.experiments.length === 0 ? (
        <Empty id="experiments">{t("report.exp.none")}</Empty>
      ) : (
        report.experiments.map((x) => <ExperimentCard key={x.nodeId} x={x} doc={doc} lang={lang} />)
      )}
    </Section>
  );
}

/** Heat-map colour of a rate: the accent, stronger the higher the share; the number in black or white, whichever reads (4.5:1). */
const heat = (rate: number | null) => {
  if (rate === null) return undefined;
  const background = blend("#4f46e5", "#ffffff", 0.08 + rate * 0.8);
  return { background, color: textOn(background, "#000000") };
};

function Retention({ report, lang }: Ctx) {
  const { t } = useTranslation();
  const { unit, cohorts } = report.retention;
  const days = ["day1", "day7", "day30"] as const;
  const data = cohorts.map((c) => ({
    cohort: c.cohort,
    day1: c.day1 === null ? null : c.day1 * 100,
    day7: c.day7 === null ? null : c.day7 * 100,
    day30: c.day30 === null ? null : c.day30 * 100,
  }));
  return (
    <Section id="retention" title={t("report.retention.title")} csv="retention" report={report}>
      {cohorts.length === 0 ? (
        <Empty id="retention">{t("report.retention.empty")}</Empty>
      ) : (
        <div className="report__pair">
          <table className="report__table report__heat">
            <thead>
              <tr>
                <th>{t("report.retention.cohort", { unit: t(`report.retention.unit.${unit}`) })}</th>
                <th className="num">{t("report.retention.size")}</th>
                {days.map((d) => (
                  <th key={d} className="num">
                    {t(`report.retention.${d}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {cohorts.map((c) => (
                <tr key={c.cohort} data-testid={`retention-row-${c.cohort}`}>
                  <td>{c.cohort}</td>
                  <td className="num" data-testid={`retention-${c.cohort}-size`}>
                    {count(c.size, lang)}
                  </td>
                  {days.map((d) => (
                    <td
                      key={d}
                      className="num"
                      style={heat(c[d])}
                      data-testid={`retention-${c.cohort}-${d}`}
                      title={c[d] === null ? t("report.retention.pending") : undefined}
                    >
                      {c[d] === null ? <span className="muted">{t("report.retention.pending")}</span> : pct(c[d], lang)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <LineChart width={CHART_W} height={CHART_H} data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="cohort" />
            <YAxis unit="%" domain={[0, 100]} />
            <Tooltip />
            <Legend />
            {days.map((d, i) => (
              <Line
                key={d}
                type="linear"
                dataKey={d}
                name={t(`report.retention.${d}`)}
                stroke={COLORS[i]}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </div>
      )}
    </Section>
  );
}

function WinBack({ report, doc, lang }: Ctx) {
  const { t } = useTranslation();
  const steps = report.winBack;
  return (
    <Section id="winback" title={t("report.winback.title")} csv="winback" report={report}>
      {steps.length === 0 ? (
        <Empty id="winback">{t("report.winback.empty")}</Empty>
      ) : (
        <div className="report__pair">
          <table className="report__table">
            <thead>
              <tr>
                <th>{t("report.winback.node")}</th>
                <th className="num">{t("report.winback.granted")}</th>
                <th className="num">{t("report.winback.returned")}</th>
                <th className="num">{t("report.winback.rate")}</th>
                <th className="num">{t("report.winback.window")}</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((s) => (
                <tr key={s.nodeId} data-testid={`winback-${s.nodeId}`}>
                  <td>{nameOf(doc, s.nodeId, lang)}</td>
                  <td className="num">{count(s.granted, lang)}</td>
                  <td className="num">{count(s.returned, lang)}</td>
                  <td className="num" data-testid={`winback-rate-${s.nodeId}`}>
                    {pct(s.rate, lang)}
                  </td>
                  <td className="num">{t("report.winback.days", { count: s.windowDays })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <BarChart
            width={CHART_W}
            height={CHART_H}
            data={steps.map((s) => ({ id: s.nodeId, granted: s.granted, returned: s.returned }))}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="id" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="granted" name={t("report.winback.granted")} fill={COLORS[2]} isAnimationActive={false} />
            <Bar dataKey="returned" name={t("report.winback.returned")} fill={COLORS[1]} isAnimationActive={false} />
          </BarChart>
        </div>
      )}
    </Section>
  );
}

function Tiers({ report, lang }: Ctx) {
  const { t } = useTranslation();
  const weeks = report.tiers.filter((w) => w.moves.some((m) => m.count > 0));
  const keys = [...new Set(weeks.flatMap((w) => w.moves.map(moveKey)))];
  const data = weeks.map((w) => Object.fromEntries([["week", w.week], ...w.moves.map((m) => [moveKey(m), m.count])]));
  return (
    <Section id="tiers" title={t("report.tiers.title")} csv="tiers" report={report}>
      {weeks.length === 0 ? (
        <Empty id="tiers">{t("report.tiers.empty")}</Empty>
      ) : (
        <div className="report__pair">
          <table className="report__table">
            <thead>
              <tr>
                <th>{t("report.tiers.week")}</th>
                <th>{t("report.tiers.move")}</th>
                <th className="num">{t("report.tiers.count")}</th>
              </tr>
            </thead>
            <tbody>
              {weeks.flatMap((w) =>
                w.moves.map((m) => (
                  <tr
                    key={`${w.week}-${moveKey(m)}`}
                    data-testid={`tiers-${w.week}-${m.from ?? "none"}-${m.to ?? "none"}`}
                  >
                    <td>{w.week}</td>
                    <td>{moveKey(m)}</td>
                    <td className="num">{count(m.count, lang)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          <BarChart width={CHART_W} height={CHART_H + 40} data={data}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="week" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {keys.map((k, i) => (
              <Bar key={k} dataKey={k} stackId="moves" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        </div>
      )}
    </Section>
  );
}

function Spend({ report, doc, lang }: Ctx) {
  const { t } = useTranslation();
  const s = report.spend;
  const units = unitsOf(s.total);
  const refusals = Object.entries(s.refusals).filter(([, n]) => n > 0);
  const dayUnits = [...new Set(s.byDay.map((d) => d.unit))];
  return (
    <Section id="spend" title={t("report.spend.title")} csv="spend" report={report}>
      <div className="report__tiles report__tiles--small">
        {units.length === 0 ? (
          <Empty id="spend">{t("report.spend.none")}</Empty>
        ) : (
          units.map((u) => (
            <Tile
              key={u}
              id={`spend-total-${u}`}
              label={`${t("report.spend.total")} · ${u}`}
              value={formatAmount(s.total[u]!, u, lang)}
            />
          ))
        )}
      </div>
      {s.byNode.length > 0 && (
        <>
          <h3>{t("report.spend.byNode")}</h3>
          <table className="report__table">
            <thead>
              <tr>
                <th>{t("report.spend.node")}</th>
                <th>{t("report.spend.unit")}</th>
                <th className="num">{t("report.spend.grants")}</th>
                <th className="num">{t("report.spend.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {s.byNode.map((n) => (
                <tr key={`${n.nodeId}-${n.unit}`} data-testid={`spend-node-${n.nodeId}-${n.unit}`}>
                  <td>{nameOf(doc, n.nodeId, lang)}</td>
                  <td>{n.unit}</td>
                  <td className="num">{count(n.grants, lang)}</td>
                  <td className="num" data-testid={`spend-amount-${n.nodeId}-${n.unit}`}>
                    {formatAmount(n.amount, n.unit, lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {dayUnits.length > 0 && (
        <>
          <h3>{t("report.spend.byDay")}</h3>
          <div className="report__charts">
            {dayUnits.map((u, i) => (
              <figure key={u} className="report__figure" data-testid={`spend-day-${u}`}>
                <AreaChart width={CHART_W} height={CHART_H} data={s.byDay.filter((d) => d.unit === u)}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" />
                  <YAxis width={90} tickFormatter={(v: number) => formatAmount(v, u, lang)} />
                  <Tooltip formatter={(v) => formatAmount(Number(v), u, lang)} />
                  <Area
                    type="linear"
                    dataKey="amount"
                    name={u}
                    stroke={COLORS[i % COLORS.length]}
                    fill={COLORS[i % COLORS.length]}
                    fillOpacity={0.25}
                    isAnimationActive={false}
                  />
                </AreaChart>
                <figcaption className="muted">{u}</figcaption>
              </figure>
            ))}
          </div>
        </>
      )}
      {s.budgets.length > 0 && (
        <>
          <h3>{t("report.spend.budgets")}</h3>
          <ul className="report__budgets">
            {s.budgets.map((b) => {
              const share = b.limit > 0 ? Math.min(1, b.used / b.limit) : 1;
              return (
                <li key={`${b.budgetId}-${b.unit}`} data-testid={`budget-${b.budgetId}`}>
                  <div>
                    {t("report.spend.budget", {
                      id: b.budgetId,
                      used: formatAmount(b.used, b.unit, lang),
                      limit: formatAmount(b.limit, b.unit, lang),
                      left: formatAmount(b.left, b.unit, lang),
                    })}
                  </div>
                  <div
                    className="report__bar"
                    role="progressbar"
                    aria-label={t("report.spend.budgetBar", { id: b.budgetId })}
                    aria-valuemin={0}
                    aria-valuemax={b.limit}
                    aria-valuenow={b.used}
                  >
                    <div
                      className={`report__bar-fill${share >= 0.9 ? " report__bar-fill--high" : ""}`}
                      style={{ width: `${(share * 100).toFixed(1)}%` }}
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <h3>{t("report.spend.refusals")}</h3>
      {refusals.length === 0 ? (
        <Empty id="refusals">{t("report.spend.noRefusals")}</Empty>
      ) : (
        <ul className="report__exits">
          {refusals.map(([reason, n]) => (
            <li key={reason}>
              <span>{t(`report.spend.refusal.${reason}`, { defaultValue: reason })}</span>{" "}
              <b data-testid={`refusal-${reason}`}>{count(n, lang)}</b>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function ReportView({ report, doc, lang }: Ctx) {
  const ctx = { report, doc, lang };
  return (
    <div className="report__body" data-testid="report-view" data-source={report.source}>
      <Headline {...ctx} />
      <Experiments {...ctx} />
      <Nodes {...ctx} />
      <Funnel {...ctx} />
      <TimeToConvert {...ctx} />
      <Retention {...ctx} />
      <WinBack {...ctx} />
      <Tiers {...ctx} />
      <Spend {...ctx} />
    </div>
  );
}
