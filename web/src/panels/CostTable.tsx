/** The worst case a journey can spend, per unit: per entry and per person. The publish dialog's and an approval's. */
import { formatAmount, type CostReport, type Lang } from "@lifeloop/shared";
import { useTranslation } from "react-i18next";

export function CostTable({ cost, rowTestId, lang }: { cost: CostReport; rowTestId: string; lang: Lang }) {
  const { t } = useTranslation();
  return (
    <table className="counts">
      <thead>
        <tr>
          <th>{t("publish.unit")}</th>
          <th>{t("publish.perEntry")}</th>
          <th>{t("publish.perUser")}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(cost).map(([unit, c]) => (
          <tr key={unit} data-testid={`${rowTestId}-${unit}`}>
            <td>{unit}</td>
            <td>{c.perEntry === null ? t("publish.unbounded") : formatAmount(c.perEntry, unit, lang)}</td>
            <td>{c.perUser === null ? t("publish.unbounded") : formatAmount(c.perUser, unit, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
