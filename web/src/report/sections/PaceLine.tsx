/**
 * A paced budget's spend against its pace line (the Spend section's): cumulative spend and the pace
 * line per local day of the journey's time zone, charted and tabled, money in major units.
 */
import { useTranslation } from "react-i18next";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatAmount, type Lang } from "@lifeloop/shared";
import type { Report } from "../model.ts";
import { COLORS, CHART_W, CHART_H } from "./parts.tsx";

type Budget = Report["spend"]["budgets"][number];

export function PaceLine({ budget, lang }: { budget: Budget & { pace: NonNullable<Budget["pace"]> }; lang: Lang }) {
  const { t } = useTranslation();
  const { unit, pace } = budget;
  const money = (minor: number) => formatAmount(minor, unit, lang);
  const id = `pace-${budget.budgetId}`;
  return (
    <div className="report__pace" data-testid={id}>
      <h4>{t("report.spend.pace.title", { id: budget.budgetId })}</h4>
      <p className="muted">{t(`report.spend.pace.${pace.mode}`)}</p>
      <div className="report__pair">
        <figure className="report__figure" data-testid={`${id}-chart`}>
          <LineChart width={CHART_W} height={CHART_H} data={pace.days}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis width={90} tickFormatter={(v: number) => money(v)} />
            <Tooltip formatter={(v) => money(Number(v))} />
            <Legend />
            <Line
              type="linear"
              dataKey="paceCumulative"
              name={t("report.spend.pace.line")}
              stroke={COLORS[8]}
              strokeDasharray="6 4"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="linear"
              dataKey="spentCumulative"
              name={t("report.spend.pace.spent")}
              stroke={COLORS[0]}
              isAnimationActive={false}
            />
          </LineChart>
        </figure>
        <table className="report__table">
          <thead>
            <tr>
              <th>{t("report.spend.pace.day")}</th>
              <th className="num">{t("report.spend.pace.allowance")}</th>
              <th className="num">{t("report.spend.pace.daySpent")}</th>
              <th className="num">{t("report.spend.pace.line")}</th>
              <th className="num">{t("report.spend.pace.spent")}</th>
            </tr>
          </thead>
          <tbody>
            {pace.days.map((d) => (
              <tr key={d.day} data-testid={`${id}-${d.day}`}>
                <td>{d.day}</td>
                <td className="num">{money(d.allowance)}</td>
                <td className="num">{money(d.spent)}</td>
                <td className="num">{money(d.paceCumulative)}</td>
                <td className="num">{money(d.spentCumulative)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
