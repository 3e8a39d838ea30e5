/**
 * The pure half of the report projector: a fold from what the engine recorded (the timeline's
 * effect records, in order per person) to fact operations. No I/O and no clock: the same records
 * and the same carried run states give the same operations, which is what lets the projector
 * (project.ts) resume from a cursor after a crash and what makes a simulation's report equal a
 * live one.
 *
 * The timeline keeps no `move` records (the durable runtime leaves them out to keep it small), so
 * arrivals and exits by handle are read from the records each node leaves: a record at another
 * node than the run's last one is an arrival there, and the run left its previous node by the
 * handle that node's last record names (`decide` and `resume` carry it; a `refuse` leaves by
 * `exhausted`; everything else by `next`). A pause record (`wait`, `hold`) always starts a visit.
 */
import { zoneOffsetMs, type JourneyId, type NodeId } from "@lifeloop/shared";

/**
 * A timeline record as the engine stores it (effectRecord output, or a trace note). Its ids are the
 * engine's own, written from branded values, so decoding a row types them as such; a trace note's
 * journeyId may be "" (a late event), and the fold skips trace notes.
 */
export interface TimelineRecord {
  at: string;
  userId: string;
  journeyId: JourneyId;
  version?: number;
  nodeId: NodeId | null;
  kind: string;
  [field: string]: unknown;
}

/** Where one person's latest entry into one journey stands: the fold's state between batches. */
export interface RunCarry {
  journeyId: JourneyId;
  userId: string;
  entry: number;
  version: number;
  nodeId: NodeId;
  handle: string;
  visits: number;
  exitReason: string | null;
  exitedAt: number | null;
}

export type FactOp =
  | {
      op: "entry";
      journeyId: JourneyId;
      userId: string;
      entry: number;
      version: number;
      at: number;
      day: number;
      timeZone: string;
      /** The person's profile attributes at entry (the record's snapshot), for breakdowns. */
      attributes: Record<string, string>;
    }
  | {
      op: "visit";
      journeyId: JourneyId;
      userId: string;
      entry: number;
      nodeId: NodeId;
      version: number;
      ord: number;
      at: number;
      day: number;
    }
  | { op: "left"; journeyId: JourneyId; version: number; nodeId: NodeId; handle: string; day: number }
  | { op: "convert"; journeyId: JourneyId; userId: string; entry: number; at: number }
  | { op: "arm"; journeyId: JourneyId; nodeId: NodeId; userId: string; entry: number; version: number; arm: string }
  | {
      op: "grant";
      journeyId: JourneyId;
      version: number;
      nodeId: NodeId;
      userId: string;
      entry: number;
      at: number;
      day: number;
      type: string;
      unit: string;
      amount: number;
      budgetId: string | null;
    }
  | { op: "refuse"; journeyId: JourneyId; version: number; nodeId: NodeId; day: number; reason: string }
  /** A coupon granted at `nodeId` at `issuedAt` (its fact_grants row) was redeemed, or lapsed, at `at`. */
  | {
      op: "couponClose";
      journeyId: JourneyId;
      userId: string;
      entry: number;
      nodeId: NodeId;
      issuedAt: number;
      at: number;
      redeemed: boolean;
    }
  | { op: "segmentMove"; journeyId: JourneyId; week: number; from: string | null; to: string | null }
  /** The workspace holdout kept the person out (first time counts); `converted`: a goal event inside their window. */
  | { op: "heldOut"; journeyId: JourneyId; userId: string; at: number; converted: boolean };

const DAY = 86_400_000;
const PAUSES = new Set(["wait", "hold"]);
/** Records that say nothing about where a run is. */
const NOT_AT_A_NODE = new Set(["trace", "segment", "convert", "holdout_convert", "migrate", "enter"]);

const offsets = new Map<string, number>();
/** Local day number (whole days since 1970-01-01 in `tz`) of an instant. Offsets are cached per hour. */
export function localDay(epochMs: number, tz: string): number {
  const key = `${tz}|${Math.floor(epochMs / 3_600_000)}`;
  let off = offsets.get(key);
  if (off === undefined) {
    off = zoneOffsetMs(epochMs, tz);
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, off);
  }
  return Math.floor((epochMs + off) / DAY);
}

/** The Monday of a local day number's ISO week (day 0, 1970-01-01, was a Thursday). */
export const mondayOf = (day: number): number => day - ((day + 3) % 7);

/** "YYYY-MM-DD" of a local day number. */
export const dayText = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

export interface FoldContext {
  /** The journey's time zone (days and weeks are local to it). */
  zoneOf(journeyId: JourneyId): string;
  /** The person's latest entry into the journey as the facts hold it, or null. */
  carry(journeyId: JourneyId, userId: string): RunCarry | null;
}

export interface FoldResult {
  ops: FactOp[];
  /** Every run state the batch touched, as it stands after it. */
  carries: RunCarry[];
}

/**
 * Folds a batch of timeline rows (each row one step of one person: an array of records) into
 * fact operations. Rows must come in the order the engine wrote them.
 */
export function foldTimeline(rows: Iterable<TimelineRecord[]>, ctx: FoldContext): FoldResult {
  const ops: FactOp[] = [];
  const touched = new Map<string, RunCarry | null>();
  // Runs replaced by a new entry within the batch: their final state is saved too.
  const replaced: RunCarry[] = [];
  const carryOf = (journeyId: JourneyId, userId: string): RunCarry | null => {
    const key = `${journeyId}\u0000${userId}`;
    if (!touched.has(key)) {
      const c = ctx.carry(journeyId, userId);
      touched.set(key, c ? { ...c } : null);
    }
    return touched.get(key)!;
  };

  for (const row of rows) {
    // Segment changes of one step, per journey: a leave and an enter together are one move.
    const segmentChanges = new Map<string, { journeyId: JourneyId; at: number; leave: string[]; enter: string[] }>();
    for (const r of row) {
      // A test person's (the editor's test event): their path shows in their timeline, never in a report.
      if (r.test === true) continue;
      // Held out (core/gates/holdout.ts): counted for incrementality, outside any run.
      if ((r.kind === "trace" && r.note === "not_entered" && r.reason === "holdout") || r.kind === "holdout_convert") {
        const converted = r.kind === "holdout_convert";
        ops.push({ op: "heldOut", journeyId: r.journeyId, userId: r.userId, at: Date.parse(r.at), converted });
        continue;
      }
      // Notes, and steps that were abandoned (step_failed: the person stayed as they were): nothing to count.
      if (r.kind === "trace" || r.kind === "step_failed") continue;
      const at = Date.parse(r.at);
      const journeyId = r.journeyId;
      const userId = r.userId;
      const tz = ctx.zoneOf(journeyId);
      const day = localDay(at, tz);
      if (r.kind === "segment") {
        const key = `${journeyId}\u0000${r.at}`;
        const s = segmentChanges.get(key) ?? { journeyId, at, leave: [], enter: [] };
        (r.change === "enter" ? s.enter : s.leave).push(String(r.segment));
        segmentChanges.set(key, s);
        continue;
      }
      // A coupon closes at the node that granted it, long after its run may have ended: no arrival there.
      if (r.kind === "coupon_redeem" || r.kind === "coupon_expire") {
        ops.push({
          op: "couponClose",
          journeyId,
          userId,
          entry: Number(r.entry),
          nodeId: r.nodeId!,
          issuedAt: Date.parse(String(r.issuedAt)),
          at,
          redeemed: r.kind === "coupon_redeem",
        });
        continue;
      }
      if (r.kind === "convert") {
        ops.push({ op: "convert", journeyId, userId, entry: Number(r.entry), at });
        continue;
      }
      if (r.kind === "enter") {
        const c: RunCarry = {
          journeyId,
          userId,
          entry: Number(r.entry),
          version: Number(r.version),
          nodeId: r.nodeId!,
          handle: "next",
          visits: 1,
          exitReason: null,
          exitedAt: null,
        };
        const previous = carryOf(journeyId, userId);
        if (previous && previous.entry !== c.entry) replaced.push(previous);
        touched.set(`${journeyId}\u0000${userId}`, c);
        ops.push({
          op: "entry",
          journeyId,
          userId,
          entry: c.entry,
          version: c.version,
          at,
          day,
          timeZone: tz,
          attributes: attributesOf(r.attributes),
        });
        ops.push({
          op: "visit",
          journeyId,
          userId,
          entry: c.entry,
          nodeId: c.nodeId,
          version: c.version,
          ord: 1,
          at,
          day,
        });
        continue;
      }
      const c = carryOf(journeyId, userId);
      // A record about a run whose entry the facts never saw (the timeline was trimmed before the
      // projector first ran) or that has ended: nothing to attribute it to.
      if (!c || c.exitReason !== null) continue;
      if (r.kind === "migrate") {
        c.version = Number(r.version);
        continue;
      }
      if (NOT_AT_A_NODE.has(r.kind) || r.nodeId === null) continue;
      if (r.nodeId !== c.nodeId || PAUSES.has(r.kind)) {
        ops.push({ op: "left", journeyId, version: c.version, nodeId: c.nodeId, handle: c.handle, day });
        c.visits++;
        c.nodeId = r.nodeId;
        c.handle = "next";
        ops.push({
          op: "visit",
          journeyId,
          userId,
          entry: c.entry,
          nodeId: c.nodeId,
          version: c.version,
          ord: c.visits,
          at,
          day,
        });
      }
      switch (r.kind) {
        case "decide": {
          c.handle = String(r.handle);
          const inputs = r.inputs as Record<string, unknown> | undefined;
          if (inputs && typeof inputs.experiment === "string")
            ops.push({
              op: "arm",
              journeyId,
              nodeId: c.nodeId,
              userId,
              entry: c.entry,
              version: c.version,
              arm: c.handle,
            });
          break;
        }
        case "resume":
          c.handle = String(r.handle);
          break;
        case "refuse":
          c.handle = "exhausted";
          ops.push({ op: "refuse", journeyId, version: c.version, nodeId: c.nodeId, day, reason: String(r.reason) });
          break;
        case "reward": {
          const reward = r.reward as { type: string; amount: number | null; unit: string };
          ops.push({
            op: "grant",
            journeyId,
            version: c.version,
            nodeId: c.nodeId,
            userId,
            entry: c.entry,
            at,
            day,
            type: reward.type,
            unit: reward.unit,
            amount: reward.amount ?? (reward.type === "coupon" ? 1 : 0),
            budgetId: (r.budget as string | null) ?? null,
          });
          break;
        }
        case "exit":
          // end_of_path: the run followed a handle that leads nowhere; any other exit takes no handle.
          if (r.reason === "end_of_path")
            ops.push({ op: "left", journeyId, version: c.version, nodeId: c.nodeId, handle: c.handle, day });
          c.exitReason = String(r.reason);
          c.exitedAt = at;
          break;
      }
    }
    for (const s of segmentChanges.values()) {
      const journeyId = s.journeyId;
      const week = mondayOf(localDay(s.at, ctx.zoneOf(journeyId)));
      const n = Math.max(s.leave.length, s.enter.length);
      for (let i = 0; i < n; i++)
        ops.push({ op: "segmentMove", journeyId, week, from: s.leave[i] ?? null, to: s.enter[i] ?? null });
    }
  }
  return { ops, carries: [...replaced, ...[...touched.values()].filter((c): c is RunCarry => c !== null)] };
}

/** The enter record's attribute snapshot: text values by name (anything else in it is not one). */
function attributesOf(v: unknown): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(v)) if (typeof value === "string") out[name] = value;
  return out;
}

/** An event as the activity pass reads it from the event log. */
export interface ActivityEvent {
  userId: string;
  type: string;
  at: number;
}

/** Whether an event says the person was active: anything they did except an `identify` (profile data). */
export const isActivity = (e: ActivityEvent): boolean => e.type !== "identify";
