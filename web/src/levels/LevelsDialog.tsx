/**
 * The workspace's growth levels as the API serves them (GET /v1/levels, set with LIFELOOP_LEVELS):
 * each level with its xp threshold and benefits, the xp each event earns with its cap per period,
 * and how levels are reviewed. Read only: the definition is a setting of the deployment. Events and
 * properties are named as the workspace's catalog labels them; an amount of money is in major units.
 */
import { formatAmount, propCurrency } from "@lifeloop/shared";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type WorkspaceLevels } from "../api/client.ts";
import { SAMPLES_CATALOG } from "../catalog/known.ts";
import { eventName, propName } from "../i18n/catalogNames.ts";
import { useLang } from "../i18n/useLang.ts";
import { messageOf } from "../panels/common.tsx";
import { Dialog } from "../ui/Dialog.tsx";

type Rule = WorkspaceLevels["rules"][number];

export function LevelsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const lang = useLang();
  /** undefined while loading; null when the workspace defines none. */
  const [levels, setLevels] = useState<WorkspaceLevels | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .levels()
      .then((answer) => setLevels(answer.levels))
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);

  const period = (p: "day" | "week" | "month") => t(`levels.period.${p}`);
  const earns = (r: Rule) => {
    if (r.prop === undefined) return t("levels.each", { xp: r.xp });
    const currency = propCurrency(SAMPLES_CATALOG, r.event, r.prop);
    const per = currency === null ? String(r.per ?? 1) : formatAmount(r.per ?? 1, currency, lang);
    return t("levels.per", { xp: r.xp, per, prop: propName(SAMPLES_CATALOG, r.event, r.prop, lang) });
  };
  const cap = (r: Rule) =>
    r.cap ? t("levels.capOf", { max: r.cap.max, period: period(r.cap.per) }) : t("levels.noCap");

  return (
    <Dialog title={t("levels.title")} testId="levels-dialog" className="publish" onClose={onClose}>
      <p className="muted">{t("levels.intro")}</p>
      {error && (
        <p className="error-text" role="alert" data-testid="levels-error">
          {error}
        </p>
      )}
      {levels === undefined && !error && <p className="muted">{t("app.loading")}</p>}
      {levels === null && (
        <p className="muted" data-testid="levels-none">
          {t("levels.none")}
        </p>
      )}
      {levels && (
        <>
          <section className="publish__section">
            <h3>{t("levels.levels", { count: levels.levels.length })}</h3>
            <table className="counts" data-testid="levels-table">
              <thead>
                <tr>
                  <th>{t("levels.name")}</th>
                  <th>{t("levels.id")}</th>
                  <th>{t("levels.threshold")}</th>
                  <th>{t("levels.benefits")}</th>
                </tr>
              </thead>
              <tbody>
                {levels.levels.map((l) => (
                  <tr key={l.id} data-testid={`level-${l.id}`}>
                    <td>{l.name[lang]}</td>
                    <td>{l.id}</td>
                    <td>{l.threshold}</td>
                    <td>
                      {l.benefits.length === 0
                        ? t("levels.noBenefits")
                        : l.benefits.map((b) => b[lang]).join(lang === "zh-CN" ? "、" : ", ")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="publish__section">
            <h3>{t("levels.rules", { count: levels.rules.length })}</h3>
            <table className="counts" data-testid="levels-rules">
              <thead>
                <tr>
                  <th>{t("levels.event")}</th>
                  <th>{t("levels.earns")}</th>
                  <th>{t("levels.cap")}</th>
                </tr>
              </thead>
              <tbody>
                {levels.rules.map((r) => (
                  <tr key={r.event} data-testid={`levels-rule-${r.event}`}>
                    <td>{eventName(SAMPLES_CATALOG, r.event, lang)}</td>
                    <td>{earns(r)}</td>
                    <td>{cap(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="publish__section">
            <h3>{t("levels.review")}</h3>
            <p data-testid="levels-review">
              {t("levels.reviewText", {
                days: levels.windowDays,
                timeZone: levels.timeZone,
                period: period(levels.review),
              })}
            </p>
          </section>
        </>
      )}
    </Dialog>
  );
}
