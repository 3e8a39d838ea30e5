/**
 * The report's section: incrementality against the workspace holdout — this journey's exposed and
 * held-out people, the lift with its 95 % intervals and the reward cost per incremental conversion,
 * and all journeys pooled. Live only: the holdout is the API's (LIFELOOP_HOLDOUT), read from the engine.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatAmount, type IncrementalityFigures, type IncrementalityReport, type Lang } from "@lifeloop/shared";
import { api } from "../../api/client.ts";
import { messageOf } from "../../panels/common.tsx";
import { count, pct, points } from "../model.ts";
import { Empty } from "./parts.tsx";

/** "+14.6 pt [6.8, 20.3]" / "+14.6 个百分点 [6.8, 20.3]". */
function liftText(f: IncrementalityFigures, pt: string): string {
  const l = f.absoluteLift;
  return l ? `${points(l.value, true)}${pt} [${points(l.low)}, ${points(l.high)}]` : "—";
}

function relativeText(f: IncrementalityFigures, lang: Lang): string {
  const r = f.relativeLift;
  if (!r) return "—";
  const sign = r.value > 0 ? "+" : "";
  return `${sign}${pct(r.value, lang, 0)} [${pct(r.low, lang, 0)}, ${pct(r.high, lang, 0)}]`;
}

function Row({ id, label, f, lang }: { id: string; label: string; f: IncrementalityFigures; lang: Lang }) {
  const { t } = useTranslation();
  return (
    <tr data-testid={`incrementality-${id}`}>
      <th scope="row">{label}</th>
      <td className="num">
        {count(f.exposed.converted, lang)} / {count(f.exposed.people, lang)} · {pct(f.exposed.rate, lang)}
      </td>
      <td className="num">
        {count(f.heldOut.converted, lang)} / {count(f.heldOut.people, lang)} · {pct(f.heldOut.rate, lang)}
      </td>
      <td className="num" data-testid={`incrementality-${id}-lift`}>
        {liftText(f, t("report.exp.pt"))}
      </td>
      <td className="num">{relativeText(f, lang)}</td>
      <td className="num">{f.incrementalConversions === null ? "—" : f.incrementalConversions.toFixed(1)}</td>
      <td className="num" data-testid={`incrementality-${id}-cost`}>
        {f.cost.length === 0
          ? "—"
          : f.cost
              .map((c) =>
                c.perIncrementalConversion === null ? "—" : formatAmount(c.perIncrementalConversion, c.unit, lang),
              )
              .join(" · ")}
      </td>
    </tr>
  );
}

/** The figures, drawn (no fetching: the page hands them over). */
export function IncrementalityView({
  data,
  journeyId,
  lang,
}: {
  data: IncrementalityReport;
  journeyId: string;
  lang: Lang;
}) {
  const { t } = useTranslation();
  const mine = data.journeys.find((j) => j.journeyId === journeyId);
  if (data.holdout === null) return <Empty id="incrementality">{t("report.inc.noHoldout")}</Empty>;
  return (
    <>
      <p className="muted" data-testid="incrementality-holdout">
        {t("report.inc.holdout", {
          share: pct(data.holdout.shareBp / 10_000, lang, data.holdout.shareBp % 100 === 0 ? 0 : 2),
          salt: data.holdout.salt,
        })}
      </p>
      {!mine && <Empty id="incrementality-journey">{t("report.inc.notCovered")}</Empty>}
      <table className="report__table">
        <thead>
          <tr>
            <th />
            <th className="num">{t("report.inc.exposed")}</th>
            <th className="num">{t("report.inc.heldOut")}</th>
            <th className="num">{t("report.inc.lift")}</th>
            <th className="num">{t("report.inc.relative")}</th>
            <th className="num">{t("report.inc.incremental")}</th>
            <th className="num">{t("report.inc.costPer")}</th>
          </tr>
        </thead>
        <tbody>
          {mine && <Row id="journey" label={t("report.inc.thisJourney")} f={mine} lang={lang} />}
          <Row id="overall" label={t("report.inc.overall", { n: data.journeys.length })} f={data.overall} lang={lang} />
        </tbody>
      </table>
      <p className="muted report__method">{lang === "en" ? data.method : t("report.inc.method")}</p>
    </>
  );
}

/** The live section: asks the API for the report once the journey's live report is shown. */
export function Incrementality({ journeyId, lang }: { journeyId: string; lang: Lang }) {
  const { t } = useTranslation();
  const [data, setData] = useState<IncrementalityReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api.incrementality().then(
      (r) => current && setData(r),
      (e: unknown) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, []);
  return (
    <section className="report__section" data-testid="section-incrementality">
      <header className="report__section-head">
        <h2>{t("report.inc.title")}</h2>
      </header>
      {error ? (
        <p className="error-text" role="alert" data-testid="incrementality-error">
          {error}
        </p>
      ) : data ? (
        <IncrementalityView data={data} journeyId={journeyId} lang={lang} />
      ) : (
        <p className="muted">{t("report.running")}</p>
      )}
    </section>
  );
}
