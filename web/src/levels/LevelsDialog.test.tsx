/**
 * The levels dialog against the real API (a child process started with samples/levels.json): the
 * levels with thresholds and benefits, the xp each event earns (per ¥1.00 of an amount in fen) with
 * its daily cap, and the monthly review, in Chinese and in English; and what it says when the
 * workspace defines none.
 */
import { render, screen } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { KEY_STORAGE } from "../api/client.ts";
import i18n from "../i18n/index.ts";
import { startTestApi, type TestApi } from "../testing/api-server.ts";
import { LevelsDialog } from "./LevelsDialog.tsx";

let withLevels: TestApi;
let without: TestApi;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  [withLevels, without] = await Promise.all([startTestApi({ levels: true }), startTestApi()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([withLevels?.close(), without?.close()]);
});
afterEach(() => vi.unstubAllGlobals());

function against(api: TestApi) {
  localStorage.setItem(KEY_STORAGE, api.keys.viewer);
  vi.stubGlobal("fetch", (url: string, init?: RequestInit) => realFetch(`${api.url}${url}`, init));
}
const text = (id: string) => screen.getByTestId(id).textContent;

describe("LevelsDialog", () => {
  it("shows the levels, the xp rules with their caps and the review in Chinese", async () => {
    await i18n.changeLanguage("zh-CN");
    against(withLevels);
    render(<LevelsDialog onClose={() => {}} />);
    await screen.findByTestId("levels-table");
    expect(text("level-bronze")).toBe("青铜会员bronze0无");
    expect(text("level-gold")).toBe("黄金会员gold5000VIP 专属客服、每月一张手续费减免券");
    expect(text("levels-rule-transaction")).toBe("交易金额每 ¥1.00 得 1 经验值每天最多 3000 经验值");
    expect(text("levels-rule-checkin")).toBe("签到每次 10 经验值每天最多 10 经验值");
    expect(text("levels-review")).toBe(
      "经验值按最近 30 天累计（Asia/Shanghai）。经验值达到门槛即刻升级；降级只在每月初评估，每月最多降级一次。",
    );
  });

  it("says the same in English", async () => {
    await i18n.changeLanguage("en");
    against(withLevels);
    render(<LevelsDialog onClose={() => {}} />);
    await screen.findByTestId("levels-table");
    expect(text("level-silver")).toBe("Silversilver1000A fee waiver coupon each month");
    expect(text("levels-rule-transaction")).toBe("transaction1 xp per ¥1.00 of amountat most 3000 xp a day");
    expect(text("levels-review")).toContain("down only at the start of each month, at most once a month.");
  });

  it("says when the workspace defines no levels", async () => {
    await i18n.changeLanguage("zh-CN");
    against(without);
    render(<LevelsDialog onClose={() => {}} />);
    expect((await screen.findByTestId("levels-none")).textContent).toBe(
      "本工作区未设置成长等级（API 的 LIFELOOP_LEVELS）。",
    );
  });
});
