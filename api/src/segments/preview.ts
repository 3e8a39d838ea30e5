/**
 * How many stored profiles a segment condition matches at an instant: the condition is compiled
 * once by shared's evaluator and run per profile with `profile` = the person's attributes and
 * `user.id`. Aggregates are computed per aggregate over all stored events in one grouped query
 * (the window is the same for everyone), then looked up per person.
 */
import { and, asc, count, gte, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { defaultEvaluator, LogicError, truthy, windowRange, type AggregateSpec } from "@lifeloop/shared";
import { profileEvents, profiles } from "../db/schema.ts";
import type { Store } from "../db/open.ts";
import { ApiError } from "../errors.ts";
import { named } from "../openapi.ts";

export const PreviewResult = named(
  "SegmentPreview",
  z.object({
    at: z.string().meta({ description: "The instant the condition was evaluated at." }),
    timeZone: z.string(),
    profiles: z.number().int().meta({ description: "Stored profiles in all." }),
    evaluated: z.number().int(),
    matched: z.number().int(),
    truncated: z.boolean().meta({ description: "True when there were more profiles than the preview limit; counts cover the first `evaluated` by user id." }),
    errors: z.object({ count: z.number().int(), first: z.string().nullable() }).meta({ description: "Profiles the condition failed on (e.g. a step limit)." }),
    sample: z.array(z.string()).meta({ description: "Up to 20 matching user ids." }),
  }),
);
export type PreviewResult = z.infer<typeof PreviewResult>;

const SAMPLE = 20;

export function previewSegment(
  db: Store,
  condition: unknown,
  opts: { segments: Record<string, unknown>; now: Date; timeZone: string; limit: number },
): PreviewResult {
  let rule;
  try {
    rule = defaultEvaluator.compile(condition, { segments: opts.segments });
  } catch (e) {
    if (!(e instanceof LogicError)) throw e;
    throw new ApiError(400, "invalid_condition", `the condition cannot be evaluated: ${e.message}`, { issues: [{ path: `$.condition${e.path.slice(1)}`, message: e.message, code: e.code }] });
  }
  const now = opts.now.getTime();
  const memo = new Map<string, Map<string, number>>();
  const aggregate = (userId: string) => (spec: AggregateSpec): number | null => {
    let byUser = memo.get(spec.key);
    if (!byUser) {
      byUser = groupedAggregate(db, spec, now, opts.timeZone);
      memo.set(spec.key, byUser);
    }
    const v = byUser.get(userId);
    if (v !== undefined) return v;
    return spec.fn === "count" || spec.fn === "sum" ? 0 : null;
  };

  const total = db.select({ n: count() }).from(profiles).get()?.n ?? 0;
  const rows = db.select({ userId: profiles.userId, attributes: profiles.attributes }).from(profiles).orderBy(asc(profiles.userId)).limit(opts.limit).all();
  let matched = 0;
  let errors = 0;
  let first: string | null = null;
  const sample: string[] = [];
  for (const r of rows) {
    const data = { profile: JSON.parse(r.attributes) as unknown, user: { id: r.userId } };
    try {
      if (truthy(rule(data, { now, timeZone: opts.timeZone, aggregate: aggregate(r.userId) }))) {
        matched++;
        if (sample.length < SAMPLE) sample.push(r.userId);
      }
    } catch (e) {
      if (!(e instanceof LogicError)) throw e;
      errors++;
      first ??= `${r.userId}: ${e.message}`;
    }
  }
  return {
    at: opts.now.toISOString(),
    timeZone: opts.timeZone,
    profiles: total,
    evaluated: rows.length,
    matched,
    truncated: total > rows.length,
    errors: { count: errors, first },
    sample,
  };
}

function groupedAggregate(db: Store, spec: AggregateSpec, now: number, timeZone: string): Map<string, number> {
  const { from, to } = windowRange(spec.parsedWindow, now, timeZone);
  const path = spec.prop === null ? null : `$.${spec.prop}`;
  const numeric = path === null ? sql`1` : sql`json_type(${profileEvents.props}, ${path}) IN ('integer', 'real')`;
  const value = path === null ? sql`0` : sql`json_extract(${profileEvents.props}, ${path})`;
  const expr =
    spec.fn === "count" ? sql<number>`count(*)`
    : spec.fn === "sum" ? sql<number>`total(${value})`
    : spec.fn === "min" ? sql<number>`min(${value})`
    : spec.fn === "max" ? sql<number>`max(${value})`
    : sql<number>`max(${profileEvents.at})`;
  const rows = db
    .select({ userId: profileEvents.userId, v: expr })
    .from(profileEvents)
    .where(and(sql`${profileEvents.type} = ${spec.event}`, gte(profileEvents.at, from), lte(profileEvents.at, to), numeric))
    .groupBy(profileEvents.userId)
    .all();
  return new Map(rows.filter((r) => r.v !== null).map((r) => [r.userId, r.v]));
}
