/** Events for profile and segment tests: three people whose segment memberships are known by hand. */
export const ev = (id: string, userId: string, type: string, at: string, props: Record<string, unknown> = {}) => ({
  id,
  userId,
  type,
  at,
  props,
});
export const jsonl = (events: unknown[]) => `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;

export const EVENTS = [
  ev("e1", "u1", "identify", "2026-11-01T00:00:00Z", { tier: "vip", nickname: "Ann" }),
  ev("e2", "u1", "login", "2026-11-20T01:00:00Z"),
  ev("e3", "u1", "login", "2026-11-21T01:00:00Z"),
  ev("e4", "u1", "transaction", "2026-11-02T03:00:00Z", { amount: 400000 }),
  ev("e5", "u1", "transaction", "2026-11-19T03:00:00Z", { amount: 200000 }),
  // 23:30 UTC on Oct 31 is Nov 1 in Shanghai: in "month" there, not in UTC.
  ev("e6", "u2", "transaction", "2026-10-31T23:30:00Z", { amount: 900000 }),
  ev("e7", "u2", "identify", "2026-11-10T00:00:00Z", { tier: "vip" }),
  ev("e8", "u2", "login", "2026-09-01T00:00:00Z"),
  ev("e9", "u3", "transaction", "2026-11-05T00:00:00Z", { amount: "lots" }),
];
