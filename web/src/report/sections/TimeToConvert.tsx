/** The report's section: Time to convert, in buckets. */
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { count, duration } from "../model.ts";
import { COLORS, CHART_W, CHART_H, Section, Empty, Tile, type Ctx } from "./parts.tsx";

export function TimeToConvert({ report, lang }: Ctx) {
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
