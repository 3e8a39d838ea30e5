import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqliteStore } from "../store/sqlite/store.ts";
import { checkedFetch } from "../testing/contract.ts";
import { giftJourney } from "../testing/wallet.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";

/** Every answer is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();
const dir = mkdtempSync(join(tmpdir(), "lifeloop-wallet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clock = { now: Date.parse("2026-01-05T12:00:00Z") };

const post = (s: Sidecar, path: string, body: unknown) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const redeem = (s: Sidecar, key: string, points: number, userId = "u1", item = "fee_waiver") =>
  post(s, "/v1/wallet/redeem", { key, userId, points, item });

describe("the points wallet over HTTP", () => {
  let s: Sidecar;
  beforeAll(async () => {
    const file = join(dir, "signup-points.json");
    writeFileSync(file, JSON.stringify(giftJourney));
    s = await startSidecar({
      host: "127.0.0.1",
      port: 0,
      db: join(dir, "wallet.sqlite"),
      journeyFiles: [file],
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      log: () => {},
      now: () => clock.now,
    });
    const registered = { id: "r1", userId: "u1", type: "registered", at: "2026-01-05T09:00:00Z", props: {} };
    expect((await post(s, "/v1/events?wait=applied", registered)).status).toBe(202);
  });
  afterAll(() => s.close());

  it("shows the balance from the ledger, the lots and what expires next", async () => {
    const res = await fetch(`${s.url}/v1/wallet/u1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      balance: 500,
      granted: 500,
      spent: 0,
      expired: 0,
      lots: [
        {
          lot: "signup-points@1/gift/u1/1",
          journeyId: "signup-points",
          nodeId: "gift",
          grantedAt: "2026-01-05T09:00:00.000Z",
          points: 500,
          left: 500,
          expiresAt: "2026-01-08T16:00:00.000Z",
        },
      ],
      nextExpiry: { at: "2026-01-08T16:00:00.000Z", points: 500 },
    });
    const person = (await (await fetch(`${s.url}/v1/users/u1`)).json()) as { wallet: { balance: number } };
    expect(person.wallet.balance).toBe(500);
    // Someone never seen has an empty wallet.
    expect(await (await fetch(`${s.url}/v1/wallet/nobody`)).json()).toMatchObject({ balance: 0, lots: [] });
  });

  it("redeems whole or refuses with the balance; a retry answers the first spend; a reused key is 422", async () => {
    const first = await redeem(s, "order-1", 200);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      key: "order-1",
      userId: "u1",
      points: 200,
      item: "fee_waiver",
      at: "2026-01-05T12:00:00.000Z",
      balance: 300,
      replayed: false,
    });
    const retry = await redeem(s, "order-1", 200);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ key: "order-1", balance: 300, replayed: true });

    const short = await redeem(s, "order-2", 301, "u1", "video_membership");
    expect(short.status).toBe(409);
    expect(await short.json()).toEqual({
      error: { code: "insufficient_points", message: "video_membership costs 301 points; the balance is 300" },
      balance: 300,
      points: 301,
    });
    const reused = await redeem(s, "order-1", 50);
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe("key_reused");

    const bad = await post(s, "/v1/wallet/redeem", { key: "k", userId: "u1", points: 1.5, item: "x" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe(
      "$.points",
    );
    expect((await post(s, "/v1/wallet/redeem", "{not json")).status).toBe(400);
    const big = await post(s, "/v1/wallet/redeem", { key: "k", userId: "u1", points: 1, item: "x".repeat(5000) });
    expect(big.status).toBe(413);
    // Nobody the engine has seen: refused with 0, and no person is made up.
    const stranger = await redeem(s, "order-9", 1, "stranger");
    expect(stranger.status).toBe(409);
    expect(await stranger.json()).toMatchObject({ balance: 0 });
    const db = (s.store as SqliteStore).db;
    expect(db.prepare("SELECT count(*) FROM users WHERE user_id = 'stranger'").pluck().get()).toBe(0);

    // The timeline says what was spent and what was refused, and why.
    const person = (await (await fetch(`${s.url}/v1/users/u1`)).json()) as {
      timeline: Array<Record<string, unknown>>;
    };
    const wallet = person.timeline.filter((r) => r.kind === "spend" || r.kind === "spend_refused");
    expect(wallet).toEqual([
      expect.objectContaining({ kind: "spend", key: "order-1", points: 200, balance: 300 }),
      expect.objectContaining({ kind: "spend_refused", key: "order-2", balance: 300 }),
    ]);
  });

  it("spends exactly once per key under concurrent requests, and never past the balance", async () => {
    // 300 left: twelve different keys of 50 and each sent three times at once.
    const keys = Array.from({ length: 12 }, (_, i) => `burst-${i}`);
    const answers = await Promise.all(keys.flatMap((k) => [1, 2, 3].map(() => redeem(s, k, 50))));
    const statuses = answers.map((a) => a.status);
    const spentKeys = new Set<string>();
    for (const a of answers) if (a.status === 200) spentKeys.add(((await a.json()) as { key: string }).key);
    expect(spentKeys.size).toBe(6);
    expect(statuses.filter((x) => x === 200)).toHaveLength(18);
    expect(statuses.filter((x) => x === 409)).toHaveLength(18);
    const db = (s.store as SqliteStore).db;
    expect(
      db.prepare("SELECT count(*) FROM ledger WHERE entry = 'spend' AND grant_key LIKE 'spend:burst-%'").pluck().get(),
    ).toBe(6);
    expect(await (await fetch(`${s.url}/v1/wallet/u1`)).json()).toMatchObject({ balance: 0, spent: 500 });
  });

  it("lists spends beside grants in the ledger", async () => {
    const page = (await (await fetch(`${s.url}/v1/ledger?userId=u1&limit=3`)).json()) as {
      grants: Array<{ entry: string; grantKey: string; code: string | null }>;
    };
    expect(page.grants.map((g) => [g.entry, g.grantKey, g.code])).toEqual([
      ["grant", "signup-points@1/gift/u1/1", null],
      ["spend", "spend:order-1", "fee_waiver"],
      ["spend", expect.stringMatching(/^spend:burst-/), "fee_waiver"],
    ]);
  });
});
