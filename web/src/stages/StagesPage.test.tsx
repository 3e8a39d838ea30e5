/**
 * The stage page against the real API (a child process, no engine): the live report is refused with a
 * 503 and the page says so and retries; the sample month is then simulated, and every figure the page
 * shows — KPI tiles, the weekly moves, the breakdown by acquisition channel — is the API's own answer to
 * the same request, fetched here beside the page. Then the same in Chinese. Then live, with a real engine
 * sidecar beside the API: nobody recorded yet (the empty state), then the month sent to the engine.
 */
import { configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { KEY_STORAGE, type StageReport } from "../api/client.ts";
import i18n from "../i18n/index.ts";
import { startTestApi, type TestApi } from "../testing/api-server.ts";
import { SAMPLE_MONTH } from "./model.ts";
import { StagesPage } from "./StagesPage.tsx";

// Charts render for real (recharts in happy-dom): on a busy machine a report takes seconds to draw.
configure({ asyncUtilTimeout: 15_000 });

let api: TestApi;
const realFetch = globalThis.fetch;
const asked: string[] = [];
const NOW = Date.parse("2026-12-01T08:00:00Z");

/** The API's answer to the simulation the page asks for, fetched directly. */
async function simulated(by?: string): Promise<StageReport> {
  const res = await realFetch(`${api.url}/v1/reports/stages/simulate`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.keys.viewer}`, "content-type": "application/json" },
    body: JSON.stringify({ ...SAMPLE_MONTH, interval: "week", ...(by ? { by } : {}) }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as StageReport;
}

beforeAll(async () => {
  api = await startTestApi();
}, 60_000);
afterAll(() => api?.close());
beforeEach(async () => {
  await i18n.changeLanguage("en");
  asked.length = 0;
  localStorage.setItem(KEY_STORAGE, api.keys.viewer);
  vi.stubGlobal("fetch", (url: string, init?: RequestInit) => {
    asked.push(`${init?.method ?? "GET"} ${url.split("?")[0]}`);
    return realFetch(`${api.url}${url}`, init);
  });
});
afterEach(() => vi.unstubAllGlobals());

const text = (id: string) => screen.getByTestId(id).textContent ?? "";

describe("StagesPage", () => {
  it("says live figures need the engine, retries, then shows the sample month as the API counts it", async () => {
    render(<StagesPage now={() => NOW} />);
    const error = await screen.findByTestId("stages-error");
    expect(error.textContent).toContain("Live figures need the engine, which is not reachable right now.");
    expect(text("stages-error-detail")).toContain("no engine is configured");
    expect(asked).toEqual(["GET /v1/reports/stages"]);
    fireEvent.click(screen.getByTestId("stages-retry"));
    await waitFor(() => expect(asked).toEqual(["GET /v1/reports/stages", "GET /v1/reports/stages"]));
    await screen.findByTestId("stages-error");

    fireEvent.click(screen.getByTestId("stages-simulate"));
    await screen.findByTestId("stages-report");
    expect(asked.at(-1)).toBe("POST /v1/reports/stages/simulate");
    expect((screen.getByTestId("stages-source") as HTMLSelectElement).value).toBe("sample");
    const expected = await simulated();
    expect(text("kpi-first_investment_rate")).toBe("38.8%");
    const card = screen.getByTestId("stage-card-acquisition");
    expect(card.textContent).toContain("Acquisition");
    expect(card.textContent).toContain("233 of 600");
    expect(text("stages-people")).toContain("600 people");
    for (const k of expected.overall.kpis) {
      const shown = text(`kpi-${k.id}`);
      if (k.unit === "rate") expect(shown).toBe(k.value === null ? "—" : `${(k.value * 100).toFixed(1)}%`);
      // A time in days here: the sample's people take days to invest.
      else expect(shown).toBe(k.value === null ? "—" : `${(k.value / 86_400_000).toFixed(1)} d`);
    }
    // Every move of the window, as the API summed it; a pair the API does not list is nobody.
    const ids = [...expected.stages.map((s) => s.id), "none"];
    let total = 0;
    for (const from of ids)
      for (const to of ids) {
        const m = expected.overall.matrix.find((x) => (x.from ?? "none") === from && (x.to ?? "none") === to);
        expect(text(`move-${from}-${to}`), `${from} → ${to}`).toBe((m?.people ?? 0).toLocaleString("en-US"));
        total += m?.people ?? 0;
      }
    expect(total).toBe(expected.overall.matrix.reduce((s, m) => s + m.people, 0));
    expect(screen.queryByTestId("stages-groups")).toBeNull();
  }, 60_000);

  it("breaks the KPIs down by acquisition channel, group by group as the API counts them", async () => {
    render(<StagesPage now={() => NOW} />);
    await screen.findByTestId("stages-error");
    fireEvent.click(screen.getByTestId("stages-simulate"));
    await screen.findByTestId("stages-report");
    fireEvent.change(screen.getByTestId("stages-by"), { target: { value: "acquisition_channel" } });
    const groups = await screen.findByTestId("stages-groups");
    expect(within(groups).getByRole("heading").textContent).toBe("Acquisition channel: each group’s KPIs");
    expect(text("group-referral-first_investment_rate")).toBe("46.0%138 of 300");
    expect(text("group-search_ads-first_investment_rate")).toBe("31.7%95 of 300");
    expect(text("group-overall-people")).toBe("600");
    const expected = await simulated("acquisition_channel");
    for (const g of expected.groups) {
      expect(text(`group-${g.value}-people`)).toBe(String(g.figures.people));
      for (const k of g.figures.kpis.filter((x) => x.unit === "rate"))
        expect(text(`group-${g.value}-${k.id}`)).toBe(
          `${k.value === null ? "—" : `${(k.value * 100).toFixed(1)}%`}${k.numerator} of ${k.denominator}`,
        );
    }
    // By day: one point per local day of the month.
    fireEvent.change(screen.getByTestId("stages-interval"), { target: { value: "day" } });
    await waitFor(() => expect(screen.getAllByTestId(/^series-2026-11-\d\d-acquisition$/)).toHaveLength(30));
  }, 60_000);

  it("in Chinese: the stages, the KPIs and the 503", async () => {
    await i18n.changeLanguage("zh-CN");
    render(<StagesPage now={() => NOW} />);
    expect((await screen.findByTestId("stages-error")).textContent).toContain("实时数据需要引擎");
    fireEvent.click(screen.getByTestId("stages-simulate"));
    await screen.findByTestId("stages-report");
    expect(screen.getByTestId("stage-card-acquisition").textContent).toContain("获客期");
    expect(screen.getByTestId("stage-card-acquisition").textContent).toContain("600 人中 233 人");
    expect(screen.getByTestId("stage-card-acquisition").textContent).toContain("首投转化率");
    expect(text("kpi-first_investment_rate")).toBe("38.8%");
    expect(text("stages-people")).toContain("600 人");
  }, 60_000);
});

describe("StagesPage, live from a real engine", () => {
  let live: TestApi;
  beforeAll(async () => {
    live = await startTestApi({ engineAt: new Date(NOW).toISOString() });
  }, 60_000);
  afterAll(() => live?.close());
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    localStorage.setItem(KEY_STORAGE, live.keys.viewer);
    vi.stubGlobal("fetch", (url: string, init?: RequestInit) => realFetch(`${live.url}${url}`, init));
  });

  it("says nobody is there while the engine recorded nobody; then shows the last 28 days it recorded", async () => {
    render(<StagesPage now={() => NOW} />);
    expect(screen.getByTestId("stages-loading").textContent).toBe("Computing the stage report…");
    await screen.findByTestId("stages-empty");

    const month = resolve(import.meta.dirname, "../../../samples/events/stages-month.jsonl");
    const lines = readFileSync(month, "utf8").trim().split("\n");
    await live.sendToEngine(lines);
    fireEvent.click(screen.getByTestId("stages-refresh"));
    await screen.findByTestId("stages-report");
    expect(text("stages-meta")).toContain("Live");
    // The same question asked of the API directly: the 28 days up to now, by week, in Asia/Shanghai.
    const q = new URLSearchParams({
      from: new Date(NOW - 28 * 86_400_000).toISOString(),
      to: new Date(NOW).toISOString(),
      timeZone: "Asia/Shanghai",
      interval: "week",
    });
    const res = await realFetch(`${live.url}/v1/reports/stages?${q}`, {
      headers: { authorization: `Bearer ${live.keys.viewer}` },
    });
    expect(res.status).toBe(200);
    const expected = (await res.json()) as StageReport;
    expect(expected.overall.people).toBeGreaterThan(0);
    expect(text("stages-people")).toContain(`${expected.overall.people.toLocaleString("en-US")} people`);
    for (const k of expected.overall.kpis.filter((x) => x.unit === "rate"))
      expect(text(`kpi-${k.id}`), k.id).toBe(k.value === null ? "—" : `${(k.value * 100).toFixed(1)}%`);
  }, 90_000);
});
