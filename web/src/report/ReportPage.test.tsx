import { DraftJourney } from "@lifeloop/shared";
import { configure, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import abDoc from "../../../samples/journeys/ab-onboarding.json";
import activationDoc from "../../../samples/journeys/activation-newcomer-gift.json";
import i18n from "../i18n/index.ts";
import { SAMPLES } from "../panels/samples.ts";
import { useOverlay } from "../store/overlay.ts";
import { abReport } from "./fixture.ts";
import { defaultPath, funnelFromNodes, overlayFromReport, verdictWords } from "./model.ts";
import { defaultSample, parseJsonl, ReportPage } from "./ReportPage.tsx";

const fetchMock = vi.fn<typeof fetch>();
// Charts render for real (recharts in happy-dom): on a busy machine a report takes seconds to draw.
configure({ asyncUtilTimeout: 8000 });

function detail(liveVersion: number | null) {
  return {
    id: "ab-onboarding",
    name: abDoc.name,
    status: liveVersion === null ? "draft" : "live",
    liveVersion,
    document: abDoc,
    issues: [],
    cost: null,
  };
}
const version = (n: number, live: boolean) => ({
  journeyId: "ab-onboarding",
  version: n,
  publishedAt: "2026-11-01T00:00:00Z",
  publishedBy: "ops",
  note: "",
  inFlight: "keep",
  draftRevision: n,
  cost: {},
  warnings: 0,
  live,
});

/** Answers by address: the journey, its versions, reports and funnels. */
function routes(liveVersion: number | null, report = abReport()) {
  fetchMock.mockImplementation(async (input) => {
    const url = String(input);
    if (url === "/v1/journeys/ab-onboarding") return Response.json(detail(liveVersion));
    if (url === "/v1/journeys/ab-onboarding/versions")
      return Response.json({ items: [version(2, true), version(1, false)] });
    if (url.startsWith("/v1/journeys/ab-onboarding/report/simulate"))
      return Response.json({ ...report, source: "simulation", version: null });
    if (url.startsWith("/v1/journeys/ab-onboarding/report")) return Response.json(report);
    if (url.startsWith("/v1/journeys/ab-onboarding/funnel"))
      return Response.json({ journeyId: "ab-onboarding", version: null, steps: [] });
    return Response.json({ error: { code: "not_found", message: `no route ${url}` } }, { status: 404 });
  });
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
  fetchMock.mockReset();
  vi.stubGlobal("fetch", fetchMock);
  useOverlay.getState().set(null);
  window.location.hash = "#/journeys/ab-onboarding/report";
});
afterEach(() => vi.unstubAllGlobals());

const calls = () => fetchMock.mock.calls.map(([u, init]) => `${init?.method ?? "GET"} ${String(u)}`);

describe("ReportPage", () => {
  it("for a draft journey: waits on a simulation of its sample, runs it on request", async () => {
    routes(null);
    render(<ReportPage journeyId="ab-onboarding" />);
    await screen.findByTestId("report-empty");
    expect((screen.getByTestId("report-source") as HTMLSelectElement).value).toBe("simulation");
    expect((screen.getByTestId("report-sample") as HTMLSelectElement).value).toBe(defaultSample("ab-onboarding"));
    expect(calls()).toEqual(["GET /v1/journeys/ab-onboarding"]);

    fireEvent.click(screen.getByTestId("report-run"));
    await waitFor(() => expect(screen.getByTestId("report-entered").textContent).toBe("1,240"));
    const [url, init] = fetchMock.mock.calls[1]!;
    expect(url).toBe("/v1/journeys/ab-onboarding/report/simulate");
    expect(init!.method).toBe("POST");
    expect(JSON.parse(String(init!.body))).toEqual({ sample: defaultSample("ab-onboarding") });
    expect(screen.getByTestId("report-meta").textContent).toContain("Simulated");
    expect(screen.getByTestId("verdict-strategy").textContent).toContain('Ship "Bonus points".');

    // Weekly cohorts: the report is asked again, by week.
    fireEvent.change(screen.getByTestId("report-cohort"), { target: { value: "week" } });
    await waitFor(() => expect(calls()).toContain("POST /v1/journeys/ab-onboarding/report/simulate?cohort=week"));
  });

  it("breaks the report down by a profile attribute: asks with ?by=, shows each group, in en and zh-CN", async () => {
    const arm = (a: string, entered: number, converted: number, lift: [number, number, number] | null) => ({
      arm: a,
      control: a === "control",
      entered,
      converted,
      rate: converted / entered,
      lift: lift && { absolute: lift[0], relative: null, ci95: [lift[1], lift[2]], pValue: 0.04 },
      anytime: null,
    });
    const group = (value: string, entered: number, converted: number) => ({
      value,
      totals: { entered, converted, rate: converted / entered, ci95: [0.1, 0.3], active: 0 },
      nodes: {},
      spend: { total: { points: 200 * entered }, grants: entered },
      experiments: [
        {
          nodeId: "strategy",
          key: "onboarding_2026q4",
          arms: [arm("bonus", 40, 12, [0.05, -0.01, 0.11]), arm("control", 10, 2, null)],
        },
      ],
    });
    const broken = abReport((r) => {
      Object.assign(r, { breakdown: { by: "nickname", groups: [group("amy", 50, 14), group("(other)", 30, 5)] } });
    });
    routes(null, broken);
    render(<ReportPage journeyId="ab-onboarding" />);
    await screen.findByTestId("report-empty");
    fireEvent.click(screen.getByTestId("report-run"));
    await screen.findByTestId("report-entered");
    const by = screen.getByTestId("report-by") as HTMLSelectElement;
    expect([...by.options].map((o) => o.value)).toEqual(["", "acquisition_channel", "channel", "nickname"]);
    fireEvent.change(by, { target: { value: "nickname" } });
    await waitFor(() => expect(calls()).toContain("POST /v1/journeys/ab-onboarding/report/simulate?by=nickname"));
    const row = await screen.findByTestId("group-amy");
    expect([...row.querySelectorAll("td")].map((td) => td.textContent)).toEqual([
      "amy",
      "50",
      "14",
      "28.0%",
      "10.0% – 30.0%",
      "10,000 points",
    ]);
    expect(screen.getByTestId("group-(other)").textContent).toContain("other / not set");
    expect(screen.getByTestId("group-arm-amy-bonus").textContent).toContain("+5.0 (-1.0 to +11.0)");
    await i18n.changeLanguage("zh-CN");
    await waitFor(() => expect(screen.getByTestId("section-groups").textContent).toContain("按 nickname 分组"));
    expect(screen.getByTestId("group-arm-amy-control").textContent).toContain("对照组");
  });

  it("for a live journey: loads the live report of every version, then one version on request", async () => {
    routes(2);
    render(<ReportPage journeyId="ab-onboarding" />);
    await waitFor(() => expect(screen.getByTestId("report-converted").textContent).toBe("287"));
    expect(calls()).toContain("GET /v1/journeys/ab-onboarding/report");
    expect((screen.getByTestId("report-source") as HTMLSelectElement).value).toBe("live");
    await waitFor(() => expect(screen.getByTestId("report-version").querySelectorAll("option")).toHaveLength(3));
    expect(screen.getByTestId("report-version").textContent).toContain("v2 (live)");

    fireEvent.change(screen.getByTestId("report-version"), { target: { value: "1" } });
    fireEvent.click(screen.getByTestId("report-run"));
    await waitFor(() => expect(calls()).toContain("GET /v1/journeys/ab-onboarding/report?version=1"));

    // A failed run takes the earlier figures away with it. The engine goes away for report requests
    // only (the page also asks for a funnel as it draws a report; that one must not take the 502).
    await waitFor(() => expect((screen.getByTestId("report-run") as HTMLButtonElement).disabled).toBe(false));
    const answer = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation(async (input, init) =>
      String(input).startsWith("/v1/journeys/ab-onboarding/report")
        ? Response.json(
            { error: { code: "engine_unreachable", message: "the engine at http://127.0.0.1:8788 did not answer" } },
            { status: 502 },
          )
        : answer(input, init),
    );
    fireEvent.click(screen.getByTestId("report-run"));
    await waitFor(() =>
      expect(screen.getByTestId("report-error").textContent).toContain(
        "the engine at http://127.0.0.1:8788 did not answer",
      ),
    );
    expect(screen.queryByTestId("report-view")).toBeNull();
  });

  it("sends an uploaded JSONL stream's events, and names the line of a broken one", async () => {
    routes(null);
    render(<ReportPage journeyId="ab-onboarding" />);
    await screen.findByTestId("report-empty");
    const good = new File(
      [
        '{"type":"registered","userId":"u1","at":"2026-11-01T00:00:00Z"}\n\n' +
          '{"type":"first_investment","userId":"u1","at":"2026-11-02T00:00:00Z"}\n',
      ],
      "mine.jsonl",
    );
    fireEvent.change(screen.getByTestId("report-upload"), { target: { files: [good] } });
    await waitFor(() => expect(screen.getByTestId("report-sample").textContent).toContain("Uploaded: mine.jsonl"));
    fireEvent.click(screen.getByTestId("report-run"));
    await screen.findByTestId("report-entered");
    const body = JSON.parse(String(fetchMock.mock.calls[1]![1]!.body)) as { events: Array<{ type: string }> };
    expect(body.events.map((e) => e.type)).toEqual(["registered", "first_investment"]);

    const bad = new File(['{"type":"registered"}\n{oops\n'], "bad.jsonl");
    fireEvent.change(screen.getByTestId("report-upload"), { target: { files: [bad] } });
    await waitFor(() => expect(screen.getByTestId("report-error").textContent).toContain("bad.jsonl: line 2"));
  });

  it("shows the API's failure with its issues", async () => {
    routes(null);
    render(<ReportPage journeyId="ab-onboarding" />);
    await screen.findByTestId("report-empty");
    fetchMock.mockResolvedValueOnce(
      Response.json(
        {
          error: {
            code: "invalid_journey",
            message: "the draft does not compile",
            issues: [{ path: "nodes[1].params.arms", nodeId: "strategy", message: "weights must add up to 100" }],
          },
        },
        { status: 422 },
      ),
    );
    fireEvent.click(screen.getByTestId("report-run"));
    await waitFor(() => expect(screen.getByTestId("report-error").textContent).toContain("the draft does not compile"));
    expect(screen.getByTestId("report-issues").textContent).toContain("weights must add up to 100");
    expect(screen.getByTestId("issue-node-strategy")).toBeTruthy();
  });

  it("puts the numbers on the canvas and opens the editor", async () => {
    routes(2);
    render(<ReportPage journeyId="ab-onboarding" />);
    await screen.findByTestId("report-entered");
    fireEvent.click(screen.getByTestId("report-show-canvas"));
    const o = useOverlay.getState().overlay!;
    expect(o.source).toBe("live");
    expect(o.nodes.bonus_points).toEqual({ count: 555, detail: "3 here" });
    expect(o.nodes.registered!.count).toBe(1240);
    expect(window.location.hash).toBe("#/journeys/ab-onboarding");
  });

  it("says where loading the journey failed", async () => {
    fetchMock.mockResolvedValue(
      Response.json({ error: { code: "not_found", message: "journey ab-onboarding not found" } }, { status: 404 }),
    );
    render(<ReportPage journeyId="ab-onboarding" />);
    await waitFor(() =>
      expect(screen.getByTestId("report-load-error").textContent).toContain("journey ab-onboarding not found"),
    );
  });
});

describe("report logic", () => {
  it("takes the main path from the trigger: the first connected branch, up to the goal", () => {
    expect(defaultPath(DraftJourney.parse(abDoc))).toEqual(["registered", "strategy", "tour_push"]);
    expect(defaultPath(DraftJourney.parse(activationDoc))).toEqual(["registered", "wait_invest", "activated"]);
    expect(defaultPath({ nodes: [], edges: [] })).toEqual([]);
  });

  it("computes a funnel from per-node counts", () => {
    expect(funnelFromNodes(abReport(), ["registered", "strategy", "bonus_points", "bonus_push"])).toEqual([
      { nodeId: "registered", count: 1240, rateFromPrevious: null, rateFromStart: 1 },
      { nodeId: "strategy", count: 1240, rateFromPrevious: 1, rateFromStart: 1 },
      { nodeId: "bonus_points", count: 555, rateFromPrevious: 555 / 1240, rateFromStart: 555 / 1240 },
      { nodeId: "bonus_push", count: 552, rateFromPrevious: 552 / 555, rateFromStart: 552 / 1240 },
    ]);
  });

  it("draws reached on each node's badge and people there as its detail", () => {
    const o = overlayFromReport(abReport(), (n) => `${n} here`);
    expect(o.nodes.strategy).toEqual({ count: 1240 });
    expect(o.nodes.bonus_points).toEqual({ count: 555, detail: "3 here" });
    expect(o.edges).toEqual({});
  });

  it("picks the best arm when the verdict names none", () => {
    const x = abReport((r) => (r.experiments[0]!.verdict = { status: "no_difference", arm: null, minPerArm: 100 }))
      .experiments[0]!;
    expect(verdictWords(x, (a) => a).values.arm).toBe("bonus");
  });

  it("prefers the journey's month-long sample stream", () => {
    expect(defaultSample("ab-onboarding", ["ab-onboarding", "ab-onboarding-month", "win-back"])).toBe(
      "ab-onboarding-month",
    );
    expect(defaultSample("win-back", ["ab-onboarding", "win-back"])).toBe("win-back");
    expect(defaultSample("new", ["ab-onboarding"])).toBe("ab-onboarding");
    expect(SAMPLES).toContain("ab-onboarding");
  });

  it("reads JSONL line by line", () => {
    expect(parseJsonl('{"a":1}\n\n{"b":2}\r\n')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(() => parseJsonl('{"a":1}\nnope')).toThrow(/^line 2: /);
  });
});
