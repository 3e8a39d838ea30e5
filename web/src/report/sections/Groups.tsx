/**
 * The report's section for a breakdown (`by`): per group of a profile attribute's value at entry, the
 * entries, conversion with its 95 % interval, spend, and each experiment arm's rate and lift against its
 * baseline — the same figures as the whole report, group by group. Shown only when a breakdown was asked.
 */
import { useTranslation } from "react-i18next";
import { formatAmount } from "@lifeloop/shared";
import { count, pct, points, unitsOf } from "../model.ts";
import { Section, type Ctx } from "./parts.tsx";

const OTHER = "(other)";

export function Groups({ report, lang }: Ctx) {
  const { t } = useTranslation();
  const b = report.breakdown;
  if (!b) return null;
  const units = [...new Set(b.groups.flatMap((g) => unitsOf(g.spend.total)))];
  const name = (v: string) => (v === OTHER ? t("report.groups.other") : v);
  return (
    <Section id="groups" title={t("report.groups.title", { by: b.by })} csv="groups" report={report}>
      <table className="report__table" data-testid="groups-table">
        <thead>
          <tr>
            <th>{b.by}</th>
            <th className="num">{t("report.groups.entered")}</th>
            <th className="num">{t("report.groups.converted")}</th>
            <th className="num">{t("report.groups.rate")}</th>
            <th className="num">{t("report.groups.ci")}</th>
            {units.map((u) => (
              <th key={u} className="num">
                {t("report.groups.spend")} · {u}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {b.groups.map((g) => (
            <tr key={g.value} data-testid={`group-${g.value}`}>
              <td>{name(g.value)}</td>
              <td className="num">{count(g.totals.entered, lang)}</td>
              <td className="num">{count(g.totals.converted, lang)}</td>
              <td className="num">{pct(g.totals.rate, lang)}</td>
              <td className="num">
                {g.totals.ci95 ? `${pct(g.totals.ci95[0], lang)} – ${pct(g.totals.ci95[1], lang)}` : "—"}
              </td>
              {units.map((u) => (
                <td key={u} className="num">
                  {formatAmount(g.spend.total[u] ?? 0, u, lang)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {b.groups[0]?.experiments.map((x, i) => (
        <div key={x.nodeId}>
          <h3>{t("report.groups.experiment", { key: x.key })}</h3>
          <table className="report__table" data-testid={`groups-experiment-${x.nodeId}`}>
            <thead>
              <tr>
                <th>{b.by}</th>
                <th>{t("report.groups.arm")}</th>
                <th className="num">{t("report.groups.entered")}</th>
                <th className="num">{t("report.groups.rate")}</th>
                <th className="num">{t("report.groups.lift")}</th>
              </tr>
            </thead>
            <tbody>
              {b.groups.flatMap((g) =>
                (g.experiments[i]?.arms ?? []).map((a) => (
                  <tr key={`${g.value}-${a.arm}`} data-testid={`group-arm-${g.value}-${a.arm}`}>
                    <td>{name(g.value)}</td>
                    <td>{a.control ? t("report.groups.control") : a.arm}</td>
                    <td className="num">{count(a.entered, lang)}</td>
                    <td className="num">{pct(a.rate, lang)}</td>
                    <td className="num">
                      {a.lift
                        ? t("report.groups.liftValue", {
                            diff: points(a.lift.absolute, true),
                            low: points(a.lift.ci95[0], true),
                            high: points(a.lift.ci95[1], true),
                          })
                        : "—"}
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      ))}
    </Section>
  );
}
