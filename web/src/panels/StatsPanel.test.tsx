import { render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import type { JourneyStats } from "../api/client.ts";
import i18n from "../i18n/index.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { usePersistence } from "../store/persistence.ts";
import { overlayFromStats, StatsPanel } from "./StatsPanel.tsx";

const doc = compileJourney(tieredDoc).document as Doc;
const stats = (entered: number): JourneyStats => ({
  journeyId: doc.id,
  at: "2026-11-24T04:00:00.000Z",
  since: "2026-11-01T00:00:00.000Z",
  versions: [{ version: 1, live: true, active: 1 }],
  entered,
  active: 1,
  converted: 2,
  exited: { end_of_path: 4 },
  nodes: { transaction: { visits: entered, at: 0 }, tier: { visits: entered, at: 0 }, rebate_3: { visits: 3, at: 1 } },
});
const fetchMock = vi.fn<typeof fetch>();

beforeEach(async () => {
  await i18n.changeLanguage("en");
  useEditor.getState().load(doc, '"r1"');
  useOverlay.getState().set(null);
  usePersistence.setState({ detail: null });
  fetchMock.mockReset();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe("overlayFromStats", () => {
  it("puts visits on the badge and the people there now as its detail", () => {
    const o = overlayFromStats(stats(5), (n) => `${n} here`);
    expect(o).toEqual({
      source: "live",
      edges: {},
      nodes: { transaction: { count: 5 }, tier: { count: 5 }, rebate_3: { count: 3, detail: "1 here" } },
    });
  });
});

describe("StatsPanel", () => {
  it("shows the engine's totals, draws them on the canvas, polls, and takes them off when closed", async () => {
    // The second answer waits until the first has been checked, however slow the machine.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    fetchMock
      .mockImplementationOnce(async () => Response.json(stats(5)))
      .mockImplementation(async () => {
        await gate;
        return Response.json(stats(6));
      });
    const { unmount } = render(<StatsPanel onClose={() => {}} pollMs={40} />);
    expect((await screen.findByTestId("stats-entered")).textContent).toBe("5");
    expect(String(fetchMock.mock.calls[0]![0])).toBe("/engine/v1/journeys/tiered-rebate/stats");
    expect(screen.getByTestId("stats-converted").textContent).toBe("2");
    expect(screen.getByTestId("stats-exited").textContent).toBe("end of path: 4");
    expect(screen.getByTestId("stats-node-at-rebate_3").textContent).toBe("1");
    await waitFor(() => expect(useOverlay.getState().overlay?.nodes.rebate_3).toEqual({ count: 3, detail: "1 here" }));

    release();
    await waitFor(() => expect(screen.getByTestId("stats-entered").textContent).toBe("6"));
    expect(fetchMock.mock.calls.length).toBeGreaterThanOrEqual(2);
    await waitFor(() => expect(useOverlay.getState().overlay?.nodes.transaction?.count).toBe(6));

    unmount();
    expect(useOverlay.getState().overlay).toBeNull();
    const calls = fetchMock.mock.calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(fetchMock.mock.calls.length).toBe(calls);
  });

  it("says the journey is not live when the engine runs no version of it", async () => {
    fetchMock.mockImplementation(async () =>
      Response.json({ error: { code: "not_found", message: "the engine runs no published version" } }, { status: 404 }),
    );
    render(<StatsPanel onClose={() => {}} />);
    const problem = await screen.findByTestId("stats-problem");
    expect(problem.dataset.kind).toBe("not_live");
    expect(problem.textContent).toContain("publish it");
    expect(useOverlay.getState().overlay).toBeNull();
  });

  it("says the engine is not reachable when nothing answers", async () => {
    fetchMock.mockImplementation(async () => {
      throw new TypeError("Failed to fetch");
    });
    render(<StatsPanel onClose={() => {}} />);
    const problem = await screen.findByTestId("stats-problem");
    expect(problem.dataset.kind).toBe("unreachable");
    expect(problem.textContent).toContain("not reachable");
    expect(problem.textContent).toContain("Failed to fetch");
  });

  it("a proxy error (the sidecar is down behind vite) is also 'not reachable'", async () => {
    fetchMock.mockImplementation(async () => new Response("", { status: 502, statusText: "Bad Gateway" }));
    render(<StatsPanel onClose={() => {}} />);
    expect((await screen.findByTestId("stats-problem")).dataset.kind).toBe("unreachable");
  });
});
