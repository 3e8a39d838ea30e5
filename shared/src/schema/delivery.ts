import { z } from "zod";

/**
 * The engine's deliveries (its outbox of rewards and messages) as the sidecar shows them, and the
 * re-drive request that moves dead ones back to pending. One shape for the sidecar (which
 * validates with it) and the `lifeloop redrive` command (which reads the answer with it).
 */

export const DeliveryStatus = z.enum(["pending", "delivered", "dead"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** At most this many ids in one re-drive request. */
export const MAX_REDRIVE_IDS = 1000;

/** Exactly one selector: every dead delivery, a journey's, or these outbox sequence numbers. */
export const RedriveRequest = z
  .strictObject({
    all: z.literal(true).optional(),
    journeyId: z.string().min(1).max(200).optional(),
    ids: z.array(z.number().int().min(1)).min(1).max(MAX_REDRIVE_IDS).optional(),
  })
  .refine((r) => [r.all, r.journeyId, r.ids].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of {"all": true}, {"journeyId": "…"} or {"ids": [seq, …]}',
  });
export type RedriveRequest = z.infer<typeof RedriveRequest>;

/** One delivery a re-drive moved back to pending, with what it had been through. */
export const RedrivenDelivery = z.object({
  seq: z.number().int(),
  key: z.string(),
  kind: z.enum(["message", "reward"]),
  userId: z.string(),
  journeyId: z.string(),
  previousAttempts: z.number().int().min(0),
  previousError: z.string().nullable(),
});
export type RedrivenDelivery = z.infer<typeof RedrivenDelivery>;

export const RedriveResult = z.object({
  /** How many dead deliveries are pending again. */
  redriven: z.number().int().min(0),
  /** True when the request stopped at its bound and more dead deliveries match: send it again. */
  more: z.boolean(),
  /** The first of them (at most 100). */
  deliveries: z.array(RedrivenDelivery),
  /** With `ids`: the ones that were not dead (delivered, still pending, or no such delivery). */
  skipped: z.array(z.number().int()),
  /** When their fresh retry window ends (ISO). */
  retryUntil: z.string(),
});
export type RedriveResult = z.infer<typeof RedriveResult>;
