/** What a backtest adds to a simulation: the window replayed, whether it was cut short, and each budget's use. */
import { useTranslation } from "react-i18next";
import { formatAmount, type Lang } from "@lifeloop/shared";
import type { BacktestResult } from "../api/client.ts";
import { formatDate } from "../format.ts";

/** Basis points as a percent with two decimals, in integers (10000 bp = "100.00"). */
export function percentOfBp(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, "0")}`;
}

export function BacktestFacts({ result, timeZone, lang }: { result: BacktestResult; timeZone: string; lang: Lang }) {
  const { t } = useTranslation();
  return (
    <div className="backtest__facts" data-testid="backtest-facts">
      <p className="muted" data-testid="backtest-window">
        {t("backtest.window", {
          events: result.replayed,
          from: formatDate(result.window.from, timeZone, lang),
          until: formatDate(result.window.until, timeZone, lang),
        })}
      </p>
      {result.truncated && (
        <p className="error-text" role="status" data-testid="backtest-truncated">
          {t("backtest.truncated", { events: result.replayed })}
        </p>
      )}
      {result.budgets.length > 0 && (
        <>
          <h4>{t("backtest.budgets")}</h4>
          <ul data-testid="backtest-budgets">
            {result.budgets.map((b) => (
              <li key={b.budgetId} data-testid={`backtest-budget-${b.budgetId}`}>
                {t("backtest.budget", {
                  id: b.budgetId,
                  spent: formatAmount(b.spent, b.unit, lang),
                  amount: formatAmount(b.amount, b.unit, lang),
                  percent: percentOfBp(b.shareBp),
                })}
              </li>
            ))}
          </ul>
          <p className="muted">{t("backtest.budgetsNote")}</p>
        </>
      )}
    </div>
  );
}
