import type { Catalog } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import { defaultCurrency, knownCatalog, mergeCatalogs, SAMPLES_CATALOG, undeclaredEvents } from "./known.ts";

describe("the events a journey may use with no setup", () => {
  it("knows what the samples declare, each event with its currency", () => {
    expect(SAMPLES_CATALOG.events.transaction).toMatchObject({ props: { amount: "money" }, currency: "CNY" });
    // With what people call them, for the rule builder's words.
    expect(SAMPLES_CATALOG.events.transaction?.label?.["zh-CN"]).toBe("交易");
    expect(SAMPLES_CATALOG.events.transaction?.propLabels?.amount?.["zh-CN"]).toBe("金额");
    expect(SAMPLES_CATALOG.attributeLabels?.registeredAt?.["zh-CN"]).toBe("注册时间");
    expect(SAMPLES_CATALOG.events.registered?.props).toMatchObject({ channel: "string" });
    expect(SAMPLES_CATALOG.attributes).toMatchObject({ registeredAt: "timestamp" });
  });

  it("puts the journey's own catalog over the workspace's", () => {
    const workspace = mergeCatalogs({
      currency: "CNY",
      events: { order: { props: { total: "money" } } },
      attributes: {},
    });
    const own: Catalog = {
      currency: "HKD",
      events: { order: { props: { coupon: "string" } } },
      attributes: { tier: "string" },
    };
    const known = knownCatalog(own, workspace);
    expect(known.currency).toBe("HKD");
    // Both props; the journey's currency for its own declaration.
    expect(known.events.order).toEqual({ props: { total: "money", coupon: "string" }, currency: "HKD" });
    expect(known.attributes).toEqual({ tier: "string" });
    // A blank journey sees the workspace's events, and no journey-wide currency it never chose.
    const blank = knownCatalog(undefined, workspace);
    expect(blank.events.order).toEqual({ props: { total: "money" }, currency: "CNY" });
    expect(blank.currency).toBeUndefined();
    expect(Object.keys(undeclaredEvents(own, workspace))).toEqual([]);
    expect(Object.keys(undeclaredEvents(undefined, workspace))).toEqual(["order"]);
  });

  it("starts new money in the journey's currency, else the workspace's (CNY for the samples)", () => {
    expect(defaultCurrency({ currency: "HKD", events: {}, attributes: {} })).toBe("HKD");
    expect(defaultCurrency(undefined)).toBe("CNY");
    expect(defaultCurrency({ events: {}, attributes: {} }, { events: {}, attributes: {} })).toBeUndefined();
  });
});
