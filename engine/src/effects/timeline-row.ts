/**
 * How a timeline row's records are kept on disk. A row is one step of one person, and its records
 * (effectRecord / traceRecord output) all start `at, userId, journeyId, version…`: the same person
 * on every record, the row's own time on nearly all, the same journey on most. Written whole that
 * was ~520 bytes a grant, the largest thing the applier writes and keeps for 90 days; the applier's
 * commit time follows the bytes it writes. So a record drops what the row already says:
 *
 * - `userId` always (it is the row's `user_id`); no `userId` and a `"~"` mark a record as encoded;
 * - `at` when it is the row's `at`;
 * - `journeyId` (with `version` when the record has one) when the record before it in the row
 *   names the same;
 *
 * and says what it dropped in `"~"` (bit flags). Decoding rebuilds the record with its keys in
 * their original order, so what reads it (the users route, reports, stats) sees the same bytes as
 * before. Rows written before this (records with their `userId`) decode as they are. The `"~"` key
 * and the kept `journeyId` of each journey's first record keep `record LIKE '%"journeyId":"…"%'`
 * (stats) and `json_array_length(record)` (crash checks) true.
 */

type Rec = Record<string, unknown>;

const AT = 1;
const JOURNEY_VERSION = 2;
const JOURNEY = 4;

const iso = (ms: number) => new Date(ms).toISOString();

export function encodeTimelineRow(records: readonly object[], userId: string, at: number): string {
  const rowAt = iso(at);
  let prev: Rec | null = null;
  const out = records.map((r0) => {
    const r = r0 as Rec;
    const keys = Object.keys(r);
    const previous = prev;
    prev = r;
    // Only the common shape is shortened; anything else is kept whole (and decodes as itself).
    if (keys[0] !== "at" || keys[1] !== "userId" || r.userId !== userId || "~" in r) return r;
    let flags = 0;
    let skip = 2;
    if (keys[2] === "journeyId" && previous !== null && previous.journeyId === r.journeyId) {
      if (keys[3] === "version" && Object.hasOwn(previous, "version") && previous.version === r.version) {
        flags |= JOURNEY_VERSION;
        skip = 4;
      } else if (keys[3] !== "version") {
        flags |= JOURNEY;
        skip = 3;
      }
    }
    const keepAt = r.at !== rowAt;
    if (!keepAt) flags |= AT;
    const e: Rec = { "~": flags };
    if (keepAt) e.at = r.at;
    // The rest in order (a journeyId that was not dropped stays right after where userId was).
    for (let i = skip; i < keys.length; i++) e[keys[i]!] = r[keys[i]!];
    return e;
  });
  return JSON.stringify(out);
}

/**
 * The row's records as they were written. `T` is the shape the caller reads them as (reports' and
 * stats' record types), as it would name it for `JSON.parse`: the engine wrote them, nothing checks.
 */
export function decodeTimelineRow<T = Rec>(text: string, userId: string, at: number): T[] {
  const rows = JSON.parse(text) as Rec[];
  let rowAt: string | null = null;
  let prev: Rec | null = null;
  const out = rows.map((e) => {
    // Encoded records have no userId; one kept whole has its own (even with a "~" of its own).
    if (!Object.hasOwn(e, "~") || Object.hasOwn(e, "userId")) return (prev = e);
    const flags = e["~"] as number;
    const r: Rec = { at: flags & AT ? (rowAt ??= iso(at)) : e.at, userId };
    if (flags & (JOURNEY_VERSION | JOURNEY)) r.journeyId = prev?.journeyId;
    if (flags & JOURNEY_VERSION) r.version = prev?.version;
    // Top-level keys are the engine's own record fields (never a person's data), so plain assignment is safe.
    for (const k of Object.keys(e)) if (k !== "~" && k !== "at") r[k] = e[k];
    return (prev = r);
  });
  return out as T[];
}
