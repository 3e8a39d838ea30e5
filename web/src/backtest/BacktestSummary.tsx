/**
 * The publish dialog's backtest: on request, the draft over the engine's recorded events of the last
 * 7 days (POST …/backtest), summed up as entries, conversions and reward cost (yuan in ¥, read from
 * minor units), with each budget's use. Read-only: nothing live changes.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatAmount, type Lang } from "@lifeloop/shared";
import { api, type BacktestResult } from "../api/client.ts";
import { messageOf } from "../panels/common.tsx";
import { BacktestFacts } from "./BacktestFacts.tsx";

const DAYS = 7;

export function BacktestSummary({
  journeyId,
  timeZone,
  lang,
  disabled,
}: {
  journeyId: string;
  timeZone: string;
  lang: Lang;
  /** While the draft is unsaved or does not compile, a backtest would replay something else. */
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<
    { s: "idle" } | { s: "running" } | { s: "done"; result: BacktestResult } | { s: "failed"; message: string }
  >({ s: "idle" });

  async function run() {
    setState({ s: "running" });
    try {
      setState({ s: "done", result: await api.backtest(journeyId, DAYS) });
    } catch (e) {
      setState({ s: "failed", message: messageOf(e) });
    }
  }

  const summary = state.s === "done" ? state.result.summary.find((j) => j.journeyId === journeyId) : undefined;
  return (
    <section className="publish__section" data-testid="publish-backtest">
      <h3>{t("backtest.title")}</h3>
      <p className="muted">{t("backtest.intro")}</p>
      <button
        type="button"
        data-testid="publish-backtest-run"
        disabled={disabled || state.s === "running"}
        onClick={() => void run()}
      >
        {state.s === "running" ? t("backtest.running") : t("backtest.run")}
      </button>
      {state.s === "failed" && (
        <p className="error-text" role="alert" data-testid="publish-backtest-failed">
          {t("backtest.failed")}: {state.message}
        </p>
      )}
      {state.s === "done" && (
        <>
          <dl className="totals">
            <dt>{t("backtest.entered")}</dt>
            <dd data-testid="publish-backtest-entered">{summary?.entered ?? 0}</dd>
            <dt>{t("backtest.converted")}</dt>
            <dd data-testid="publish-backtest-converted">{summary?.converted ?? 0}</dd>
            <dt>{t("backtest.cost")}</dt>
            <dd data-testid="publish-backtest-cost">
              {summary && Object.keys(summary.cost).length > 0
                ? Object.entries(summary.cost).map(([unit, c]) => (
                    <span key={unit} className="chip" data-testid={`publish-backtest-cost-${unit}`}>
                      {formatAmount(c.amount, unit, lang)}
                    </span>
                  ))
                : t("backtest.noCost")}
            </dd>
          </dl>
          <BacktestFacts result={state.result} timeZone={timeZone} lang={lang} />
        </>
      )}
    </section>
  );
}
