/**
 * Catching the report projector up on the event loop that also answers requests (the sidecar on
 * SQLite without a projector thread): in slices of a few batches, never the whole backlog at once.
 *
 * A report is answered after the projector has folded everything committed. Folded in one go, that
 * was one synchronous stretch of ~110 µs a timeline row: behind by 25,000 rows (a burst of ingest, a
 * first start on an old file), a report held every other request for ~3 s; so did the hourly fold
 * before the timeline is trimmed. Between batches here, requests are answered and the applier runs.
 */
import { yieldToRequests } from "../runtime/turns.ts";
import type { ProjectResult, ReportProjector } from "./project.ts";

/** How long a catch-up folds before it gives the loop a turn: a report's wait against everyone else's. */
const SLICE_MS = 20;

/**
 * Folds what was committed when called, `rows` rows a batch, giving the loop a turn once batches
 * have run `sliceMs` in a row. Yielding after every batch made a report under load wait a turn
 * behind every queued request per batch (43-288 ms against 12-114 ms folded in one go, with no
 * gain in ack p99 while the backlog is a few hundred rows); 20 ms slices keep both.
 * It ends where it began: what is committed meanwhile is the background pass's (a report under
 * steady ingest would otherwise chase the log and never be answered).
 */
export async function catchUpYielding(
  projector: ReportProjector,
  o: { rows: number; sliceMs?: number },
): Promise<ProjectResult> {
  const until = projector.heads();
  const sliceMs = o.sliceMs ?? SLICE_MS;
  const total: ProjectResult = { timelineRows: 0, events: 0, batches: 0 };
  let sliceStart = performance.now();
  for (;;) {
    const r = projector.catchUp({ maxBatches: 1, rows: o.rows, until });
    total.timelineRows += r.timelineRows;
    total.events += r.events;
    total.batches += r.batches;
    if (!r.more || r.batches === 0) return total;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToRequests();
      sliceStart = performance.now();
    }
  }
}

/**
 * Rows a background batch on the loop folds: `small` while the projector is nearly caught up,
 * `large` once a backlog has lasted `afterBatches` batches in a row (each leaving more to fold),
 * back to `small` at the first batch that reaches the end.
 */
export class BacklogRows {
  private behind = 0;

  constructor(private readonly o: { small: number; large: number; afterBatches: number }) {}

  get rows(): number {
    return this.behind < this.o.afterBatches ? this.o.small : this.o.large;
  }

  /** After each batch: whether it left more to fold. */
  saw(more: boolean): void {
    this.behind = more ? this.behind + 1 : 0;
  }
}
