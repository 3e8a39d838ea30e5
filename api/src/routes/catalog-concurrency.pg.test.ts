/**
 * Concurrent redemptions on PostgreSQL (the API's database and the engine's): many requests at once
 * for one item with little stock, by a few people with a per-person limit, some sent twice with one
 * key. The stock never goes below zero, nobody passes the limit, and every spend in the engine's
 * ledger is one settled redemption in the API, each once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase } from "@lifeloop/engine/testing";
import { expect, inject, it } from "vitest";
import { startServer } from "../testing/harness.ts";
import { GIFT_POINTS, startPointsEngine } from "../testing/points-engine.ts";
import { postgresForThisFile } from "../testing/postgres.ts";

const START = "2026-11-23T08:00:00Z";
const NOW = Date.parse(START);
const PEOPLE = ["p0", "p1", "p2", "p3", "p4", "p5"];
const PRICE = 200;
const STOCK = 7;
const LIMIT = 2;

if (postgresForThisFile("catalog redemptions on PostgreSQL")) {
  it("never sells more than the stock, past the limit, or spends twice, under 96 concurrent requests", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-api-catalog-pg-"));
    const engineDb = await createDatabase(inject("pgUrl")!, "lifeloop_catalog_engine");
    const engine = await startPointsEngine(dir, engineDb.url, () => NOW);
    const s = await startServer({ start: START, engine: { url: engine.sidecar.url } });
    try {
      expect(s.dialect).toBe("postgres");
      await engine.grant(PEOPLE);
      const item = { id: "fee-waiver", name: { en: "Fee waiver", zh: "手续费减免" }, points: PRICE };
      const created = await s.call("POST", "/v1/catalog/items", {
        json: { ...item, stock: STOCK, perPersonLimit: LIMIT },
      });
      expect(created.status).toBe(201);
      // Each person asks 8 times with 8 keys, each key sent twice: 96 requests at once.
      const requests = PEOPLE.flatMap((userId) =>
        Array.from({ length: 16 }, (_, i) => ({ key: `${userId}-k${i % 8}`, userId })),
      );
      const answers = await Promise.all(
        requests.map((json) => s.call("POST", "/v1/catalog/items/fee-waiver/redeem", { json })),
      );
      for (const a of answers) expect([200, 409], a.text).toContain(a.status);
      const refusals = new Set(answers.filter((a) => a.status === 409).map((a) => a.body.error.code));
      // in_progress: the key's twin was with the engine at that moment (it waits its turn, asks nothing).
      for (const code of refusals) expect(["out_of_stock", "limit_reached", "in_progress"]).toContain(code);

      const redeemedKeys = new Set(answers.filter((a) => a.status === 200).map((a) => a.body.key as string));
      expect(redeemedKeys.size).toBe(STOCK);
      const after = (await s.call("GET", "/v1/catalog/items")).body.items[0];
      expect(after).toMatchObject({ stock: 0, redeemed: STOCK });

      // The engine spent once per redeemed key, nothing else.
      const spends = await engine.spends();
      expect(spends.map((x) => x.grantKey).sort()).toEqual([...redeemedKeys].map((k) => `spend:catalog:${k}`).sort());
      for (const userId of PEOPLE) {
        const mine = spends.filter((x) => x.userId === userId).length;
        expect(mine).toBeLessThanOrEqual(LIMIT);
        expect(await engine.balance(userId)).toBe(GIFT_POINTS - PRICE * mine);
      }
      // A key sent twice was answered the same both times when it redeemed: one spend, one replay or two
      // identical answers.
      for (const key of redeemedKeys) {
        const both = answers.filter((a) => a.status === 200 && a.body.key === key);
        for (const a of both) expect(a.body.at).toBe(both[0]!.body.at);
      }
    } finally {
      await s.close();
      await engine.sidecar.close();
      await engineDb.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
}
