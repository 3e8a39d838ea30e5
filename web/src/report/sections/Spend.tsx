/**
 * The report's section: incentive spend, grants and amounts by node and unit, budgets (a paced one
 * against its pace line), refusals.
 */
import { useTranslation } from "react-i18next";
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatAmount } from "@lifeloop/shared";
import { count, unitsOf } from "../model.ts";
import { dateOf, onTimeAxis, timeAxisProps } from "../timeAxis.ts";
import { PaceLine } from "./PaceLine.tsx";
import { COLORS, CHART_W, CHART_H, nameOf, Section, Empty, Tile, type Ctx } from "./parts.tsx";

export function Spend({ report, doc, lang }: Ctx) {
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
            {dayUnits.map((u, i) => {
              // Every day from the first grant to the last, placed by date: a day with no grant is 0.
              const days = onTimeAxis(
                s.byDay.filter((d) => d.unit === u).map((d) => ({ date: d.day, values: { amount: d.amount } })),
                ["amount"],
                0,
              );
              return (
                <figure key={u} className="report__figure" data-testid={`spend-day-${u}`}>
                  <AreaChart width={CHART_W} height={CHART_H} data={days}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis {...timeAxisProps(days)} />
                    <YAxis width={90} tickFormatter={(v: number) => formatAmount(v, u, lang)} />
                    <Tooltip
                      labelFormatter={(day) => dateOf(Number(day))}
                      formatter={(v) => formatAmount(Number(v), u, lang)}
                    />
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
                  <figcaption className="muted">
                    {t("report.spend.byDayCaption", { unit: u, zone: report.timeZone })}
                  </figcaption>
                </figure>
              );
            })}
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
          {s.budgets.map((b) =>
            b.pace ? (
              <PaceLine key={`pace-${b.budgetId}-${b.unit}`} budget={{ ...b, pace: b.pace }} lang={lang} />
            ) : null,
          )}
        </>
      )}
      {s.pools && s.pools.length > 0 && (
        <>
          <h3>{t("report.spend.pools")}</h3>
          <ul className="report__exits">
            {s.pools.map((p) => (
              <li key={p.pool} data-testid={`pool-${p.pool}`}>
                {t("report.spend.pool", {
                  id: p.pool,
                  remaining: count(p.remaining, lang),
                  codes: count(p.codes, lang),
                  handed: count(p.handed, lang),
                })}
              </li>
            ))}
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
