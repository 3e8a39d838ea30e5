/** The report's section: tier movement, who moved from which tier to which, by week. */
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { count, moveKey } from "../model.ts";
import { onTimeAxis } from "../timeAxis.ts";
import { COLORS, CHART_W, CHART_H, Section, Empty, type Ctx } from "./parts.tsx";

export function Tiers({ report, lang }: Ctx) {
  const { t } = useTranslation();
  const weeks = report.tiers.filter((w) => w.moves.some((m) => m.count > 0));
  const keys = [...new Set(weeks.flatMap((w) => w.moves.map(moveKey)))];
  // Every week from the first move to the last, one bar slot each: a week nobody moved is there, at 0.
  const data = onTimeAxis(
    weeks.map((w) => ({ date: w.week, values: Object.fromEntries(w.moves.map((m) => [moveKey(m), m.count])) })),
    keys,
    0,
    7,
  );
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
            <XAxis dataKey="date" />
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
