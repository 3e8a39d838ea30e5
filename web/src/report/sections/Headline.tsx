/** The report's section: The headline tiles: entered, converted, the conversion rate, active, exits. */
import { useTranslation } from "react-i18next";
import { count, pct } from "../model.ts";
import { Tile, useExitLabel, type Ctx } from "./parts.tsx";

export function Headline({ report, lang }: Ctx) {
  const { t } = useTranslation();
  const exitLabel = useExitLabel();
  const x = report.totals;
  const exits = Object.entries(x.exited).sort((a, b) => b[1] - a[1]);
  return (
    <div className="report__tiles" data-testid="report-tiles">
      <Tile id="report-entered" label={t("report.tile.entered")} value={count(x.entered, lang)} />
      <Tile id="report-converted" label={t("report.tile.converted")} value={count(x.converted, lang)} />
      <Tile id="report-rate" label={t("report.tile.rate")} value={pct(x.rate, lang)} />
      <Tile id="report-active" label={t("report.tile.active")} value={count(x.active, lang)} />
      <div className="report__tile report__tile--wide">
        <div className="report__tile-label">{t("report.tile.exits")}</div>
        {exits.length === 0 ? (
          <div className="muted" data-testid="report-exits-none">
            {t("report.tile.noExits")}
          </div>
        ) : (
          <ul className="report__exits">
            {exits.map(([reason, n]) => (
              <li key={reason}>
                <span>{exitLabel(reason)}</span> <b data-testid={`report-exit-${reason}`}>{count(n, lang)}</b>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
