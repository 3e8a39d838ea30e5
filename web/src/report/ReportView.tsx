/**
 * One journey report, drawn: headline tiles, people at each node, a funnel along a path, time to
 * convert, experiments with their verdict in words, retention cohorts, win-back, coupons, tier movement
 * and incentive spend (paced budgets against their pace line), and the breakdown by a profile attribute
 * when one was asked. Charts are recharts; every figure a chart shows is also in a table beside it.
 */
import { Headline } from "./sections/Headline.tsx";
import { Nodes } from "./sections/Nodes.tsx";
import { Funnel } from "./sections/Funnel.tsx";
import { TimeToConvert } from "./sections/TimeToConvert.tsx";
import { Experiments } from "./sections/Experiments.tsx";
import { Retention } from "./sections/Retention.tsx";
import { WinBack } from "./sections/WinBack.tsx";
import { Coupons } from "./sections/Coupons.tsx";
import { Tiers } from "./sections/Tiers.tsx";
import { Spend } from "./sections/Spend.tsx";
import { Groups } from "./sections/Groups.tsx";
import type { Ctx } from "./sections/parts.tsx";

export function ReportView({ report, doc, lang }: Ctx) {
  const ctx = { report, doc, lang };
  return (
    <div className="report__body" data-testid="report-view" data-source={report.source}>
      <Headline {...ctx} />
      <Groups {...ctx} />
      <Experiments {...ctx} />
      <Nodes {...ctx} />
      <Funnel {...ctx} />
      <TimeToConvert {...ctx} />
      <Retention {...ctx} />
      <WinBack {...ctx} />
      <Coupons {...ctx} />
      <Tiers {...ctx} />
      <Spend {...ctx} />
    </div>
  );
}
