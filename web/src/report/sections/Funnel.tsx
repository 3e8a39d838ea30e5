/** The report's Funnel section. */
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, Cell, Tooltip, XAxis, YAxis } from "recharts";
import type { FunnelReport } from "@lifeloop/shared";
import { api } from "../../api/client.ts";
import { messageOf } from "../../panels/common.tsx";
import { count, defaultPath, funnelFromNodes, pct } from "../model.ts";
import { COLORS, CHART_W, nameOf, Section, Empty, type Ctx } from "./parts.tsx";

type FunnelStep = FunnelReport["steps"][number];

export function Funnel({ report, doc, lang }: Ctx) {
  const { t } = useTranslation();
  const initial = useMemo(() => (doc ? defaultPath(doc) : []), [doc]);
  const [path, setPath] = useState<string[]>(initial);
  const [live, setLive] = useState<{ steps: FunnelStep[] | null; loading: boolean; error: string | null }>({
    steps: null,
    loading: false,
    error: null,
  });
  const isLive = report.source === "live";
  const key = path.join(",");

  // key (the path's ids joined) stands for the path, which is a new array every render
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reason above
  useEffect(() => {
    if (!isLive || path.length === 0) return;
    let on = true;
    setLive({ steps: null, loading: true, error: null });
    api.funnel(report.journeyId, path, report.version).then(
      (f) => on && setLive({ steps: f.steps, loading: false, error: null }),
      (e: unknown) => on && setLive({ steps: null, loading: false, error: messageOf(e) }),
    );
    return () => {
      on = false;
    };
    // The path's ids joined stand for the path.
  }, [isLive, key, report]);

  const steps: FunnelStep[] | null = isLive ? live.steps : funnelFromNodes(report, path);
  const candidates = (doc?.nodes ?? []).map((n) => n.id).filter((id) => !path.includes(id));
  const data = (steps ?? []).map((s) => ({ id: s.nodeId, count: s.count }));

  return (
    <Section id="funnel" title={t("report.funnel.title")} report={report}>
      <p className="muted">{t("report.funnel.help")}</p>
      <div className="report__funnel-path" data-testid="funnel-path">
        {path.map((id, i) => (
          <span key={id} className="report__chip">
            {i > 0 && <span className="muted">→ </span>}
            {id}
            <button
              type="button"
              className="link"
              aria-label={t("report.funnel.remove", { node: id })}
              data-testid={`funnel-remove-${id}`}
              onClick={() => setPath(path.filter((p) => p !== id))}
            >
              ✕
            </button>
          </span>
        ))}
        <select
          data-testid="funnel-add"
          value=""
          aria-label={t("report.funnel.add")}
          onChange={(e) => e.target.value && setPath([...path, e.target.value])}
        >
          <option value="">+ {t("report.funnel.add")}</option>
          {candidates.map((id) => (
            <option key={id} value={id}>
              {nameOf(doc, id, lang)}
            </option>
          ))}
        </select>
        <button type="button" data-testid="funnel-reset" onClick={() => setPath(initial)}>
          {t("report.funnel.reset")}
        </button>
        <button type="button" data-testid="funnel-clear" onClick={() => setPath([])}>
          {t("report.funnel.clear")}
        </button>
      </div>
      {!isLive && path.length > 0 && <p className="muted">{t("report.funnel.fromNodes")}</p>}
      {path.length === 0 ? (
        <Empty id="funnel">{t("report.funnel.empty")}</Empty>
      ) : isLive && live.loading ? (
        <p className="muted">{t("report.funnel.loading")}</p>
      ) : isLive && live.error ? (
        <p className="error-text" role="alert" data-testid="funnel-error">
          {t("report.error")}: {live.error}
        </p>
      ) : (
        steps && (
          <div className="report__pair">
            <table className="report__table">
              <thead>
                <tr>
                  <th>{t("report.funnel.step")}</th>
                  <th className="num">{t("report.funnel.count")}</th>
                  <th className="num">{t("report.funnel.fromPrevious")}</th>
                  <th className="num">{t("report.funnel.fromStart")}</th>
                </tr>
              </thead>
              <tbody>
                {steps.map((s, i) => (
                  <tr key={`${s.nodeId}-${i}`} data-testid={`funnel-step-${s.nodeId}`}>
                    <td>
                      {i + 1}. {nameOf(doc, s.nodeId, lang)}
                    </td>
                    <td className="num" data-testid={`funnel-count-${s.nodeId}`}>
                      {count(s.count, lang)}
                    </td>
                    <td className="num">{pct(s.rateFromPrevious, lang)}</td>
                    <td className="num" data-testid={`funnel-rate-${s.nodeId}`}>
                      {pct(s.rateFromStart, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <BarChart
              width={CHART_W}
              height={Math.max(160, data.length * 36)}
              data={data}
              layout="vertical"
              margin={{ left: 20, right: 20 }}
            >
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="id" width={120} />
              <Tooltip />
              <Bar dataKey="count" name={t("report.funnel.count")} isAnimationActive={false}>
                {data.map((d, i) => (
                  <Cell key={d.id} fill={COLORS[0]} fillOpacity={1 - (i / Math.max(1, data.length)) * 0.6} />
                ))}
              </Bar>
            </BarChart>
          </div>
        )
      )}
    </Section>
  );
}
