import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../testing/harness.ts";

// The API's simulate hands the engine's simulate the pools the journey names: the samples' pool files
// (samples/pools/<pool>.csv, as `npm start` imports them) or the request's own `pools`.
let s: TestServer;
beforeAll(async () => {
  s = await startServer({ samples: "draft" });
});
afterAll(async () => s?.close());

const ID = "coupon-pool";
type Effect = { kind: string; userId: string; reason?: string; reward?: { code: string } };
const handed = (body: { effects: Effect[] }) =>
  body.effects
    .filter((e) => e.kind === "reward" || e.kind === "refuse")
    .map((e) => [e.userId, e.kind === "reward" ? e.reward!.code : `refused ${e.reason}`]);

describe("simulate with coupon pools", () => {
  it("draws from the sample's pool file: u1-u4 get their codes, u5 and u6 are refused pool_empty", async () => {
    const r = await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: { sample: ID }, key: s.keys.viewer });
    expect(r.status, r.text).toBe(200);
    expect(handed(r.body)).toEqual([
      ["u1", "CAFE-7Q2K"],
      ["u2", "CAFE-M4XD"],
      ["u3", "CAFE-9TZR"],
      ["u4", "CAFE-B8WN"],
      ["u5", "refused pool_empty"],
      ["u6", "refused pool_empty"],
    ]);
    expect(r.body.summary[0].refusals).toEqual({ pool_empty: 2 });
  });

  it("takes the body's pools instead of the sample's, and bounds them", async () => {
    const r = await s.call("POST", `/v1/journeys/${ID}/simulate`, {
      json: { sample: ID, pools: { "partner-coffee": ["X-1", "X-2", "X-1"] } },
    });
    expect(r.status, r.text).toBe(200);
    expect(handed(r.body)).toEqual([
      ["u1", "X-1"],
      ["u2", "X-2"],
      ["u3", "refused pool_empty"],
      ["u4", "refused pool_empty"],
      ["u5", "refused pool_empty"],
      ["u6", "refused pool_empty"],
    ]);
    const empty = await s.call("POST", `/v1/journeys/${ID}/simulate`, {
      json: { sample: ID, pools: { "partner-coffee": [] } },
    });
    expect(handed(empty.body).map((h) => h[1])).toEqual(Array(6).fill("refused pool_empty"));
    const bad = await s.call("POST", `/v1/journeys/${ID}/simulate`, {
      json: { sample: ID, pools: { "partner-coffee": ["a b"] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe(`$.pools["partner-coffee"][0]`);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`p${i}`, ["C"]]));
    expect((await s.call("POST", `/v1/journeys/${ID}/simulate`, { json: { sample: ID, pools: many } })).status).toBe(
      400,
    );
  });

  it("measures the report's simulation with the same pools", async () => {
    const r = await s.call("POST", `/v1/journeys/${ID}/report/simulate`, { json: { sample: ID } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.spend.refusals).toEqual({ pool_empty: 2 });
    // The sample's file holds 4 codes (one of its 5 lines repeats one): all 4 handed out, none left.
    expect(r.body.spend.pools).toEqual([{ pool: "partner-coffee", codes: 4, handed: 4, remaining: 0 }]);
  });
});
