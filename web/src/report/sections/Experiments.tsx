/**
 * The report's section: each experiment: the verdict in words, arms with lift and interval, the SRM
 * check, the methods.
 */
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, Tooltip, XAxis, YAxis } from "recharts";
import { formatAmount, type Lang } from "@lifeloop/shared";
import type { Doc } from "../../store/editor.ts";
import { armLabel, count, pct, pExpr, points, pValue, unitsOf, verdictWords, type Experiment } from "../model.ts";
import { COLORS, CHART_W, CHART_H, Section, Empty, type Ctx } from "./parts.tsx";

/** The automatic winner in words: when it is decided, or what was decided and since when. */
function AutoWinner({ x, label }: { x: Experiment; label: (arm: string) => string }) {
  const { t } = useTranslation();
  const w = x.autoWinner!;
  // Minutes in UTC, like the engine's record: the same words whatever the reader's time zone.
  const utc = (iso: string) => iso.slice(0, 16).replace("T", " ");
  const arm = (a: string) => (a === "keep" ? t("report.exp.auto.keep") : `"${label(a)}"`);
  const text =
    w.windowEnd === null
      ? t("report.exp.auto.unstarted")
      : w.decidedAt === null
        ? t("report.exp.auto.pending", { end: utc(w.windowEnd), alpha: pValue(w.alpha), fallback: arm(w.fallback) })
        : t(`report.exp.auto.${w.reason}`, {
            end: utc(w.windowEnd),
            at: utc(w.decidedAt),
            alpha: pValue(w.alpha),
            arm: label(w.winner ?? ""),
            route: arm(w.route ?? "keep"),
          });
  return (
    <p className="report__verdict" data-testid={`auto-winner-${x.nodeId}`} data-route={w.route ?? ""}>
      {text}
    </p>
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
      {x.autoWinner && <AutoWinner x={x} label={label} />}
      <p className="muted report__method">{lang === "en" ? x.method : t("report.exp.method")}</p>
      <p className="muted" data-testid={`kinds-${x.nodeId}`}>
        {t("report.exp.kinds")}
      </p>
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
              <th className="num">{t("report.exp.cs")}</th>
              <th className="num">{t("report.exp.pAnytime")}</th>
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
                  <td className="num" data-testid={`arm-cs-${id}`}>
                    {a.anytime ? `${points(a.anytime.cs95[0])} – ${points(a.anytime.cs95[1])}` : "—"}
                  </td>
                  <td className="num" data-testid={`arm-pa-${id}`}>
                    {a.anytime ? pValue(a.anytime.pValue) : "—"}
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

export function Experiments({ report, doc, lang }: Ctx) {
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
