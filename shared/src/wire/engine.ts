import { z } from "zod";
import { JsonValue } from "../schema/common.ts";
import { WorkspaceLevels } from "../schema/levels.ts";
import { EffectRecord, RewardData, TimelineRecord } from "./effects.ts";
import { WalletView } from "./wallet.ts";

/**
 * The engine sidecar's answers besides stats (wire/stats.ts) and reports (schema/report.ts): ingest,
 * a person's "why" view, the ledger, deliveries, health and readiness. The sidecar's OpenAPI
 * document refers to these (engine/src/server/openapi.ts), so @lifeloop/client types every route.
 */

const Instant = z.string().meta({ description: "An ISO 8601 instant (UTC)." });
const count = z.number().int().min(0);

/** POST /v1/events: 202 once the batch is durably in the log; with `?wait=applied`, after its effects commit. */
export const EventsAccepted = z
  .object({
    accepted: count.meta({ description: "Events new to the engine, stored in the log in this request." }),
    duplicates: count.meta({ description: "Events whose id the engine had seen: acknowledged, not stored again." }),
    applied: z.boolean().meta({
      description:
        "True only with wait=applied once every event's effects committed (the Preference-Applied header " +
        "says so too); false when not asked for, or when the wait ran out.",
    }),
    pending: count.optional().meta({
      description: "With wait=applied and applied false: how many of the events the applier has not applied yet.",
    }),
    failed: count.optional().meta({
      description: "With applied true: how many of the new events had a step abandoned (see the person's timeline).",
    }),
  })
  .meta({ description: "Acknowledged: in the log, to be applied exactly once, in order per person." });
export type EventsAccepted = z.infer<typeof EventsAccepted>;

/** A timeline entry left by an operator's re-drive of a dead delivery (POST /v1/messages/redrive). */
export const RedriveRecord = z
  .object({
    at: Instant,
    userId: z.string(),
    journeyId: z.string(),
    nodeId: z.null().meta({ description: "Always null: a re-drive moves no run (the delivery's node is below)." }),
    kind: z.literal("redrive"),
    key: z.string(),
    seq: z.number().int(),
    delivery: z.enum(["message", "reward"]),
    deliveryNodeId: z.string(),
    previousAttempts: count,
    previousError: z.string().nullable(),
  })
  .meta({ description: "A dead delivery an operator sent back to pending, and what it had failed with." });

/** A person's growth level as of the engine's clock (engine/src/core/levels.ts). */
const PersonLevel = z.object({
  id: z.string().meta({ description: "The level's id, e.g. gold (the lowest until xp reaches more)." }),
  rank: count.meta({ description: "Its index in the definition's levels, 0 the lowest." }),
  xp: count.meta({ description: "Xp earned over the definition's window, ending today." }),
  reviewAt: Instant.nullable().meta({
    description: "When the level is next reviewed (may go down); null at the lowest.",
  }),
});

/** GET /v1/levels: the workspace's growth levels the engine runs, as its journey feed carried them. */
export const LevelsView = z
  .object({
    levels: WorkspaceLevels.nullable().meta({ description: "null: the feed carries no growth levels." }),
  })
  .meta({ description: "The growth levels the engine applies: xp rules, levels and the review period." });
export type LevelsView = z.infer<typeof LevelsView>;

/** GET /v1/users/{id}: where a person is in every journey, and why (their timeline). */
export const PersonView = z.object({
  userId: z.string(),
  profile: z.record(z.string(), JsonValue),
  aggregates: z
    .record(z.string(), z.number().nullable())
    .meta({ description: "Every aggregate a live journey reads, by key, as of the engine's clock." }),
  segments: z.array(z.string()).meta({ description: "Segment memberships, `journeyId/segmentId`." }),
  runs: z.array(
    z.object({
      journeyId: z.string(),
      version: z.number().int(),
      entry: z.number().int(),
      nodeId: z.string(),
      startedAt: Instant,
      waiting: z
        .discriminatedUnion("kind", [
          z.object({ kind: z.literal("time"), until: Instant }),
          z.object({ kind: z.literal("event"), event: z.string(), until: Instant.nullable() }),
          z.object({ kind: z.literal("quiet"), until: Instant }),
        ])
        .nullable()
        .meta({ description: "Why the run is not moving: a time, an awaited event, quiet hours; null when none." }),
    }),
  ),
  entries: z.record(z.string(), z.object({ count: count, lastAt: z.number().int() })).meta({
    description: "Per journey: how often the person entered, and when last (epoch ms).",
  }),
  timeline: z
    .array(z.union([TimelineRecord, RedriveRecord]))
    .meta({ description: "Newest `limit` entries, oldest first." }),
  wallet: WalletView.meta({ description: "The person's points wallet (as GET /v1/wallet/{userId})." }),
  level: PersonLevel.nullable().meta({
    description: "The person's growth level and xp now; null when the workspace defines no levels.",
  }),
  applier: z.object({
    pendingEvents: count.meta({ description: "This person's events in the log not applied yet." }),
    lagSeconds: z.number().min(0).meta({ description: "How long the oldest of all waiting events has waited." }),
  }),
});
export type PersonView = z.infer<typeof PersonView>;

/** GET /v1/ledger: grants and the points wallet's spends and expiries, oldest first, a page at a time. */
export const LedgerPage = z.object({
  grants: z.array(
    RewardData.extend({
      seq: z.number().int(),
      grantKey: z.string().meta({
        description:
          "Unique per person, journey, node, entry and visit; a spend's is `spend:<redeem key>`, an expiry's " +
          "`expire:<grant key>`, a coupon's redemption `redeem:<grant key>`.",
      }),
      entry: z.enum(["grant", "spend", "expire", "redeem"]).meta({
        description:
          "A grant (a coupon's issue), a wallet spend (its item in `code`; journeyId and nodeId empty), an " +
          "expiry (of points, or of a coupon: type coupon) or a coupon's redemption.",
      }),
      userId: z.string(),
      journeyId: z.string(),
      version: z.number().int(),
      nodeId: z.string(),
      budgetId: z.string().nullable(),
      at: Instant,
    }),
  ),
  next: z.number().int().nullable().meta({ description: "Send as `after` for the next page; null on the last." }),
});
export type LedgerPage = z.infer<typeof LedgerPage>;

/** GET /v1/messages: deliveries through the outbox, with their status and attempts. */
export const MessagePage = z.object({
  messages: z.array(
    z.object({
      seq: z.number().int(),
      key: z.string(),
      kind: z.enum(["message", "reward"]),
      userId: z.string(),
      journeyId: z.string(),
      nodeId: z.string(),
      channel: z.string(),
      status: z.enum(["pending", "delivered", "dead"]),
      attempts: count,
      lastError: z.string().nullable(),
      effect: EffectRecord.meta({ description: "The effect delivered (a message or a reward)." }),
      createdAt: Instant,
      deliveredAt: Instant.nullable(),
      redrivenAt: Instant.nullable(),
      nextAttemptAt: Instant.nullable().meta({ description: "Only a pending delivery has one." }),
      retryUntil: Instant.nullable().meta({ description: "When a pending delivery's retry window ends." }),
    }),
  ),
  next: z.number().int().nullable().meta({ description: "Send as `after` for the next page; null on the last." }),
});
export type MessagePage = z.infer<typeof MessagePage>;

/** GET /healthz: the process is up (liveness), with what it runs and how deliveries go. No token needed. */
export const EngineHealth = z.object({
  ok: z.literal(true),
  journeys: count.meta({ description: "Published journeys the engine runs." }),
  feed: z.object({
    etag: z.string().nullable(),
    fetchedAt: z.number().int().nullable().meta({ description: "When the feed was last read (epoch ms)." }),
    source: z.string().meta({ description: '"api", "files", "stored" or "none".' }),
    lastError: z.string().nullable(),
  }),
  delivery: z.object({
    circuit: z.enum(["closed", "open", "half-open"]),
    failuresInARow: count,
    failingSince: Instant.nullable(),
    nextProbeAt: Instant.nullable(),
  }),
});
export type EngineHealth = z.infer<typeof EngineHealth>;

const ApplierLag = z.object({ pending: count, lagSeconds: z.number().min(0) });

/** GET /readyz: 200 while a write commits and the applier keeps up; 503 (with Retry-After) otherwise. */
export const EngineReadiness = z.object({
  ready: z.boolean(),
  reason: z.string().optional().meta({ description: "Why not ready." }),
  applier: ApplierLag.optional(),
});
export type EngineReadiness = z.infer<typeof EngineReadiness>;
