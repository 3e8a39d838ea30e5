/**
 * The coupon section and a paced budget's pace line, drawn from what the real API answers for the
 * coupon-expiry and paced-coupons samples (engine/src/report/coupons.test.ts and pace.test.ts work
 * the same figures out from the streams).
 */
import { DraftJourney, type JourneyReport } from "@lifeloop/shared";
import { configure, render, screen, within } from "@testing-library/react";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import couponDoc from "../../../../samples/journeys/coupon-expiry.json";
import pacedDoc from "../../../../samples/journeys/paced-coupons.json";
import i18n from "../../i18n/index.ts";
import type { Doc } from "../../store/editor.ts";
import { startTestApi, type TestApi } from "../../testing/api-server.ts";
import { Coupons } from "./Coupons.tsx";
import { Spend } from "./Spend.tsx";

configure({ asyncUtilTimeout: 8000 });
let api: TestApi;
let coupons: JourneyReport;
let paced: JourneyReport;
beforeAll(async () => {
  api = await startTestApi();
  coupons = await api.reportSample("coupon-expiry", "2026-12-20T00:00:00Z");
  paced = await api.reportSample("paced-coupons");
}, 60_000);
afterAll(() => api?.close());
beforeEach(() => i18n.changeLanguage("en"));

const text = (id: string) => screen.getByTestId(id).textContent;
const ROW = "coupon-coupon-CNY";

describe("the coupon section", () => {
  it("gives each coupon node's figures, money in yuan and the rate in percent", () => {
    const doc = DraftJourney.parse(couponDoc) as Doc;
    const node = coupons.coupons[0]!;
    expect(`coupon-${node.nodeId}-${node.unit}`).toBe(ROW);
    render(<Coupons report={coupons} doc={doc} lang="en" />);
    expect(
      ["issued", "redeemed", "expired", "open", "rate", "median", "cost", "per-redeemed"].map((k) =>
        text(`${ROW}-${k}`),
      ),
    ).toEqual(["10", "5", "5", "0", "50.0%", "1.1 d", "¥200.00", "¥40.00"]);
    expect(screen.getByTestId("coupons-chart").querySelector(".recharts-surface")).not.toBeNull();
  });

  it("says it in Chinese, and says when a journey has no coupon", async () => {
    await i18n.changeLanguage("zh-CN");
    const { unmount } = render(<Coupons report={coupons} doc={null} lang="zh-CN" />);
    const section = screen.getByTestId("section-coupons");
    expect(within(section).getByText("核销率")).toBeDefined();
    expect(within(section).getByText("每张核销券成本")).toBeDefined();
    expect(text(`${ROW}-median`)).toBe("1.1 天");
    expect(text(`${ROW}-per-redeemed`)).toBe("¥40.00");
    unmount();
    render(<Coupons report={{ ...coupons, coupons: [] }} doc={null} lang="zh-CN" />);
    expect(text("empty-coupons")).toBe("此旅程没有优惠券。");
  });
});

describe("a paced budget in the spend section", () => {
  it("charts spend against the pace line and tables each local day in yuan", () => {
    render(<Spend report={paced} doc={DraftJourney.parse(pacedDoc) as Doc} lang="en" />);
    expect(screen.getByTestId("pace-deposit_nov-chart").querySelector(".recharts-surface")).not.toBeNull();
    const rows = within(screen.getByTestId("pace-deposit_nov")).getAllByTestId(/^pace-deposit_nov-\d{4}-/);
    expect(rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent))).toEqual([
      ["2026-11-01", "¥10.00", "¥10.00", "¥10.00", "¥10.00"],
      ["2026-11-02", "¥10.00", "¥10.00", "¥20.00", "¥20.00"],
      ["2026-11-03", "¥10.00", "¥5.00", "¥30.00", "¥25.00"],
      ["2026-11-04", "¥12.50", "¥10.00", "¥37.50", "¥35.00"],
      ["2026-11-05", "¥15.00", "¥15.00", "¥50.00", "¥50.00"],
    ]);
    expect(text("pace-deposit_nov")).toContain("Spent evenly");
  });

  it("says it in Chinese", async () => {
    await i18n.changeLanguage("zh-CN");
    render(<Spend report={paced} doc={null} lang="zh-CN" />);
    expect(text("pace-deposit_nov")).toContain("预算 deposit_nov：实际花费与匀速线");
    expect(text("pace-deposit_nov")).toContain("匀速线（此前已花 + 当日额度）");
  });
});
