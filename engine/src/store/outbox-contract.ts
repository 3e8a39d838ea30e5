import { JourneyId, NodeId, UserId } from "@lifeloop/shared";
import { expect } from "vitest";
import type { DeadDelivery, SidecarStore } from "./port.ts";

/**
 * What delivery needs from a store's outbox, the same on SQLite (outbox.test.ts) and PostgreSQL
 * (outbox.pg.test.ts): the retry window's start comes back with each claimed row, claimed rows can
 * be released untouched, rows whose window passed can be expired, and dead rows re-driven with a
 * fresh window and a timeline entry, in one transaction.
 */
export async function outboxContract(store: SidecarStore): Promise<void> {
  const T = Date.parse("2026-11-06T00:00:00Z");
  const row = (key: string, userId: string, journeyId: string) => ({
    key,
    kind: "message" as const,
    userId: UserId.parse(userId),
    journeyId: JourneyId.parse(journeyId),
    nodeId: NodeId.parse("n"),
    channel: "push",
    payload: JSON.stringify({ text: key }),
    createdAt: T,
  });
  await store.transaction(async (tx) => {
    await tx.insertOutbox(row("m1", "u1", "a"));
    await tx.insertOutbox(row("m2", "u1", "b"));
    await tx.insertOutbox(row("m3", "u2", "b"));
    await tx.insertOutbox(row("m4", "u2", "a"));
  });
  const claimed = await store.claimOutbox(T, 10);
  expect(claimed.map((r) => [r.key, r.attempts, r.windowStart])).toEqual([
    ["m1", 0, T],
    ["m2", 0, T],
    ["m3", 0, T],
    ["m4", 0, T],
  ]);
  const seq = Object.fromEntries(claimed.map((r) => [r.key, r.seq])) as Record<string, number>;

  // Released rows are due again at once, their attempts untouched (PostgreSQL had hidden them for a lease).
  await store.releaseOutbox([seq.m1!, seq.m2!], T + 5);
  expect((await store.claimOutbox(T + 5, 10)).map((r) => [r.key, r.attempts])).toEqual(
    expect.arrayContaining([
      ["m1", 0],
      ["m2", 0],
    ]),
  );

  await store.recordDeliveries([
    { seq: seq.m1!, delivered: true, at: T + 10 },
    { seq: seq.m2!, delivered: false, error: "HTTP 503", nextAttemptAt: T + 100, dead: false },
    { seq: seq.m3!, delivered: false, error: "HTTP 400", nextAttemptAt: T + 10, dead: true },
  ]);

  // Expiry: only pending rows whose window started at or before the cutoff; an error of their own is kept.
  expect(await store.expireOutbox(T - 1, "receiver unavailable", 10)).toBe(0);
  expect(await store.expireOutbox(T, "receiver unavailable", 1)).toBe(1);
  expect(await store.expireOutbox(T, "receiver unavailable", 10)).toBe(1);
  const byKey = async () => Object.fromEntries((await store.messages({ limit: 100 })).map((m) => [m.key, m]));
  let m = await byKey();
  expect(Object.values(m).map((r) => [r.key, r.status, r.attempts, r.lastError])).toEqual([
    ["m1", "delivered", 1, null],
    ["m2", "dead", 1, "HTTP 503"],
    ["m3", "dead", 1, "HTTP 400"],
    ["m4", "dead", 0, "receiver unavailable"],
  ]);
  expect(m.m1!.deliveredAt).toBe(T + 10);
  expect(m.m2!.redrivenAt).toBeNull();

  // Re-drive: by journey, by ids (a delivered one and a missing one are not touched), then all.
  const at = T + 1000;
  const record = (r: DeadDelivery) => JSON.stringify([{ kind: "redrive", key: r.key, previousError: r.lastError }]);
  const b = await store.redriveOutbox({ journeyId: JourneyId.parse("b") }, at, 1, record);
  expect(b.map((r) => [r.key, r.userId, r.journeyId, r.attempts, r.lastError])).toEqual([
    ["m2", "u1", "b", 1, "HTTP 503"],
  ]);
  const ids = await store.redriveOutbox({ ids: [seq.m1!, seq.m3!, 999_999] }, at, 10, record);
  expect(ids.map((r) => r.key)).toEqual(["m3"]);
  const rest = await store.redriveOutbox({ all: true }, at, 10, record);
  expect(rest.map((r) => [r.key, r.attempts, r.lastError])).toEqual([["m4", 0, "receiver unavailable"]]);
  expect(await store.redriveOutbox({ all: true }, at, 10, record)).toEqual([]);

  m = await byKey();
  for (const k of ["m2", "m3", "m4"]) {
    expect(m[k]).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: at, redrivenAt: at });
  }
  expect(m.m2!.lastError).toBe("HTTP 503"); // kept until the next attempt says otherwise
  expect(m.m1).toMatchObject({ status: "delivered", redrivenAt: null });
  // The fresh window starts at the re-drive.
  expect((await store.claimOutbox(at, 10)).map((r) => [r.key, r.windowStart])).toEqual([
    ["m2", at],
    ["m3", at],
    ["m4", at],
  ]);
  // One timeline entry per re-driven delivery, for its person, at the re-drive.
  expect(await store.timelineRows(UserId.parse("u1"), 10)).toEqual([
    [{ kind: "redrive", key: "m2", previousError: "HTTP 503" }],
  ]);
  expect((await store.timelineRows(UserId.parse("u2"), 10)).map((r) => r[0]!.key).sort()).toEqual(["m3", "m4"]);
}
