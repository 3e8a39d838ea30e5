/**
 * A report section as CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they hold a
 * comma, a quote, CR or LF (quotes doubled). Amounts are integers in minor units beside their unit
 * column; rates are fractions with up to 6 decimals; an empty field is "no value" (null).
 */
import type { JourneyReport } from "../schema/report.ts";

/** `groups` and `group_experiments` are a breakdown's (`?by=`): only their header without one. */
export const CSV_SECTIONS = [
  "nodes",
  "experiments",
  "retention",
  "winback",
  "coupons",
  "tiers",
  "spend",
  "groups",
  "group_experiments",
] as const;
export type CsvSection = (typeof CSV_SECTIONS)[number];

type Cell = string | number | boolean | null;

export function csvField(v: Cell): string {
  if (v === null) return "";
  const s = typeof v === "number" ? (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)))) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: Cell[][]): string {
  return `${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

export function reportCsv(report: JourneyReport, section: CsvSection): string {
  const rows: Cell[][] = [];
  switch (section) {
    case "nodes": {
      const handles = [...new Set(Object.values(report.nodes).flatMap((n) => Object.keys(n.left)))].sort();
      rows.push(["node", "reached", "at", ...handles.map((h) => `left_${h}`)]);
      for (const [id, n] of Object.entries(report.nodes))
        rows.push([id, n.reached, n.at, ...handles.map((h) => n.left[h] ?? 0)]);
      break;
    }
    case "experiments":
      rows.push([
        "experiment",
        "node",
        "arm",
        "control",
        "expected_share",
        "entered",
        "converted",
        "rate",
        "lift",
        "lift_relative",
        "ci95_low",
        "ci95_high",
        "p_value",
        "anytime_cs95_low",
        "anytime_cs95_high",
        "anytime_p_value",
        "unit",
        "cost",
        "cost_per_conversion",
        "srm_chi_square",
        "srm_p_value",
        "srm_mismatch",
        "verdict",
        "verdict_arm",
      ]);
      for (const x of report.experiments) {
        for (const a of x.arms) {
          const units = Object.keys(a.cost).length > 0 ? Object.keys(a.cost).sort() : [null];
          for (const unit of units) {
            rows.push([
              x.key,
              x.nodeId,
              a.arm,
              a.control,
              a.expectedShare,
              a.entered,
              a.converted,
              a.rate,
              a.lift?.absolute ?? null,
              a.lift?.relative ?? null,
              a.lift?.ci95[0] ?? null,
              a.lift?.ci95[1] ?? null,
              a.lift?.pValue ?? null,
              a.anytime?.cs95[0] ?? null,
              a.anytime?.cs95[1] ?? null,
              a.anytime?.pValue ?? null,
              unit,
              unit === null ? null : a.cost[unit]!,
              unit === null ? null : (a.costPerConversion[unit] ?? null),
              x.srm.chiSquare,
              x.srm.pValue,
              x.srm.mismatch,
              x.verdict.status,
              x.verdict.arm,
            ]);
          }
        }
      }
      break;
    case "retention":
      rows.push(["cohort", "unit", "size", "day1", "day7", "day30"]);
      for (const c of report.retention.cohorts)
        rows.push([c.cohort, report.retention.unit, c.size, c.day1, c.day7, c.day30]);
      break;
    case "winback":
      rows.push(["node", "granted", "returned", "rate", "window_days"]);
      for (const w of report.winBack) rows.push([w.nodeId, w.granted, w.returned, w.rate, w.windowDays]);
      break;
    case "coupons":
      rows.push([
        "node",
        "unit",
        "issued",
        "redeemed",
        "expired",
        "open",
        "redemption_rate",
        "median_ms_to_redeem",
        "cost",
        "redeemed_value",
        "cost_per_redeemed",
      ]);
      for (const c of report.coupons)
        rows.push([
          c.nodeId,
          c.unit,
          c.issued,
          c.redeemed,
          c.expired,
          c.open,
          c.redemptionRate,
          c.medianMsToRedeem,
          c.cost,
          c.redeemedValue,
          c.costPerRedeemed,
        ]);
      break;
    case "tiers":
      rows.push(["week", "from", "to", "count"]);
      for (const t of report.tiers) for (const m of t.moves) rows.push([t.week, m.from, m.to, m.count]);
      break;
    case "spend":
      rows.push(["scope", "key", "unit", "grants", "amount", "limit", "left"]);
      for (const [unit, amount] of Object.entries(report.spend.total))
        rows.push(["total", "", unit, null, amount, null, null]);
      for (const n of report.spend.byNode) rows.push(["node", n.nodeId, n.unit, n.grants, n.amount, null, null]);
      for (const d of report.spend.byDay) rows.push(["day", d.day, d.unit, d.grants, d.amount, null, null]);
      for (const b of report.spend.budgets) rows.push(["budget", b.budgetId, b.unit, null, b.used, b.limit, b.left]);
      // A paced budget's days: spent that day, and the day's allowance as its limit.
      for (const b of report.spend.budgets)
        for (const d of b.pace?.days ?? [])
          rows.push(["pace", `${b.budgetId}/${d.day}`, b.unit, null, d.spent, d.allowance, d.allowance - d.spent]);
      for (const [reason, n] of Object.entries(report.spend.refusals))
        rows.push(["refusal", reason, "", n, null, null, null]);
      break;
    case "groups": {
      const b = report.breakdown;
      const units = [...new Set((b?.groups ?? []).flatMap((g) => Object.keys(g.spend.total)))].sort();
      rows.push(["by", "group", "entered", "converted", "rate", "ci95_low", "ci95_high", "active", "grants"]);
      rows[0]!.push(...units.map((u) => `spend_${u}`));
      for (const g of b?.groups ?? []) {
        const t = g.totals;
        rows.push([b!.by, g.value, t.entered, t.converted, t.rate, t.ci95?.[0] ?? null, t.ci95?.[1] ?? null, t.active]);
        rows[rows.length - 1]!.push(g.spend.grants, ...units.map((u) => g.spend.total[u] ?? 0));
      }
      break;
    }
    case "group_experiments": {
      const b = report.breakdown;
      rows.push(["by", "group", "experiment", "node", "arm", "control", "entered", "converted", "rate"]);
      rows[0]!.push("lift", "ci95_low", "ci95_high", "p_value", "anytime_low", "anytime_high", "anytime_p_value");
      for (const g of b?.groups ?? [])
        for (const x of g.experiments)
          for (const a of x.arms) {
            rows.push([b!.by, g.value, x.key, x.nodeId, a.arm, a.control, a.entered, a.converted, a.rate]);
            rows[rows.length - 1]!.push(
              a.lift?.absolute ?? null,
              a.lift?.ci95[0] ?? null,
              a.lift?.ci95[1] ?? null,
              a.lift?.pValue ?? null,
              a.anytime?.cs95[0] ?? null,
              a.anytime?.cs95[1] ?? null,
              a.anytime?.pValue ?? null,
            );
          }
      break;
    }
  }
  return toCsv(rows);
}
