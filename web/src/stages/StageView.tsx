/**
 * A stage report as the page shows it: each stage's KPI tiles, people per stage over time (chart and
 * table), the week-over-week moves as a from × to table, and, with a breakdown, every KPI per group.
 */
import { useTranslation } from "react-i18next";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { Lang } from "@lifeloop/shared";
import type { StageReport } from "../api/client.ts";
import { formatDate } from "../format.ts";
import { count } from "../report/model.ts";
import { CHART_H, CHART_W, COLORS, Tile } from "../report/sections/parts.tsx";
import { groupLabel, kpiValue, moveGrid, seriesRows, stageLabel, type StageKpi } from "./model.ts";

type Props = { report: StageReport; lang: Lang };

const testKey = (id: string | null) => id ?? "none";

function useLabels(report: StageReport) {
  const { t, i18n } = useTranslation();
  return {
    t,
    stage: (id: string | null) => stageLabel(report, id, t, (k) => i18n.exists(k)),
    kpiSub: (k: StageKpi, lang: Lang) =>
      k.numerator === null
        ? t("stages.median.of", { d: count(k.denominator, lang) })
        : t("stages.of", { n: count(k.numerator, lang), d: count(k.denominator, lang) }),
  };
}

function Meta({ report, lang }: Props) {
  const { t } = useTranslation();
  const badge = `report__badge report__badge--${report.source}`;
  return (
    <>
      <p className="report__meta" data-testid="stages-meta">
        <span className={badge}>{t(`stages.meta.${report.source}`)}</span>{" "}
        {t("stages.meta.window", {
          from: formatDate(report.from, report.timeZone, lang),
          to: formatDate(report.to, report.timeZone, lang),
          tz: report.timeZone,
        })}
        {" · "}
        <span data-testid="stages-people">
          {t("stages.meta.people", { n: count(report.overall.people, lang), events: count(report.replayed, lang) })}
        </span>
      </p>
      {report.truncated && (
        <p className="report__warning" role="note" data-testid="stages-truncated">
          {t("stages.truncated")}
        </p>
      )}
    </>
  );
}

function Kpis({ report, lang }: Props) {
  const { t, stage, kpiSub } = useLabels(report);
  return (
    <section className="report__section" data-testid="stages-kpis">
      <header className="report__section-head">
        <h2>{t("stages.kpis")}</h2>
      </header>
      <div className="stages__cards">
        {report.stages.map((s) => {
          const kpis = report.overall.kpis.filter((k) => k.stage === s.id);
          return (
            <div className="stages__card" key={s.id} data-testid={`stage-card-${s.id}`}>
              <h3>{stage(s.id)}</h3>
              {kpis.length === 0 ? (
                <p className="muted">{t("stages.kpis.none")}</p>
              ) : (
                <div className="report__tiles report__tiles--small">
                  {kpis.map((k) => (
                    <Tile
                      key={k.id}
                      id={`kpi-${k.id}`}
                      label={t(`stages.kpi.${k.id}`)}
                      value={kpiValue(k, lang)}
                      sub={kpiSub(k, lang)}
                    />
                  ))}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}

function Series({ report, lang }: Props) {
  const { t, stage } = useLabels(report);
  const rows = seriesRows(report.overall);
  const keys = [...report.stages.map((s) => s.id), null];
  return (
    <section className="report__section" data-testid="stages-series">
      <header className="report__section-head">
        <h2>{t("stages.series")}</h2>
      </header>
      <LineChart width={CHART_W} height={CHART_H} data={rows}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="period" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        {report.stages.map((s, i) => (
          <Line
            key={s.id}
            type="linear"
            dataKey={s.id}
            name={stage(s.id)}
            stroke={COLORS[i % COLORS.length]}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
      <details>
        <summary>{t("stages.series.table")}</summary>
        <table className="report__table" data-testid="stages-series-table">
          <thead>
            <tr>
              <th>{t("stages.series.period")}</th>
              {keys.map((k) => (
                <th key={testKey(k)} className="num">
                  {stage(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.overall.series.map((p) => (
              <tr key={p.period}>
                <td>{p.period}</td>
                {keys.map((k) => (
                  <td key={testKey(k)} className="num" data-testid={`series-${p.period}-${testKey(k)}`}>
                    {count(p.counts.find((c) => c.stage === k)?.people ?? 0, lang)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function Matrix({ report, lang }: Props) {
  const { t, stage } = useLabels(report);
  const { keys, cell } = moveGrid(report, report.overall);
  return (
    <section className="report__section" data-testid="stages-matrix">
      <header className="report__section-head">
        <h2>{t("stages.matrix")}</h2>
      </header>
      <p className="muted">{t("stages.matrix.help")}</p>
      {report.overall.weeks.length === 0 ? (
        <p className="report__empty muted" data-testid="stages-matrix-empty">
          {t("stages.matrix.empty")}
        </p>
      ) : (
        <table className="report__table stages__matrix">
          <thead>
            <tr>
              <th scope="col">{t("stages.matrix.from")}</th>
              {keys.map((to) => (
                <th key={testKey(to)} scope="col" className="num">
                  {stage(to)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((from) => (
              <tr key={testKey(from)}>
                <th scope="row">{stage(from)}</th>
                {keys.map((to) => (
                  <td
                    key={testKey(to)}
                    className={from === to ? "num stages__stay" : "num"}
                    data-testid={`move-${testKey(from)}-${testKey(to)}`}
                  >
                    {count(cell(from, to), lang)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Groups({ report, lang, attribute }: Props & { attribute: string }) {
  const { t, kpiSub } = useLabels(report);
  const columns = [
    { key: "overall", label: t("stages.groups.overall"), figures: report.overall },
    ...report.groups.map((g) => ({ key: g.value, label: groupLabel(g.value, t), figures: g.figures })),
  ];
  return (
    <section className="report__section" data-testid="stages-groups">
      <header className="report__section-head">
        <h2>{t("stages.groups", { attribute })}</h2>
      </header>
      <table className="report__table">
        <thead>
          <tr>
            <th scope="col">{t("stages.groups.kpi")}</th>
            {columns.map((c) => (
              <th key={c.key} scope="col" className="num" data-testid={`group-head-${c.key}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t("stages.groups.people")}</th>
            {columns.map((c) => (
              <td key={c.key} className="num" data-testid={`group-${c.key}-people`}>
                {count(c.figures.people, lang)}
              </td>
            ))}
          </tr>
          {report.overall.kpis.map((k) => (
            <tr key={k.id}>
              <th scope="row">{t(`stages.kpi.${k.id}`)}</th>
              {columns.map((c) => {
                const x = c.figures.kpis.find((y) => y.id === k.id);
                return (
                  <td key={c.key} className="num" data-testid={`group-${c.key}-${k.id}`}>
                    {x ? kpiValue(x, lang) : "—"}
                    {x && <div className="muted stages__sub">{kpiSub(x, lang)}</div>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function StageView({ report, lang, attributeLabel }: Props & { attributeLabel: string | null }) {
  return (
    <div className="report__body" data-testid="stages-report">
      <Meta report={report} lang={lang} />
      <Kpis report={report} lang={lang} />
      {report.by !== null && <Groups report={report} lang={lang} attribute={attributeLabel ?? report.by} />}
      <Series report={report} lang={lang} />
      <Matrix report={report} lang={lang} />
    </div>
  );
}
