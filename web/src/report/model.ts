/**
 * The report page's logic without React: the default funnel path, the experiment verdict in words,
 * CSV addresses, the canvas overlay, and number formats. Reads only the shared report schema and the
 * journey document.
 */
import { hasInput, kindOf, type CsvSection, type JourneyReport, type Lang } from "@lifeloop/shared";
import type { Doc } from "../store/editor.ts";
import type { Overlay } from "../store/overlay.ts";

export type Report = JourneyReport;
export type Experiment = Report["experiments"][number];

const enc = encodeURIComponent;

/** GET …/report.csv?section=…[&version=N][&cohort=week]: what each section's CSV link points at. */
export function csvUrl(
  journeyId: string,
  section: CsvSection,
  version: number | null,
  cohort: "day" | "week" = "day",
  by: string | null = null,
): string {
  const q = new URLSearchParams({ section });
  if (version !== null) q.set("version", String(version));
  if (cohort !== "day") q.set("cohort", cohort);
  if (by) q.set("by", by);
  return `/v1/journeys/${enc(journeyId)}/report.csv?${q}`;
}

/**
 * The main path from the journey's trigger: at each node the first branch the registry lists that
 * is connected, until a node of an "end" kind (a goal), a node with no way on, or a node seen before.
 */
export function defaultPath(doc: Pick<Doc, "nodes" | "edges">): string[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const start = doc.nodes.find((n) => kindOf(n.kind) && !hasInput(n.kind));
  if (!start) return [];
  const path: string[] = [];
  const seen = new Set<string>();
  let node: (typeof doc.nodes)[number] | undefined = start;
  while (node && !seen.has(node.id)) {
    path.push(node.id);
    seen.add(node.id);
    const def = kindOf(node.kind);
    if (def?.meta.category === "end") break;
    const out = doc.edges.filter((e) => e.source === node!.id);
    if (out.length === 0) break;
    // Params that do not parse (a draft being edited) leave the edges in their own order.
    const params = def?.params.safeParse(node.params);
    const handles: string[] = def && params?.success ? def.handles(params.data).map((h) => h.id) : [];
    const rank = (h: string | null | undefined) => {
      const i = handles.indexOf(h ?? "");
      return i < 0 ? handles.length : i;
    };
    const next = [...out].sort((a, b) => rank(a.sourceHandle) - rank(b.sourceHandle))[0]!;
    node = byId.get(next.target);
  }
  return path;
}

/** 0.1234 → "12.3 %"; null → "—". */
export function pct(rate: number | null | undefined, lang: Lang, digits = 1): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return "—";
  const n = new Intl.NumberFormat(lang === "zh-CN" ? "zh-CN" : "en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(rate * 100);
  return `${n}%`;
}

/** A difference of rates in percentage points: 0.041 → "4.1"; signed when asked. */
export function points(diff: number, signed = false): string {
  const v = Math.round(diff * 1000) / 10;
  const s = (Object.is(v, -0) ? 0 : v).toFixed(1);
  return signed && v > 0 ? `+${s}` : s;
}

/** "p = 0.006", "p < 0.001": a p-value in a sentence. */
export const pExpr = (p: number): string => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

/** A p-value as people read it: "0.006", "< 0.001". */
export function pValue(p: number): string {
  if (p < 0.001) return "< 0.001";
  return p.toFixed(3);
}

export const count = (n: number, lang: Lang): string =>
  new Intl.NumberFormat(lang === "zh-CN" ? "zh-CN" : "en-US").format(n);

/** 5_400_000 → "1.5 h" / "1.5 小时"; 3 days → "3.0 d" / "3.0 天". */
export function duration(ms: number | null, lang: Lang): string {
  if (ms === null) return "—";
  const units: Array<[number, string, string]> = [
    [86_400_000, "d", "天"],
    [3_600_000, "h", "小时"],
    [60_000, "min", "分钟"],
    [1000, "s", "秒"],
  ];
  for (const [size, en, zh] of units) {
    if (ms >= size) return `${(ms / size).toFixed(1)} ${lang === "zh-CN" ? zh : en}`;
  }
  return `${Math.round(ms)} ms`;
}

/** The arm's label as the experiment node names it, else its id; the control is "holdout". */
export function armLabel(doc: Pick<Doc, "nodes"> | null, nodeId: string, arm: string): string {
  const node = doc?.nodes.find((n) => n.id === nodeId);
  const arms = (node?.params as { arms?: Array<{ id: string; label?: string }> } | undefined)?.arms;
  return arms?.find((a) => a.id === arm)?.label ?? arm;
}

export interface VerdictWords {
  /** i18n key under report.verdict.* */
  key: string;
  values: Record<string, string | number>;
}

/**
 * Which sentence says the verdict and with what numbers. The arm the verdict is about is the
 * engine's; without one, the non-control arm with the largest lift.
 */
export function verdictWords(x: Experiment, label: (arm: string) => string): VerdictWords {
  const v = x.verdict;
  const control = x.arms.find((a) => a.control);
  const treated = x.arms.filter((a) => !a.control);
  if (v.status === "not_enough_data") {
    const smallest = treated.length > 0 || control ? Math.min(...x.arms.map((a) => a.entered)) : 0;
    return { key: "report.verdict.not_enough_data", values: { n: v.minPerArm, smallest } };
  }
  if (v.status === "srm") {
    return { key: "report.verdict.srm", values: { chi: x.srm.chiSquare.toFixed(2), p: pExpr(x.srm.pValue) } };
  }
  const withLift = treated.filter((a) => a.lift);
  const arm =
    x.arms.find((a) => a.arm === v.arm) ??
    [...withLift].sort((a, b) => b.lift!.absolute - a.lift!.absolute)[0] ??
    treated[0];
  const lift = arm?.lift;
  const values: Record<string, string | number> = {
    arm: arm ? label(arm.arm) : "—",
    control: control ? label(control.arm) : "—",
  };
  if (lift) {
    values.diff = points(Math.abs(lift.absolute));
    values.lo = points(lift.ci95[0]);
    values.hi = points(lift.ci95[1]);
    values.p = pExpr(lift.pValue);
  }
  const key = lift ? `report.verdict.${v.status}` : `report.verdict.${v.status}.bare`;
  return { key, values };
}

/** Reached per node on the canvas badge, people waiting there (if any) as its detail. */
export function overlayFromReport(report: Report, here: (n: number) => string): Overlay {
  const nodes: Overlay["nodes"] = {};
  for (const [id, n] of Object.entries(report.nodes))
    nodes[id] = { count: n.reached, ...(n.at > 0 ? { detail: here(n.at) } : {}) };
  return { source: report.source, nodes, edges: {} };
}

/** The funnel along a path from the report's own per-node counts (for simulations, which have no funnel route). */
export function funnelFromNodes(
  report: Report,
  path: readonly string[],
): Array<{ nodeId: string; count: number; rateFromPrevious: number | null; rateFromStart: number | null }> {
  const counts = path.map((id) => report.nodes[id]?.reached ?? 0);
  return path.map((nodeId, i) => ({
    nodeId,
    count: counts[i]!,
    rateFromPrevious: i === 0 ? null : counts[i - 1]! > 0 ? counts[i]! / counts[i - 1]! : null,
    rateFromStart: counts[0]! > 0 ? counts[i]! / counts[0]! : null,
  }));
}

/** "tier_a → tier_b" for a tier move; nobody's tier is "—". */
export const moveKey = (m: { from: string | null; to: string | null }): string => `${m.from ?? "—"} → ${m.to ?? "—"}`;

/** Units an amount is in, currencies first then points, coupons and the rest. */
export function unitsOf(amounts: Record<string, number>): string[] {
  const rank = (u: string) => (/^[A-Z]{3}$/.test(u) ? 0 : u === "points" ? 1 : u === "coupons" ? 2 : 3);
  return Object.keys(amounts).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
