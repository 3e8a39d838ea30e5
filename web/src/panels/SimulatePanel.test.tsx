import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import tieredStream from "../../../samples/events/tiered-rebate.jsonl?raw";
import i18n from "../i18n/index.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import type { SimulationResult } from "../api/client.ts";
import { startTestApi, type TestApi } from "../testing/api-server.ts";
import { SAMPLES } from "./samples.ts";
import { SimulatePanel } from "./SimulatePanel.tsx";

const compiled = compileJourney(tieredDoc);
const doc = compiled.document as Doc;

/** What the API answers for the sample: asked of the real API once, then served to the panel by the fetch stub. */
let api: TestApi;
let answer: SimulationResult;
beforeAll(async () => {
  api = await startTestApi();
  answer = await api.simulateSample(doc.id);
}, 60_000);
afterAll(() => api?.close());
const apiAnswer = () => answer;

const fetchMock = vi.fn<typeof fetch>();

beforeEach(async () => {
  await i18n.changeLanguage("en");
  useEditor.getState().load(doc, '"r1"');
  useOverlay.getState().set(null);
  fetchMock.mockReset();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe("SimulatePanel", () => {
  it("lists the sample streams and picks the one named like the journey", () => {
    expect(SAMPLES).toContain("tiered-rebate");
    expect(SAMPLES).toContain("win-back");
    render(<SimulatePanel onClose={() => {}} />);
    expect((screen.getByTestId("simulate-sample") as HTMLSelectElement).value).toBe("tiered-rebate");
  });

  it("runs the sample, shows totals and per-node counts, and draws them on the canvas", async () => {
    fetchMock.mockResolvedValue(Response.json(apiAnswer()));
    render(<SimulatePanel onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("simulate-run"));
    await waitFor(() => expect(screen.getByTestId("sim-entered").textContent).toBe("7"));

    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/v1/journeys/tiered-rebate/simulate");
    expect(JSON.parse(String(init!.body))).toEqual({ sample: "tiered-rebate" });

    expect(screen.getByTestId("sim-converted").textContent).toBe("0");
    expect(screen.getByTestId("sim-cost").textContent).toContain("¥2,540.03");
    expect(screen.getByTestId("sim-node-count-tier").textContent).toBe("7");
    expect(screen.getByTestId("sim-node-count-rebate_5").textContent).toBe("2");
    expect(screen.getByTestId("sim-node-count-rebate_3").textContent).toBe("3");

    // The panel draws on the canvas in an effect after it renders.
    await waitFor(() => expect(useOverlay.getState().overlay).not.toBeNull());
    const overlay = useOverlay.getState().overlay!;
    expect(overlay.source).toBe("simulation");
    expect(overlay.nodes.rebate_3).toEqual({ count: 3, detail: "3 granted" });
    expect(overlay.edges).toEqual({ e1: 7, e2: 2, e3: 3, e4: 2, e5: 3 });
    expect(overlay.path).toBeUndefined();
  });

  it("shows one person's timeline in the journey's time zone and highlights their path", async () => {
    fetchMock.mockResolvedValue(Response.json(apiAnswer()));
    render(<SimulatePanel onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("simulate-run"));
    fireEvent.change(await screen.findByTestId("sim-search"), { target: { value: "u3" } });
    expect(screen.queryByTestId("sim-user-u1")).toBeNull();
    fireEvent.click(screen.getByTestId("sim-user-u3"));

    const timeline = screen.getByTestId("sim-timeline");
    const steps = within(timeline).getAllByTestId("sim-step");
    expect(steps[0]!.dataset.kind).toBe("enter");
    // u3's transactions are at 14:00 and 16:30 UTC on 30 November: 22:00 that day and 00:30 the
    // next in Asia/Shanghai, where the journey's month (and its tiers) are counted.
    const enters = steps.filter((s) => s.dataset.kind === "enter").map((s) => s.querySelector("time")!.textContent);
    expect(enters).toEqual(["2026-11-30 22:00", "2026-12-01 00:30"]);
    const decide = steps.find((s) => s.dataset.kind === "decide")!;
    expect(decide.textContent).toContain("because the rules read: This month's sum of transaction amount = ¥35,000.00");
    await waitFor(() =>
      expect(useOverlay.getState().overlay!.path).toEqual([
        "transaction",
        "tier",
        "rebate_5",
        "notify_5",
        "transaction",
        "tier",
        "rebate_3",
        "notify_3",
      ]),
    );

    // Clicking the same person again lets go of the path.
    fireEvent.click(screen.getByTestId("sim-user-u3"));
    expect(screen.queryByTestId("sim-timeline")).toBeNull();
    await waitFor(() => expect(useOverlay.getState().overlay!.path).toBeUndefined());
  });

  it("lists compile errors by node when the API refuses to simulate, and a node selects it", async () => {
    fetchMock.mockResolvedValue(
      Response.json(
        {
          error: {
            code: "compile_failed",
            message: "does not compile",
            issues: [
              { path: "$.nodes[1].params.rule", nodeId: "tier", field: "params.rule", message: "unknown variable" },
            ],
          },
        },
        { status: 422 },
      ),
    );
    render(<SimulatePanel onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("simulate-run"));
    const issues = await screen.findByTestId("simulate-issues");
    expect(within(issues).getByTestId("issue").dataset.path).toBe("$.nodes[1].params.rule");
    expect(useOverlay.getState().overlay).toBeNull();
    fireEvent.click(within(issues).getByTestId("issue-node-tier"));
    expect(useEditor.getState().selection.nodes).toEqual(["tier"]);
  });

  it("says a rule went over a limit on the events (422 rule_failed), not that the draft does not compile", async () => {
    fetchMock.mockImplementation(async () =>
      Response.json(
        {
          error: {
            code: "rule_failed",
            message: 'the rule of node "tier" failed',
            issues: [
              {
                path: "$.nodes[1].params.rule.reduce[1]",
                nodeId: "tier",
                field: "params.rule",
                message: "evaluation exceeded 1000000 steps",
                code: "limit_steps",
              },
            ],
          },
        },
        { status: 422 },
      ),
    );
    render(<SimulatePanel onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("simulate-run"));
    const issues = await screen.findByTestId("simulate-issues");
    expect(screen.getByTestId("simulate-error").textContent).toContain("more work than the engine allows");
    expect(screen.getByTestId("simulate-error").textContent).not.toContain("does not compile");
    expect(within(issues).getByTestId("issue").dataset.path).toBe("$.nodes[1].params.rule.reduce[1]");
    await i18n.changeLanguage("zh-CN");
    fireEvent.click(screen.getByTestId("simulate-run"));
    await waitFor(() => expect(screen.getByTestId("simulate-error").textContent).toContain("超出了引擎允许的范围"));
  });

  it("a refused stream lists its problems under the stream, not under a node", async () => {
    fetchMock.mockResolvedValue(
      Response.json(
        {
          error: {
            code: "invalid_events",
            message: "line 2 is not an event",
            issues: [{ path: "$[1].userId", message: "event 2: Required", code: "invalid_event" }],
          },
        },
        { status: 400 },
      ),
    );
    render(<SimulatePanel onClose={() => {}} />);
    fireEvent.click(screen.getByTestId("simulate-run"));
    const issues = await screen.findByTestId("simulate-issues");
    expect(issues.querySelector("h4")!.textContent).toBe("Event stream");
    expect(within(issues).getByTestId("issue").dataset.path).toBe("$[1].userId");
    expect(screen.getByTestId("simulate-error").textContent).toContain("line 2 is not an event");
  });

  it("sends an uploaded stream as JSONL with the until given", async () => {
    fetchMock.mockResolvedValue(Response.json(apiAnswer()));
    render(<SimulatePanel onClose={() => {}} />);
    const file = new File([tieredStream], "mine.jsonl", { type: "application/x-ndjson" });
    await act(async () => {
      fireEvent.change(screen.getByTestId("simulate-upload"), { target: { files: [file] } });
    });
    await waitFor(() => expect((screen.getByTestId("simulate-sample") as HTMLSelectElement).value).toBe(""));
    fireEvent.change(screen.getByTestId("simulate-until"), { target: { value: "tomorrow" } });
    expect((screen.getByTestId("simulate-run") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId("simulate-until"), { target: { value: "2026-12-01T00:00:00+08:00" } });
    fireEvent.click(screen.getByTestId("simulate-run"));
    await screen.findByTestId("sim-entered");
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/v1/journeys/tiered-rebate/simulate?until=2026-12-01T00%3A00%3A00%2B08%3A00");
    expect((init!.headers as Record<string, string>)["content-type"]).toBe("application/x-ndjson");
    expect(init!.body).toBe(tieredStream);
  });
});
