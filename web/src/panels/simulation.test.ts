import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJourney, DraftJourney, EffectRecord } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import winBackDoc from "../../../samples/journeys/win-back.json";
import couponDoc0 from "../../../samples/journeys/coupon-expiry.json";
import type { SimulationResult } from "../api/client.ts";
import type { Doc } from "../store/editor.ts";
import { readingText } from "../i18n/fields.ts";
import { startTestApi, type TestApi } from "../testing/api-server.ts";
import { formatDate } from "../format.ts";
import i18n from "../i18n/index.ts";
import { whyFormat } from "./Timeline.tsx";
import {
  overlayFromSimulation,
  pathEdges,
  pathOf,
  peopleOf,
  summaryOf,
  timelineOf,
  whyOf,
  type Step,
} from "./simulation.ts";

/** Real runs: what the API's simulate route answers for each sample over its own stream. */
let api: TestApi;
const runs = new Map<string, SimulationResult>();
beforeAll(async () => {
  api = await startTestApi();
  for (const id of ["tiered-rebate", "win-back", "coupon-expiry"]) runs.set(id, await api.simulateSample(id));
}, 60_000);
afterAll(() => api?.close());

function run(docJson: unknown) {
  const compiled = compileJourney(docJson);
  expect(compiled.ok).toBe(true);
  const doc = compiled.document as Doc;
  return { doc, result: runs.get(doc.id)! };
}

const fmt = {
  time: (iso: string) => iso,
  money: (unit: string, minor: number) => `${minor} ${unit}`,
  reading: (label: string, value: unknown) =>
    readingText(label, value, { catalog: DraftJourney.parse(tieredDoc).catalog, lang: "en" }),
};

describe("overlay from a simulation", () => {
  it("puts arrivals on every node and each branch's count on the edge it draws", () => {
    const { doc, result } = run(tieredDoc);
    const summary = summaryOf(result, doc.id)!;
    const overlay = overlayFromSimulation(summary, doc, (_id, c) => (c.granted ? `${c.granted} granted` : undefined));
    expect(overlay.source).toBe("simulation");
    // Seven transactions enter; the split sends two to the 5 % rebate, three to the 3 %.
    expect(overlay.nodes.transaction!.count).toBe(7);
    expect(overlay.nodes.tier!.count).toBe(7);
    expect(overlay.nodes.rebate_5).toEqual({ count: 2, detail: "2 granted" });
    expect(overlay.nodes.rebate_3).toEqual({ count: 3, detail: "3 granted" });
    expect(overlay.edges).toEqual({ e1: 7, e2: 2, e3: 3, e4: 2, e5: 3 });
    // The unconnected "else" branch has no edge, so no count lands on one.
    expect(summary.nodes.tier!.left.else).toBe(2);
    expect(Object.values(overlay.edges).reduce((a, b) => a + b, 0)).toBe(17);
  });

  it("matches edges by source and branch, not by id", () => {
    const { doc, result } = run(tieredDoc);
    const renamed = { edges: doc.edges.map((e) => ({ ...e, id: `x_${e.id}` })) };
    const overlay = overlayFromSimulation(summaryOf(result, doc.id), renamed);
    expect(overlay.edges).toEqual({ x_e1: 7, x_e2: 2, x_e3: 3, x_e4: 2, x_e5: 3 });
  });

  it("is empty without a summary for the journey", () => {
    const { doc, result } = run(tieredDoc);
    expect(summaryOf(result, "other")).toBeNull();
    expect(overlayFromSimulation(null, doc)).toEqual({ source: "simulation", nodes: {}, edges: {} });
  });
});

describe("a person's path", () => {
  it("lists the people and follows one through the nodes with the why of each step", () => {
    const { doc, result } = run(tieredDoc);
    const people = peopleOf(result, doc.id);
    expect(people.map((p) => p.userId).sort()).toEqual(["u1", "u2", "u3"]);
    const steps = timelineOf(result, doc.id, "u1");
    // u1's first transaction of 5,000 yuan falls in no tier: the split goes "else", which ends the path.
    expect(steps[0]!.kind).toBe("enter");
    const decide = steps.find((s) => s.kind === "decide")!;
    expect(decide.nodeId).toBe("tier");
    const why = whyOf(decide, fmt);
    expect(why.key).toBe("sim.why.decide");
    expect(why.values.handle).toBe("else");
    // In words and in yuan: the catalog marks transaction.amount as CNY.
    expect(String(why.values.inputs)).toBe("This month's sum of transaction amount = ¥5,000.00");
    expect(pathOf(steps.slice(0, 4))).toEqual(["transaction", "tier"]);
    for (let i = 1; i < steps.length; i++) expect(steps[i - 1]!.at <= steps[i]!.at).toBe(true);
  });

  it("path and edges of someone who got a rebate", () => {
    const { doc, result } = run(tieredDoc);
    const u3 = timelineOf(result, doc.id, "u3");
    // Two transactions: the first in the 5 % tier, the second in the 3 % one.
    expect(pathOf(u3)).toEqual([
      "transaction",
      "tier",
      "rebate_5",
      "notify_5",
      "transaction",
      "tier",
      "rebate_3",
      "notify_3",
    ]);
    expect(pathEdges(u3, doc)).toEqual(["e1", "e2", "e4", "e3", "e5"]);
    const reward = u3.find((s) => s.kind === "reward")!;
    expect(whyOf(reward, fmt).values.amount).toMatch(/ CNY$/);
  });

  it("waits show until when, in the run's own order; conversions have no node", () => {
    const { doc, result } = run(winBackDoc);
    const u2 = timelineOf(result, doc.id, "u2");
    // u2 comes back during the first wait (exit criterion "returned"), then enters again later.
    expect(u2.slice(0, 5).map((s) => s.kind)).toEqual(["enter", "move", "wait", "exit", "enter"]);
    expect(whyOf(u2[2]!, fmt)).toEqual({ key: "sim.why.waitUntil", values: { until: "2026-11-16T02:00:00.000Z" } });
    expect(whyOf(u2[3]!, fmt)).toEqual({ key: "sim.why.exit", values: { reason: "returned" } });
    expect(pathOf(u2.slice(0, 4))).toEqual(["login", "silent_15"]);
    expect(pathOf(u2).slice(0, 3)).toEqual(["login", "silent_15", "login"]);
    const u3 = peopleOf(result, doc.id).find((p) => p.userId === "u3")!;
    expect(u3.converted).toBe(true);
  });
});

describe("coupon, wallet and level effects in words", () => {
  const couponDoc = () => run(couponDoc0).doc;
  const say = async (step: Step, lang: "en" | "zh-CN") => {
    await i18n.changeLanguage(lang);
    const why = whyOf(step, whyFormat(couponDoc(), lang));
    return i18n.t(why.key, why.values);
  };
  const stepOf = (e: Step["record"]): Step => ({ at: e.at, nodeId: e.nodeId, kind: e.kind, record: e });
  afterAll(() => i18n.changeLanguage("en"));

  it("says which coupon was redeemed or lapsed, with its value and when it was granted", async () => {
    const { doc, result } = run(couponDoc0);
    const closes = result.effects.filter((e) => e.kind === "coupon_redeem" || e.kind === "coupon_expire");
    // The sample's stream: five of the ten CART20 coupons redeemed, five lapsed (engine/src/report/coupons.test.ts).
    expect(closes.filter((e) => e.kind === "coupon_redeem")).toHaveLength(5);
    expect(closes.filter((e) => e.kind === "coupon_expire")).toHaveLength(5);
    const redeemed = stepOf(closes.find((e) => e.kind === "coupon_redeem")!);
    const lapsed = stepOf(closes.find((e) => e.kind === "coupon_expire")!);
    const at = (iso: string, lang: "en" | "zh-CN") => formatDate(iso, doc.timeZone, lang);
    const issued = (s: Step) => (s.record as { issuedAt: string }).issuedAt;
    expect(await say(redeemed, "en")).toBe(`Coupon CART20 (¥20.00) redeemed (granted ${at(issued(redeemed), "en")})`);
    expect(await say(redeemed, "zh-CN")).toBe(
      `优惠券 CART20 (¥20.00) 已核销（发放于 ${at(issued(redeemed), "zh-CN")}）`,
    );
    expect(await say(lapsed, "en")).toBe(
      `Coupon CART20 (¥20.00) expired unredeemed (granted ${at(issued(lapsed), "en")})`,
    );
    expect(await say(lapsed, "zh-CN")).toBe(
      `优惠券 CART20 (¥20.00) 未核销，已过期（发放于 ${at(issued(lapsed), "zh-CN")}）`,
    );
  });

  it("says points expiries, wallet redemptions and level changes in words, never as a bare kind", async () => {
    const base = { at: "2026-12-01T02:00:00.000Z", userId: "u1", journeyId: "", version: 0, nodeId: null };
    const records = [
      { ...base, kind: "expire", lot: "g1", points: 300, balance: 1200, detail: "" },
      {
        ...base,
        kind: "spend",
        key: "k1",
        points: 500,
        item: "coffee",
        balance: 700,
        lots: [{ lot: "g1", points: 500 }],
      },
      { ...base, kind: "spend_refused", key: "k2", points: 5000, item: "phone", balance: 700, detail: "" },
      { ...base, kind: "level", from: "silver", to: "gold", xp: 1500, detail: "" },
    ].map((r) => stepOf(EffectRecord.parse(r)));
    const en = [];
    const zh = [];
    for (const r of records) en.push(await say(r, "en"));
    for (const r of records) zh.push(await say(r, "zh-CN"));
    expect(en).toEqual([
      "300 points expired, oldest grant first: balance 1,200 points",
      "Redeemed 500 points for “coffee”: balance 700 points",
      "Redeem of 5,000 points for “phone” refused: the balance is 700 points",
      "Growth level changed from silver to gold (1500 xp in the window)",
    ]);
    expect(zh).toEqual([
      "300 积分已过期（先到期的先扣）：余额 1,200 积分",
      "兑换「coffee」，扣除 500 积分：余额 700 积分",
      "兑换「phone」被拒绝：需要 5,000 积分，余额只有 700 积分",
      "成长等级由 silver 变为 gold（窗口内 1500 经验值）",
    ]);
    for (const r of records) expect(whyOf(r, fmt).key).not.toBe("sim.why.other");
  });
});
