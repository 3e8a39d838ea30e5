/** The report's section: Retention cohorts as a heat map and a chart, by entry day or week. */
import { useTranslation } from "react-i18next";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { blend, textOn } from "../../ui/contrast.ts";
import { count, pct } from "../model.ts";
import { dateOf, onTimeAxis, timeAxisProps } from "../timeAxis.ts";
import { COLORS, CHART_W, CHART_H, Section, Empty, type Ctx } from "./parts.tsx";

/**
 * Heat-map colour of a rate: the accent, stronger the higher the share; the number in black or
 * white, whichever reads (4.5:1).
 */
const heat = (rate: number | null) => {
  if (rate === null) return undefined;
  const background = blend("#4f46e5", "#ffffff", 0.08 + rate * 0.8);
  return { background, color: textOn(background, "#000000") };
};

export function Retention({ report, lang }: Ctx) {
  const { t } = useTranslation();
  const { unit, cohorts } = report.retention;
  const days = ["day1", "day7", "day30"] as const;
  const step = unit === "week" ? 7 : 1;
  const percent = (r: number | null) => (r === null ? null : r * 100);
  // Every day (or week) from the first cohort to the last, placed by date: one nobody entered has no
  // rate, a gap in the lines rather than a point that is not there.
  const data = onTimeAxis(
    cohorts.map((c) => ({
      date: c.cohort,
      values: { day1: percent(c.day1), day7: percent(c.day7), day30: percent(c.day30) },
    })),
    days,
    null,
    step,
  );
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
          <figure className="report__figure" data-testid="retention-chart">
            <LineChart width={CHART_W} height={CHART_H} data={data}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis {...timeAxisProps(data, step)} />
              <YAxis unit="%" domain={[0, 100]} />
              <Tooltip labelFormatter={(day) => dateOf(Number(day))} />
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
            <figcaption className="muted">
              {t("report.retention.axis", { unit: t(`report.retention.unit.${unit}`), zone: report.timeZone })}
            </figcaption>
          </figure>
        </div>
      )}
    </Section>
  );
}
