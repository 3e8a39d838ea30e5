/**
 * How many stored profiles a segment condition matches at an instant: the condition is compiled
 * once by shared's evaluator and run per profile with `profile` = the person's attributes and
 * `user.id`. Aggregates are computed per aggregate over all stored events in one grouped query
 * (the window is the same for everyone), then looked up per person.
 */
import { and, asc, count, gte, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { defaultEvaluator, LogicError, truthy, windowRange, type AggregateSpec } from "@lifeloop/shared";
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
    truncated: z.boolean().meta({
      description:
        "True when there were more profiles than the preview limit; counts cover the first `evaluated` by user id.",
    }),
    errors: z
      .object({ count: z.number().int(), first: z.string().nullable() })
      .meta({ description: "Profiles the condition failed on (e.g. a step limit)." }),
    sample: z.array(z.string()).meta({ description: "Up to 20 matching user ids." }),
  }),
);
export type PreviewResult = z.infer<typeof PreviewResult>;

const SAMPLE = 20;

export async function previewSegment(
  db: Store,
  condition: unknown,
  opts: { segments: Record<string, unknown>; now: Date; timeZone: string; limit: number },
): Promise<PreviewResult> {
  const { profiles } = db.t;
  // assigned in the try below from a typed parse; its type is that parse's
  // biome-ignore lint/suspicious/noImplicitAnyLet: the reason above
  let rule;
  try {
    rule = defaultEvaluator.compile(condition, { segments: opts.segments });
  } catch (e) {
    if (!(e instanceof LogicError)) throw e;
    throw new ApiError(400, "invalid_condition", `the condition cannot be evaluated: ${e.message}`, {
      issues: [{ path: `$.condition${e.path.slice(1)}`, message: e.message, code: e.code }],
    });
  }
  const now = opts.now.getTime();
  const memo = new Map<string, Map<string, number>>();
  const aggregate =
    (userId: string) =>
    (spec: AggregateSpec): number | null => {
      const byUser = memo.get(spec.key);
      // Rules evaluate synchronously: an aggregate not read yet stops this profile's evaluation, is
      // read (once per preview, for every person), and the profile is evaluated again.
      if (!byUser) throw new NeedsAggregate(spec);
      const v = byUser.get(userId);
      if (v !== undefined) return v;
      return spec.fn === "count" || spec.fn === "sum" ? 0 : null;
    };

  const total = (await db.q.select({ n: count() }).from(profiles))[0]?.n ?? 0;
  const rows = await db.q
    .select({ userId: profiles.userId, attributes: profiles.attributes })
    .from(profiles)
    .orderBy(asc(profiles.userId))
    .limit(opts.limit);
  let matched = 0;
  let errors = 0;
  let first: string | null = null;
  const sample: string[] = [];
  for (const r of rows) {
    const data = { profile: JSON.parse(r.attributes) as unknown, user: { id: r.userId } };
    try {
      let result: unknown;
      for (;;) {
        try {
          result = rule(data, { now, timeZone: opts.timeZone, aggregate: aggregate(r.userId) });
          break;
        } catch (e) {
          if (!(e instanceof NeedsAggregate)) throw e;
          memo.set(e.spec.key, await groupedAggregate(db, e.spec, now, opts.timeZone));
        }
      }
      if (truthy(result)) {
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

class NeedsAggregate extends Error {
  constructor(readonly spec: AggregateSpec) {
    super(`aggregate ${spec.key} not read yet`);
  }
}

async function groupedAggregate(
  db: Store,
  spec: AggregateSpec,
  now: number,
  timeZone: string,
): Promise<Map<string, number>> {
  const { profileEvents } = db.t;
  const { from, to } = windowRange(spec.parsedWindow, now, timeZone);
  let numeric: SQL;
  let value: SQL;
  if (spec.prop === null) {
    numeric = sql`1 = 1`;
    value = sql`0`;
  } else if (db.dialect === "postgres") {
    const path = `{${spec.prop
      .split(".")
      .map((k) => JSON.stringify(k))
      .join(",")}}`;
    numeric = sql`jsonb_typeof(${profileEvents.props}::jsonb #> ${path}::text[]) = 'number'`;
    value = sql`(${profileEvents.props}::jsonb #>> ${path}::text[])::float8`;
  } else {
    const path = `$.${spec.prop}`;
    numeric = sql`json_type(${profileEvents.props}, ${path}) IN ('integer', 'real')`;
    value = sql`json_extract(${profileEvents.props}, ${path})`;
  }
  const expr =
    spec.fn === "count"
      ? sql<number>`count(*)`
      : spec.fn === "sum"
        ? db.dialect === "postgres"
          ? sql<number>`coalesce(sum(${value}), 0)`
          : sql<number>`total(${value})`
        : spec.fn === "min"
          ? sql<number>`min(${value})`
          : spec.fn === "max"
            ? sql<number>`max(${value})`
            : sql<number>`max(${profileEvents.at})`;
  const rows = await db.q
    .select({ userId: profileEvents.userId, v: expr })
    .from(profileEvents)
    .where(
      and(sql`${profileEvents.type} = ${spec.event}`, gte(profileEvents.at, from), lte(profileEvents.at, to), numeric),
    )
    .groupBy(profileEvents.userId);
  // PostgreSQL answers count/max of bigint as text: numbers either way.
  return new Map(rows.filter((r) => r.v !== null).map((r) => [r.userId, Number(r.v)]));
}
