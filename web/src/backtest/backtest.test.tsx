import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import i18n from "../i18n/index.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import type { BacktestResult } from "../api/client.ts";
import { SimulatePanel } from "../panels/SimulatePanel.tsx";
import { startTestApi, type TestApi } from "../testing/api-server.ts";
import { BacktestSummary } from "./BacktestSummary.tsx";
import { percentOfBp } from "./BacktestFacts.tsx";

const compiled = compileJourney(tieredDoc);
const doc = compiled.document as Doc;
const POOL = compiled.executable!.budgets.rebate_pool!;

/**
 * What the API answers for a backtest: the simulation of the sample stream, asked of the real API, with the
 * fields a backtest adds. (api/src/routes/backtest.test.ts shows a backtest answers exactly the simulation of the
 * recorded events; here the panel's side is tested.)
 */
let api: TestApi;
let answer: BacktestResult;
beforeAll(async () => {
  api = await startTestApi();
  const simulated = await api.simulateSample(doc.id);
  const rewards = simulated.effects.filter((e) => e.kind === "reward");
  const spent = rewards.reduce((sum, e) => sum + (e.kind === "reward" ? (e.reward.amount ?? 0) : 0), 0);
  answer = {
    ...simulated,
    window: { from: "2026-11-25T00:00:00.000Z", until: "2026-12-02T00:00:00.000Z" },
    replayed: simulated.stats.events,
    truncated: false,
    budgets: [
      {
        budgetId: "rebate_pool",
        unit: POOL.unit,
        amount: POOL.amount,
        spent,
        grants: rewards.length,
        refused: 0,
        shareBp: Math.floor((spent * 10_000) / POOL.amount),
      },
    ],
  };
}, 60_000);
afterAll(() => api?.close());

const fetchMock = vi.fn<typeof fetch>();
beforeEach(async () => {
  await i18n.changeLanguage("en");
  useEditor.getState().load(doc, '"r1"');
  useOverlay.getState().set(null);
  fetchMock.mockReset();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const sentBody = (n: number) => {
  const [url, init] = fetchMock.mock.calls[n]!;
  return { url, body: JSON.parse(String(init!.body)) as unknown };
};

describe("the Simulate panel's recorded source", () => {
  it("offers the last days of real events beside the samples, and backtests the days asked for", async () => {
    fetchMock.mockImplementation(async () => Response.json(answer));
    render(<SimulatePanel onClose={() => {}} />);
    const select = screen.getByTestId("simulate-sample") as HTMLSelectElement;
    expect(screen.queryByTestId("simulate-days")).toBeNull();
    fireEvent.change(select, { target: { value: "_recorded" } });
    const days = screen.getByTestId("simulate-days") as HTMLInputElement;
    expect(days.value).toBe("7");
    // The window's end is the engine's log's now: no "until" to type.
    expect(screen.getByTestId("simulate-until").closest("label")!.hidden).toBe(true);

    for (const bad of ["0", "31", "2.5", ""]) {
      fireEvent.change(days, { target: { value: bad } });
      expect((screen.getByTestId("simulate-run") as HTMLButtonElement).disabled, bad).toBe(true);
    }
    fireEvent.change(days, { target: { value: "3" } });
    fireEvent.click(screen.getByTestId("simulate-run"));
    await waitFor(() => expect(screen.getByTestId("sim-entered").textContent).toBe("7"));
    expect(sentBody(0)).toEqual({ url: "/v1/journeys/tiered-rebate/backtest", body: { days: 3 } });

    // The simulation's totals, and what the backtest adds: the window (in the journey's time zone) and the budget.
    expect(screen.getByTestId("sim-cost").textContent).toContain("¥2,540.03");
    expect(screen.getByTestId("backtest-window").textContent).toBe(
      `Replayed ${answer.replayed} recorded events from 2026-11-25 08:00 to 2026-12-02 08:00`,
    );
    expect(screen.queryByTestId("backtest-truncated")).toBeNull();
    const budget = answer.budgets[0]!;
    expect(screen.getByTestId("backtest-budget-rebate_pool").textContent).toBe(
      `rebate_pool: ¥2,540.03 of ¥1,000,000.00 (${percentOfBp(budget.shareBp)} %)`,
    );
  });

  it("says when the window was cut short, in Chinese too", async () => {
    await i18n.changeLanguage("zh-CN");
    fetchMock.mockImplementation(async () => Response.json({ ...answer, replayed: 5, truncated: true }));
    render(<SimulatePanel onClose={() => {}} />);
    fireEvent.change(screen.getByTestId("simulate-sample"), { target: { value: "_recorded" } });
    fireEvent.click(screen.getByTestId("simulate-run"));
    expect((await screen.findByTestId("backtest-truncated")).textContent).toBe(
      "该时间段的事件超过回测上限：只回放了前 5 个。",
    );
    expect(sentBody(0).body).toEqual({ days: 7 });
  });

  it("writes basis points as a percent in integers", () => {
    expect([0, 5, 2540, 10_000].map(percentOfBp)).toEqual(["0.00", "0.05", "25.40", "100.00"]);
  });
});

describe("the publish dialog's backtest", () => {
  it("backtests the last 7 days on request and sums up entries, conversions and the cost in yuan", async () => {
    fetchMock.mockImplementation(async () => Response.json(answer));
    render(<BacktestSummary journeyId={doc.id} timeZone={doc.timeZone} lang="en" disabled={false} />);
    expect(fetchMock).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("publish-backtest-run"));
    await waitFor(() => expect(screen.getByTestId("publish-backtest-entered").textContent).toBe("7"));
    expect(sentBody(0)).toEqual({ url: "/v1/journeys/tiered-rebate/backtest", body: { days: 7 } });
    expect(screen.getByTestId("publish-backtest-converted").textContent).toBe("0");
    expect(screen.getByTestId("publish-backtest-cost-CNY").textContent).toBe("¥2,540.03");
  });

  it("says why when the engine does not answer", async () => {
    fetchMock.mockImplementation(async () =>
      Response.json(
        { error: { code: "engine_unreachable", message: "the engine did not answer" } },
        { status: 503, headers: { "retry-after": "5" } },
      ),
    );
    render(<BacktestSummary journeyId={doc.id} timeZone={doc.timeZone} lang="en" disabled={false} />);
    fireEvent.click(screen.getByTestId("publish-backtest-run"));
    expect((await screen.findByTestId("publish-backtest-failed")).textContent).toContain("The backtest could not run");
  });
});
