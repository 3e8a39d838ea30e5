import { IncrementalityReport } from "@lifeloop/shared";
import { render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import i18n from "../../i18n/index.ts";
import { Incrementality, IncrementalityView } from "./Incrementality.tsx";

/** The holdout sample's report (docs/reports.md, "Incrementality"), as the engine answers it. */
const figures = (e: [number, number], h: [number, number], lift: [number, number, number], cost: number) => ({
  exposed: { people: e[1], converted: e[0], rate: e[0] / e[1] },
  heldOut: { people: h[1], converted: h[0], rate: h[0] / h[1] },
  absoluteLift: { value: lift[0], low: lift[1], high: lift[2] },
  relativeLift: { value: e[0] / e[1] / (h[0] / h[1]) - 1, low: 0.3185, high: 2.468 },
  incrementalConversions: lift[0] * e[1],
  cost: [{ unit: "CNY", amount: 5000 * e[1], perIncrementalConversion: cost }],
});
const sample = IncrementalityReport.parse({
  source: "live",
  generatedAt: "2026-12-18T10:13:00.000Z",
  from: null,
  to: "2026-12-18T10:13:00.000Z",
  holdout: { salt: "workspace-2026q4", shareBp: 1000, journeys: "all" },
  method: "Per journey, people counted once … Newcombe's hybrid score 95 % interval …",
  overall: figures([483, 1926], [35, 234], [0.1012, 0.0465, 0.1459], 29_832),
  journeys: [
    {
      journeyId: "first-order-discount",
      goal: "order_placed",
      ...figures([264, 963], [15, 117], [0.1459, 0.0684, 0.2028], 34_261),
    },
  ],
});

const fetchMock = vi.fn<typeof fetch>();
beforeEach(async () => {
  await i18n.changeLanguage("en");
  fetchMock.mockReset();
  vi.stubGlobal("fetch", fetchMock);
  window.localStorage.setItem("lifeloop.apiKey", "llk_test");
});
afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

const text = (id: string) => screen.getByTestId(id).textContent;

describe("the incrementality section", () => {
  it("shows rates in percent, the lift in points with its interval, and money in major units", () => {
    render(<IncrementalityView data={sample} journeyId="first-order-discount" lang="en" />);
    expect(text("incrementality-holdout")).toContain("10% of people held out");
    expect(text("incrementality-journey")).toContain("264 / 963 · 27.4%");
    expect(text("incrementality-journey")).toContain("15 / 117 · 12.8%");
    expect(text("incrementality-journey-lift")).toBe("+14.6 pt [6.8, 20.3]");
    expect(text("incrementality-journey-cost")).toBe("¥342.61");
    expect(text("incrementality-overall-cost")).toBe("¥298.32");
    expect(text("incrementality-journey")).toContain("+114% [32%, 247%]");
  });

  it("says it in Chinese", async () => {
    await i18n.changeLanguage("zh-CN");
    render(<IncrementalityView data={sample} journeyId="first-order-discount" lang="zh-CN" />);
    expect(text("incrementality-holdout")).toContain("留出 10% 的用户");
    expect(text("incrementality-journey-lift")).toBe("+14.6 个百分点 [6.8, 20.3]");
    expect(screen.getByText("本旅程")).toBeDefined();
    expect(screen.getByText(/Newcombe 混合得分/)).toBeDefined();
  });

  it("says when there is no holdout, or the journey is not in it", () => {
    const { unmount } = render(
      <IncrementalityView data={{ ...sample, holdout: null }} journeyId="first-order-discount" lang="en" />,
    );
    expect(text("empty-incrementality")).toContain("No workspace holdout");
    unmount();
    render(<IncrementalityView data={sample} journeyId="win-back" lang="en" />);
    expect(text("empty-incrementality-journey")).toContain("does not cover this journey");
    expect(screen.queryByTestId("incrementality-journey")).toBeNull();
    expect(text("incrementality-overall-lift")).toBe("+10.1 pt [4.7, 14.6]");
  });

  it("asks the API for the live report", async () => {
    fetchMock.mockResolvedValue(Response.json(sample));
    render(<Incrementality journeyId="first-order-discount" lang="en" />);
    await waitFor(() => expect(text("incrementality-journey-cost")).toBe("¥342.61"));
    expect(String(fetchMock.mock.calls[0]![0])).toMatch(/\/v1\/reports\/incrementality$/);
  });
});
