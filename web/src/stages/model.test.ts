import { describe, expect, it } from "vitest";
import i18n from "../i18n/index.ts";
import { groupLabel, kpiValue, moveGrid, seriesRows, stageLabel } from "./model.ts";

const report = {
  stages: [
    { id: "acquisition", name: "Acquisition / 获客" },
    { id: "dormant", name: "Dormant / 沉睡" },
  ],
};
const t = (k: string) => i18n.t(k);
const exists = (k: string) => i18n.exists(k);

describe("the stage page's model", () => {
  it("names the five stages in the page's words, any other by its segment's name, null as no stage", async () => {
    await i18n.changeLanguage("zh-CN");
    expect(stageLabel(report, "acquisition", t, exists)).toBe("获客期");
    expect(stageLabel(report, "dormant", t, exists)).toBe("Dormant / 沉睡");
    expect(stageLabel(report, "gone", t, exists)).toBe("gone");
    expect(stageLabel(report, null, t, exists)).toBe("不在任何阶段");
    expect(groupLabel("(other)", t)).toBe("其他");
    expect(groupLabel("search_ads", t)).toBe("search_ads");
  });

  it("shows a rate in percent and a time in hours or days, nobody to count as a dash", () => {
    const base = { stage: "acquisition", numerator: 1, denominator: 3 } as const;
    expect(kpiValue({ ...base, id: "first_investment_rate", unit: "rate", value: 233 / 600 }, "en")).toBe("38.8%");
    expect(kpiValue({ ...base, id: "median_time_to_activate", unit: "ms", value: 5_400_000 }, "zh-CN")).toBe(
      "1.5 小时",
    );
    expect(kpiValue({ ...base, id: "median_time_to_activate", unit: "ms", value: 2.5 * 86_400_000 }, "en")).toBe(
      "2.5 d",
    );
    expect(kpiValue({ ...base, id: "vip_share", unit: "rate", value: null }, "en")).toBe("—");
  });

  it("lays the moves out as a grid with no stage last, a pair not listed as nobody; the series as chart rows", () => {
    const { keys, cell } = moveGrid(report, {
      matrix: [
        { from: null, to: "acquisition", people: 7 },
        { from: "acquisition", to: "acquisition", people: 3 },
      ],
    });
    expect(keys).toEqual(["acquisition", "dormant", null]);
    expect([cell(null, "acquisition"), cell("acquisition", "acquisition"), cell("dormant", null)]).toEqual([7, 3, 0]);
    const series = [
      {
        period: "2026-11-02",
        at: "2026-11-08T16:00:00.000Z",
        counts: [
          { stage: "acquisition", people: 4 },
          { stage: null, people: 2 },
        ],
      },
    ];
    expect(seriesRows({ series })).toEqual([{ period: "2026-11-02", acquisition: 4 }]);
  });
});
