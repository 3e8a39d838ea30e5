import { z } from "zod";
import { JsonValue } from "../schema/common.ts";
import { UserId } from "../schema/event.ts";

/**
 * An effect as it leaves the engine (simulate's output, a person's timeline, a delivery's payload):
 * what the engine did for one person at one node, times as ISO strings. One schema per kind, joined
 * by `kind`; the engine's core type checks against these at compile time (engine/src/effects/record.ts).
 */

const Instant = z.string().meta({ description: "An ISO 8601 instant (UTC)." });
const base = {
  at: Instant,
  userId: UserId,
  journeyId: z.string(),
  version: z.number().int(),
  nodeId: z.string().nullable().meta({
    description: "The node the effect happened at; null for journey-level effects (a conversion, an exit criterion).",
  }),
  test: z
    .literal(true)
    .optional()
    .meta({ description: "A test person's (an event sent with `test`): reports and stats leave it out." }),
};
const effect = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S, description: string) =>
  z.object({ ...base, kind: z.literal(kind), ...shape }).meta({ description });

export const RewardData = z.object({
  type: z.string(),
  amount: z.number().int().nullable().meta({ description: "In minor units of `unit`; null for a coupon code." }),
  code: z.string().nullable(),
  unit: z.string().meta({ description: '"points", "coupons" or an ISO 4217 currency.' }),
});

/** What a coupon's redemption or expiry says about the coupon. */
const couponClose = {
  lot: z.string().meta({ description: "The coupon's grant (its grant key)." }),
  code: z.string(),
  entry: z.number().int().meta({ description: "The entry of the run that was granted it." }),
  issuedAt: Instant.meta({ description: "When it was granted." }),
  amount: z.number().int().nullable().meta({ description: "Its face value in minor units of `unit`, if any." }),
  unit: z.string(),
  detail: z.string().meta({ description: "Why, in words." }),
};

/** Every effect kind's schema, by kind: the variants of EffectRecord. */
export const EFFECT_VARIANTS = {
  enter: effect(
    "enter",
    {
      entry: z.number().int().meta({ description: "The n-th entry of this person into this journey." }),
      trigger: z.string(),
      attributes: z
        .record(z.string(), z.string())
        .optional()
        .meta({
          description:
            "The person's profile attributes when they entered (text, numbers and booleans as text, at most 32 by " +
            "name, each at most 200 characters): what a report's breakdown groups by.",
        }),
    },
    "The person entered the journey at a trigger.",
  ),
  migrate: effect(
    "migrate",
    { from: z.number().int() },
    "The run moved to this version from an older one (publish with inFlight: migrate).",
  ),
  move: effect(
    "move",
    { handle: z.string(), to: z.string().nullable() },
    "The run followed `handle` from nodeId to `to` (null: the handle is not connected, the run ends).",
  ),
  decide: effect(
    "decide",
    { handle: z.string(), inputs: z.record(z.string(), JsonValue) },
    "A condition, split or experiment chose `handle`, from these inputs.",
  ),
  wait: effect(
    "wait",
    { until: Instant.nullable(), event: z.string().nullable() },
    "The run pauses until a time, an event, or both.",
  ),
  resume: effect("resume", { handle: z.string() }, "A paused run went on by `handle`."),
  reward: effect(
    "reward",
    {
      reward: RewardData,
      grantKey: z
        .string()
        .optional()
        .meta({ description: "Only in a delivery to the reward receiver: the grant's idempotency key." }),
      budget: z.string().nullable(),
      clippedFrom: z
        .number()
        .int()
        .nullable()
        .meta({ description: "The amount before a budget or cap clipped it (minor units)." }),
    },
    "A reward was granted.",
  ),
  refuse: effect(
    "refuse",
    { reason: z.enum(["cap", "budget", "pace", "claimed", "no_amount", "pool_empty"]), detail: z.string() },
    "A reward was refused.",
  ),
  expire: effect(
    "expire",
    {
      lot: z.string().meta({ description: "The grant whose points expired (its grant key)." }),
      points: z.number().int().min(1),
      balance: z.number().int().min(0).meta({ description: "The person's points balance after it." }),
      detail: z.string(),
    },
    "Points of an earlier grant expired, oldest grant first (the wallet).",
  ),
  coupon_redeem: effect(
    "coupon_redeem",
    {
      ...couponClose,
      event: z.string().meta({ description: "The id of the event that redeemed it." }),
    },
    "A coupon granted at the node was redeemed: an event carried its code (the reward's `redeem`).",
  ),
  coupon_expire: effect(
    "coupon_expire",
    couponClose,
    "A coupon granted at the node lapsed unredeemed (the reward's `expires`), from the engine's timers.",
  ),
  spend: effect(
    "spend",
    {
      key: z.string().meta({ description: "The redeem request's idempotency key." }),
      points: z.number().int().min(1),
      item: z.string(),
      balance: z.number().int().min(0).meta({ description: "The person's points balance after it." }),
      lots: z
        .array(z.object({ lot: z.string(), points: z.number().int().min(1) }))
        .meta({ description: "The grants it took points from, oldest first." }),
    },
    "The host redeemed points from the person's wallet (POST /v1/wallet/redeem).",
  ),
  spend_refused: effect(
    "spend_refused",
    {
      key: z.string(),
      points: z.number().int().min(1),
      item: z.string(),
      balance: z.number().int().min(0),
      detail: z.string(),
    },
    "A redeem was refused: the balance is less than it asked for. Nothing was spent.",
  ),
  level: effect(
    "level",
    {
      from: z.string().meta({ description: "The level's id before." }),
      to: z.string().meta({ description: "The level's id after." }),
      xp: z.number().int().min(0).meta({ description: "The xp in the window that decided it." }),
      detail: z.string(),
    },
    'The person\'s growth level changed: up when xp was earned, down at a review (journey "").',
  ),
  message: effect(
    "message",
    {
      channel: z.string(),
      title: z.string().nullable(),
      text: z.string(),
      template: z.string(),
      outboxKey: z
        .string()
        .optional()
        .meta({ description: "Only in a delivery to the channel's receiver: the message's idempotency key." }),
    },
    "A message was sent.",
  ),
  hold: effect(
    "hold",
    { reason: z.literal("quiet_hours"), until: Instant },
    "A message waits for the end of quiet hours.",
  ),
  suppress: effect(
    "suppress",
    {
      reason: z.enum(["frequency_cap", "channel_cap"]).meta({
        description:
          "frequency_cap: the journey's own cap; channel_cap: the engine's cap for the channel " +
          "across journeys (LIFELOOP_CHANNEL_CAPS).",
      }),
      detail: z.string(),
    },
    "A message was not sent: a frequency cap is reached.",
  ),
  attribute: effect(
    "attribute",
    { op: z.string(), name: z.string(), value: JsonValue },
    "A profile attribute was changed.",
  ),
  goal: effect("goal", { name: z.string() }, "The run reached a goal node."),
  convert: effect(
    "convert",
    { event: z.string(), entry: z.number().int() },
    "The person converted: the journey's goal event happened within its window.",
  ),
  holdout_convert: effect(
    "holdout_convert",
    { event: z.string() },
    "A person the workspace holdout kept out of the journey did its goal event within the goal window: " +
      "counted for incrementality, never as the journey's conversion.",
  ),
  segment: effect(
    "segment",
    { segment: z.string(), change: z.enum(["enter", "leave"]) },
    "The person entered or left a segment.",
  ),
  exit: effect(
    "exit",
    { reason: z.string() },
    "The run ended: end_of_path, step_limit, version_removed or the journey's own exit reason.",
  ),
} as const;

const V = EFFECT_VARIANTS;
const effectVariants = [
  V.enter,
  V.migrate,
  V.move,
  V.decide,
  V.wait,
  V.resume,
  V.reward,
  V.refuse,
  V.expire,
  V.coupon_redeem,
  V.coupon_expire,
  V.spend,
  V.spend_refused,
  V.level,
  V.message,
  V.hold,
  V.suppress,
  V.attribute,
  V.goal,
  V.convert,
  V.holdout_convert,
  V.segment,
  V.exit,
] as const;
export const EffectRecord = z.discriminatedUnion("kind", effectVariants);
export type EffectRecord = z.infer<typeof EffectRecord>;
export type EffectKind = EffectRecord["kind"];
/** The record of one effect kind. */
export type EffectOf<K extends EffectKind> = Extract<EffectRecord, { kind: K }>;

/** Why something did not happen (kept in the person's timeline, not an effect). */
export const TraceRecord = z
  .object({
    at: Instant,
    userId: UserId,
    journeyId: z.string(),
    nodeId: z.string().nullable(),
    note: z.enum(["not_entered", "late_event", "paused"]),
    reason: z.string(),
    test: z.literal(true).optional(),
    kind: z.literal("trace"),
  })
  .meta({
    description:
      "Why something did not happen: the person was not entered, an event came too late, the journey is paused.",
  });
export type TraceRecord = z.infer<typeof TraceRecord>;

/** A step abandoned because a rule failed: the person stays as they were before it. */
export const StepFailedRecord = z
  .object({
    at: Instant,
    userId: UserId,
    journeyId: z.string(),
    version: z.number().int(),
    nodeId: z.string().nullable(),
    kind: z.literal("step_failed"),
    code: z.string().meta({ description: 'The evaluator\'s code: "limit_steps", "limit_string", …' }),
    path: z.string().meta({ description: 'JSON path of the rule in the journey document: "$.nodes[3].params.rule".' }),
    rulePath: z.string().meta({ description: 'JSON path inside the rule of the operator that failed: "$.reduce[1]".' }),
    eventId: z
      .string()
      .nullable()
      .meta({ description: "The event that was being applied; null for a timer or a scheduled entry." }),
    input: z.enum(["event", "tick", "schedule", "redeem"]),
    reason: z.string(),
  })
  .meta({ description: "A step abandoned because a rule failed (over a run-time limit, another evaluation error)." });
export type StepFailedRecord = z.infer<typeof StepFailedRecord>;

/** One entry of a person's timeline: an effect, a trace note or a failed step. */
export const TimelineRecord = z.discriminatedUnion("kind", [...effectVariants, TraceRecord, StepFailedRecord]);
export type TimelineRecord = z.infer<typeof TimelineRecord>;
