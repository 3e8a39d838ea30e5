/**
 * What the stage page reads from a StageReport: stage and group names as a person reads them, a KPI's
 * value in its unit (a rate in %, a time in hours or days), the weekly moves as a from × to grid, the
 * series as chart rows. The figures themselves are the API's; nothing here counts people.
 */
import type { Lang } from "@lifeloop/shared";
import type { StageReport } from "../api/client.ts";
import { duration, pct } from "../report/model.ts";

export type StageFigures = StageReport["overall"];
export type StageKpi = StageFigures["kpis"][number];

/** The sample the page simulates: the month with two acquisition channels, in its own window and zone. */
export const SAMPLE_MONTH = {
  sample: "stages-month",
  from: "2026-11-01T00:00:00+08:00",
  to: "2026-12-01T00:00:00+08:00",
  timeZone: "Asia/Shanghai",
} as const;

/** Attributes the breakdown offers: the acquisition channel and the membership tier the stage KPIs read. */
export const BREAKDOWNS = ["acquisition_channel", "tier"] as const;

/** How far back the live report looks. */
export const LIVE_DAYS = 28;

type T = (key: string) => string;
type Exists = (key: string) => boolean;

/** A stage's name: the page's own words for the five lifecycle stages, else the segment's name. */
export function stageLabel(report: Pick<StageReport, "stages">, id: string | null, t: T, exists: Exists): string {
  if (id === null) return t("stages.stage.none");
  if (exists(`stages.stage.${id}`)) return t(`stages.stage.${id}`);
  return report.stages.find((s) => s.id === id)?.name ?? id;
}

/** A group's name: its value as the API names it; the pooled and the missing in words. */
export function groupLabel(value: string, t: T): string {
  if (value === "(other)") return t("stages.group.other");
  if (value === "(none)") return t("stages.group.none");
  return value;
}

/** A KPI's value in its unit: a rate in %, a time in hours or days; "—" with nobody to count. */
export const kpiValue = (k: StageKpi, lang: Lang): string =>
  k.unit === "rate" ? pct(k.value, lang) : duration(k.value, lang);

/** The moves of the whole window as a grid: people by stage at a week's start (row) and end (column). */
export function moveGrid(report: Pick<StageReport, "stages">, figures: Pick<StageFigures, "matrix">) {
  const keys: Array<string | null> = [...report.stages.map((s) => s.id), null];
  const cell = (from: string | null, to: string | null) =>
    figures.matrix.find((m) => m.from === from && m.to === to)?.people ?? 0;
  return { keys, cell };
}

/** The series as chart rows: one per period, the people in each stage by stage id. */
export function seriesRows(figures: Pick<StageFigures, "series">): Array<Record<string, string | number>> {
  return figures.series.map((p) => {
    const row: Record<string, string | number> = { period: p.period };
    for (const c of p.counts) if (c.stage !== null) row[c.stage] = c.people;
    return row;
  });
}
