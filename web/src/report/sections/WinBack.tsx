/** The report's section: Win-back: who came back within the window after a coupon. */
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { count, pct } from "../model.ts";
import { COLORS, CHART_W, CHART_H, nameOf, Section, Empty, type Ctx } from "./parts.tsx";

export function WinBack({ report, doc, lang }: Ctx) {
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
