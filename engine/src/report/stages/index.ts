/**
 * The lifecycle stage report: a stream (a sample, an upload, or the engine's own log) replayed through
 * the stage watcher up to `to`, then the figures of everyone and of each group of the breakdown.
 * Bounded: a window of at most 92 days, the stream bounded by whoever read it (as an upload is).
 */
import { parseInstant, type EventEnvelope, type StageReport, type StageSpec } from "@lifeloop/shared";
import { groupsOf } from "./breakdown.ts";
import { stageFigures, type Window } from "./figures.ts";
import { stageHistories } from "./history.ts";

export { StageDefinitionError } from "./watcher.ts";

const MAX_STAGE_WINDOW_MS = 92 * 86_400_000;

export class StageWindowError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The window of a spec in epoch ms, or a StageWindowError naming the field. */
export function stageWindow(spec: Pick<StageSpec, "from" | "to">): { from: number; to: number } {
  const from = parseInstant(spec.from);
  const to = parseInstant(spec.to);
  if (from === null) throw new StageWindowError("from: an ISO-8601 instant with offset", "$.from");
  if (to === null) throw new StageWindowError("to: an ISO-8601 instant with offset", "$.to");
  if (to <= from) throw new StageWindowError("to must be after from", "$.to");
  if (to - from > MAX_STAGE_WINDOW_MS) throw new StageWindowError("a stage report covers at most 92 days", "$.to");
  return { from, to };
}

export interface StageReportMeta {
  source: "live" | "simulation";
  generatedAt: number;
  /** The reader stopped at its bounds before the stream's end. */
  truncated?: boolean;
}

export function stageReport(spec: StageSpec, events: EventEnvelope[], meta: StageReportMeta): StageReport {
  const { from, to } = stageWindow(spec);
  const replayed = events.filter((e) => parseInstant(e.at)! <= to);
  const people = stageHistories(spec.stages, spec.timeZone, spec.kpi, replayed, to);
  const w: Window = {
    from,
    to,
    timeZone: spec.timeZone,
    interval: spec.interval,
    stages: spec.stages.map((s) => String(s.id)),
    churn: String(spec.churn),
    vip: { attribute: spec.kpi.vipAttribute, value: spec.kpi.vipValue },
  };
  const by = spec.by ?? null;
  const known = people.filter((p) => p.firstAt <= to);
  return {
    source: meta.source,
    generatedAt: new Date(meta.generatedAt).toISOString(),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    timeZone: spec.timeZone,
    interval: spec.interval,
    stages: spec.stages.map((s) => ({ id: String(s.id), name: s.name })),
    replayed: replayed.length,
    truncated: meta.truncated ?? false,
    overall: stageFigures(known, w),
    by,
    groups:
      by === null
        ? []
        : groupsOf(known, (p) => p.profile[by], spec.groups).map((g) => ({
            value: g.value,
            figures: stageFigures(g.people, w),
          })),
  };
}
