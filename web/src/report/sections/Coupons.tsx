/**
 * The report's section: each coupon node's coupons: issued, redeemed, lapsed and still open, the
 * redemption rate, the median time to redeem and what each redeemed coupon cost (money in major units).
 */
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatAmount } from "@lifeloop/shared";
import { count, duration, pct } from "../model.ts";
import { COLORS, CHART_W, CHART_H, nameOf, Section, Empty, type Ctx } from "./parts.tsx";

export function Coupons({ report, doc, lang }: Ctx) {
  const { t } = useTranslation();
  const coupons = report.coupons;
  const money = (minor: number | null, unit: string) => (minor === null ? "—" : formatAmount(minor, unit, lang));
  return (
    <Section id="coupons" title={t("report.coupons.title")} csv="coupons" report={report}>
      {coupons.length === 0 ? (
        <Empty id="coupons">{t("report.coupons.empty")}</Empty>
      ) : (
        <>
          <table className="report__table">
            <thead>
              <tr>
                <th>{t("report.coupons.node")}</th>
                <th className="num">{t("report.coupons.issued")}</th>
                <th className="num">{t("report.coupons.redeemed")}</th>
                <th className="num">{t("report.coupons.expired")}</th>
                <th className="num">{t("report.coupons.open")}</th>
                <th className="num">{t("report.coupons.rate")}</th>
                <th className="num">{t("report.coupons.median")}</th>
                <th className="num">{t("report.coupons.cost")}</th>
                <th className="num">{t("report.coupons.costPerRedeemed")}</th>
              </tr>
            </thead>
            <tbody>
              {coupons.map((c) => {
                const id = `coupon-${c.nodeId}-${c.unit}`;
                return (
                  <tr key={id} data-testid={id}>
                    <td>{nameOf(doc, c.nodeId, lang)}</td>
                    <td className="num" data-testid={`${id}-issued`}>
                      {count(c.issued, lang)}
                    </td>
                    <td className="num" data-testid={`${id}-redeemed`}>
                      {count(c.redeemed, lang)}
                    </td>
                    <td className="num" data-testid={`${id}-expired`}>
                      {count(c.expired, lang)}
                    </td>
                    <td className="num" data-testid={`${id}-open`}>
                      {count(c.open, lang)}
                    </td>
                    <td className="num" data-testid={`${id}-rate`}>
                      {pct(c.redemptionRate, lang)}
                    </td>
                    <td className="num" data-testid={`${id}-median`}>
                      {duration(c.medianMsToRedeem, lang)}
                    </td>
                    <td className="num" data-testid={`${id}-cost`}>
                      {money(c.cost, c.unit)}
                    </td>
                    <td className="num" data-testid={`${id}-per-redeemed`}>
                      {money(c.costPerRedeemed, c.unit)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted">{t("report.coupons.help")}</p>
          <figure className="report__figure" data-testid="coupons-chart">
            <BarChart
              width={CHART_W}
              height={CHART_H}
              data={coupons.map((c) => ({ id: c.nodeId, redeemed: c.redeemed, expired: c.expired, open: c.open }))}
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="id" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              {(["redeemed", "expired", "open"] as const).map((k, i) => (
                <Bar
                  key={k}
                  dataKey={k}
                  stackId="coupons"
                  name={t(`report.coupons.${k}`)}
                  fill={COLORS[[1, 3, 8][i]!]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
            <figcaption className="muted">{t("report.coupons.chart")}</figcaption>
          </figure>
        </>
      )}
    </Section>
  );
}
