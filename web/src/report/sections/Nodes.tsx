/** The report's Nodes section. */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { branchName } from "../../panels/common.tsx";
import { count } from "../model.ts";
import { COLORS, CHART_W, CHART_H, nameOf, Section, Empty, type Ctx } from "./parts.tsx";

export function Nodes({ report, doc, lang }: Ctx) {
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
