import { DraftJourney } from "@lifeloop/shared";
import { act, configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import abDoc from "../../../samples/journeys/ab-onboarding.json";
import winBackDoc from "../../../samples/journeys/win-back.json";
import i18n from "../i18n/index.ts";
import type { Doc } from "../store/editor.ts";
import { blend, contrast } from "../ui/contrast.ts";
import { abReport } from "./fixture.ts";
import { ReportView } from "./ReportView.tsx";

const doc: Doc = DraftJourney.parse(abDoc);
const fetchMock = vi.fn<typeof fetch>();
// Charts render for real (recharts in happy-dom): on a busy machine a report takes seconds to draw.
configure({ asyncUtilTimeout: 8000 });

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

function funnelAnswer(path: string[], counts: number[]) {
  return Response.json({
    journeyId: "ab-onboarding",
    version: 2,
    steps: path.map((nodeId, i) => ({
      nodeId,
      count: counts[i],
      rateFromPrevious: i === 0 ? null : counts[i]! / counts[i - 1]!,
      rateFromStart: counts[i]! / counts[0]!,
    })),
  });
}

describe("ReportView", () => {
  it("shows the headline figures exactly", async () => {
    fetchMock.mockResolvedValue(funnelAnswer(["registered", "strategy", "tour_push"], [1240, 1240, 561]));
    render(<ReportView report={abReport()} doc={doc} lang="en" />);
    expect(text("report-entered")).toBe("1,240");
    expect(text("report-converted")).toBe("287");
    expect(text("report-rate")).toBe("23.1%");
    expect(text("report-active")).toBe("96");
    expect(text("report-exit-end_of_path")).toBe("857");
    expect(screen.getByTestId("report-exit-end_of_path").parentElement!.textContent).toContain("end of path");
    await waitFor(() => expect(text("funnel-count-tour_push")).toBe("561"));
  });

  it("lists every node with reached and waiting counts, in the journey's order", async () => {
    fetchMock.mockResolvedValue(funnelAnswer(["registered", "strategy", "tour_push"], [1240, 1240, 561]));
    render(<ReportView report={abReport()} doc={doc} lang="en" />);
    const rows = within(screen.getByTestId("section-nodes")).getAllByTestId(/^report-node-[a-z_]+$/);
    expect(rows.map((r) => r.dataset.testid)).toEqual([
      "report-node-registered",
      "report-node-strategy",
      "report-node-tour_push",
      "report-node-bonus_points",
      "report-node-bonus_push",
    ]);
    expect(text("report-node-reached-bonus_points")).toBe("555");
    expect(text("report-node-at-bonus_points")).toBe("3");
    // Branches as the canvas names them (the kind's labels), not by their ids.
    expect(screen.getByTestId("report-node-strategy").textContent).toContain(
      "Guided tour 45%: 561 · Bonus points 45%: 555 · Control 10%: 124",
    );
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
  });

  it("asks the funnel route for the main path, and again when a step is added", async () => {
    fetchMock.mockResolvedValueOnce(funnelAnswer(["registered", "strategy", "tour_push"], [1240, 1240, 561]));
    render(<ReportView report={abReport()} doc={doc} lang="en" />);
    await waitFor(() => expect(text("funnel-count-tour_push")).toBe("561"));
    expect(String(fetchMock.mock.calls[0]![0])).toBe(
      "/v1/journeys/ab-onboarding/funnel?path=registered%2Cstrategy%2Ctour_push&version=2",
    );
    expect(text("funnel-rate-tour_push")).toBe("45.2%");

    fetchMock.mockResolvedValueOnce(funnelAnswer(["registered", "strategy"], [1240, 1240]));
    fireEvent.click(screen.getByTestId("funnel-remove-tour_push"));
    await waitFor(() => expect(screen.queryByTestId("funnel-count-tour_push")).toBeNull());
    expect(String(fetchMock.mock.calls[1]![0])).toBe(
      "/v1/journeys/ab-onboarding/funnel?path=registered%2Cstrategy&version=2",
    );

    fetchMock.mockResolvedValueOnce(funnelAnswer(["registered", "strategy", "bonus_points"], [1240, 1240, 555]));
    fireEvent.change(screen.getByTestId("funnel-add"), { target: { value: "bonus_points" } });
    await waitFor(() => expect(text("funnel-count-bonus_points")).toBe("555"));
    expect(String(fetchMock.mock.calls[2]![0])).toContain("path=registered%2Cstrategy%2Cbonus_points");
  });

  it("shows the funnel route's failure where the funnel is", async () => {
    fetchMock.mockResolvedValue(
      Response.json({ error: { code: "not_found", message: "no such node: x" } }, { status: 404 }),
    );
    render(<ReportView report={abReport()} doc={doc} lang="en" />);
    await waitFor(() => expect(text("funnel-error")).toContain("no such node: x"));
  });

  it("draws a simulation's funnel from its per-node counts without asking the API", () => {
    render(<ReportView report={abReport((r) => (r.source = "simulation"))} doc={doc} lang="en" />);
    expect(text("funnel-count-registered")).toBe("1,240");
    expect(text("funnel-count-tour_push")).toBe("561");
    expect(text("funnel-rate-tour_push")).toBe("45.2%");
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the time to convert with p50 and p90", () => {
    render(<ReportView report={abReport((r) => (r.source = "simulation"))} doc={doc} lang="en" />);
    expect(text("ttc-count")).toBe("287");
    expect(text("ttc-p50")).toBe("1.5 d");
    expect(text("ttc-p90")).toBe("5.0 d");
  });

  it("shows each arm's rate, lift with its interval, p-value and cost per conversion", () => {
    render(<ReportView report={abReport((r) => (r.source = "simulation"))} doc={doc} lang="en" />);
    const x = screen.getByTestId("experiment-strategy");
    expect(within(x).getByTestId("arm-rate-strategy-bonus").textContent).toBe("24.9%");
    expect(within(x).getByTestId("arm-lift-strategy-bonus").textContent).toBe("+8.7");
    expect(within(x).getByTestId("arm-ci-strategy-bonus").textContent).toBe("1.2 – 16.3");
    expect(within(x).getByTestId("arm-p-strategy-bonus").textContent).toBe("0.006");
    // The anytime-valid test beside it: wider, and its p-value safe to read before the planned size.
    expect(within(x).getByTestId("arm-cs-strategy-bonus").textContent).toBe("-3.8 – 21.3");
    expect(within(x).getByTestId("arm-pa-strategy-bonus").textContent).toBe("0.303");
    expect(within(x).getByTestId("arm-cs-strategy-control").textContent).toBe("—");
    expect(x.textContent).toContain("95 % CS (anytime-valid)");
    expect(x.textContent).toContain("p-value (fixed horizon)");
    expect(within(x).getByTestId("kinds-strategy").textContent).toContain("safe to read early");
    expect(within(x).getByTestId("arm-cpc-strategy-bonus").textContent).toBe("800 points");
    expect(within(x).getByTestId("arm-lift-strategy-control").textContent).toBe("—");
    expect(within(x).getByTestId("arm-strategy-control").textContent).toContain("holdout");
    // Arm labels come from the experiment node.
    expect(within(x).getByTestId("arm-strategy-tour").textContent).toContain("Guided tour");
  });

  it("formats spend per unit: fen as yuan, points as whole numbers; budgets and refusals", () => {
    render(<ReportView report={abReport((r) => (r.source = "simulation"))} doc={doc} lang="en" />);
    expect(text("spend-total-CNY")).toBe("¥1,234.56");
    expect(text("spend-total-points")).toBe("110,400 points");
    expect(text("spend-amount-bonus_points-points")).toBe("110,400 points");
    expect(text("budget-onboarding_bonus")).toContain("110,400 points used of 2,000,000 points, 1,889,600 points left");
    expect(
      screen
        .getByTestId("budget-onboarding_bonus")
        .querySelector('[role="progressbar"]')!
        .getAttribute("aria-valuenow"),
    ).toBe("110400");
    expect(text("refusal-cap")).toBe("3");
    // A reason with no refusals is not listed.
    expect(screen.queryByTestId("refusal-budget")).toBeNull();
  });

  it("colours the retention cohorts by share and marks days still to come", () => {
    render(<ReportView report={abReport((r) => (r.source = "simulation"))} doc={doc} lang="en" />);
    const cell = screen.getByTestId("retention-2026-11-02-day1");
    expect(cell.textContent).toBe("42.0%");
    // The accent at 0.08 + 42 % × 0.8 on white, the number in the colour that reads on it (4.5:1 or more).
    const background = blend("#4f46e5", "#ffffff", 0.08 + 0.42 * 0.8);
    expect(cell.getAttribute("style")).toBe(`background: ${background}; color: #000000;`);
    expect(contrast(background, "#000000")).toBeGreaterThanOrEqual(4.5);
    expect(text("retention-2026-11-16-day7")).toBe("not yet");
    expect(screen.getByTestId("retention-2026-11-16-day7").getAttribute("style")).toBeNull();
    expect(text("retention-2026-11-09-size")).toBe("298");
  });
});

describe("verdicts in words", () => {
  const render1 = (status: "winner" | "no_difference" | "worse" | "srm" | "not_enough_data", arm: string | null) =>
    render(
      <ReportView
        report={abReport((r) => {
          r.source = "simulation";
          const x = r.experiments[0]!;
          x.verdict = { status, arm, minPerArm: 400 };
          if (status === "worse")
            x.arms[1]!.lift = { absolute: -0.041, relative: -0.2, ci95: [-0.07, -0.012], pValue: 0.006 };
          if (status === "no_difference")
            x.arms[1]!.lift = { absolute: 0.01, relative: 0.05, ci95: [-0.02, 0.04], pValue: 0.52 };
          if (status === "srm") x.srm = { chiSquare: 14.2, pValue: 0.0008, mismatch: true };
        })}
        doc={doc}
        lang={i18n.language === "zh-CN" ? "zh-CN" : "en"}
      />,
    );

  const cases = [
    [
      "winner",
      "bonus",
      'Arm "Bonus points" converts 8.7 percentage points better than the holdout (95 % CI 1.2 – 16.3, p = ' +
        '0.006). Ship "Bonus points".',
      "“Bonus points”组的转化率比对照组高 8.7 个百分点（95% 置信区间 1.2 – 16.3，p = 0.006）。建议全量上线“Bonus points”。",
    ],
    [
      "worse",
      "bonus",
      'Arm "Bonus points" converts 4.1 percentage points worse than the holdout (95 % CI -7.0 – -1.2, p = ' +
        '0.006). Stop "Bonus points".',
      "“Bonus points”组的转化率比对照组低 4.1 个百分点（95% 置信区间 -7.0 – -1.2，p = 0.006）。建议停止“Bonus points”。",
    ],
    [
      "no_difference",
      "bonus",
      'No clear difference yet: the best arm, "Bonus points", is 1.0 percentage points from the holdout (95 ' +
        "% CI -2.0 – 4.0, p = 0.520).",
      "暂无明显差异：表现最好的“Bonus points”组与对照组相差 1.0 个百分点（95% 置信区间 -2.0 – 4.0，p = 0.520）。",
    ],
    [
      "srm",
      null,
      "No verdict: the split does not match the configured shares (χ² = 14.20, p < 0.001). Fix the assignment first.",
      "无法下结论：分组比例与配置不符（χ² = 14.20，p < 0.001）。请先修复分流。",
    ],
    [
      "not_enough_data",
      null,
      "Not enough data yet: each arm needs at least 400 people (the smallest has 124).",
      "还不能下结论：每组至少需要 400 人（目前最少的一组 124 人）。",
    ],
  ] as const;

  for (const [status, arm, en, zh] of cases) {
    it(`says "${status}" in English and in Chinese`, async () => {
      const { unmount } = render1(status, arm);
      expect(text("verdict-strategy")).toContain(en);
      expect(screen.getByTestId("verdict-strategy").dataset.status).toBe(status);
      unmount();
      await act(() => i18n.changeLanguage("zh-CN"));
      render1(status, arm);
      expect(text("verdict-strategy")).toContain(zh);
    });
  }

  it("says in Chinese which interval is fixed-horizon and which is anytime-valid", async () => {
    await act(() => i18n.changeLanguage("zh-CN"));
    render1("winner", "bonus");
    const x = screen.getByTestId("experiment-strategy");
    expect(x.textContent).toContain("95% 置信序列（随时有效）");
    expect(x.textContent).toContain("p 值（固定样本量）");
    expect(x.textContent).toContain("mSPRT");
    expect(within(x).getByTestId("kinds-strategy").textContent).toContain("可以提前、反复查看");
  });

  it("warns of a sample-ratio mismatch only when there is one", () => {
    const { unmount } = render1("srm", null);
    expect(text("srm-strategy")).toContain("Sample-ratio mismatch");
    expect(text("srm-strategy")).toContain("χ² = 14.20, p < 0.001");
    unmount();
    render1("winner", "bonus");
    expect(screen.queryByTestId("srm-strategy")).toBeNull();
  });
});

describe("the automatic winner in words", () => {
  const figures = [
    { arm: "tour", entered: 300, converted: 40, pValue: 1 },
    { arm: "bonus", entered: 300, converted: 90, pValue: 0.0001 },
    { arm: "control", entered: 70, converted: 9, pValue: null },
  ];
  const withWinner = (decided: boolean) =>
    abReport((r) => {
      r.source = "simulation";
      r.experiments[0]!.autoWinner = {
        windowEnd: "2026-11-09T00:00:00.000Z",
        decidedAt: decided ? "2026-11-09T00:30:00.000Z" : null,
        reason: decided ? "winner" : null,
        winner: decided ? "bonus" : null,
        route: decided ? "bonus" : null,
        fallback: "keep",
        alpha: 0.025,
        arms: figures,
      };
    });

  it("says what was decided and since when, in English and in Chinese", async () => {
    const { unmount } = render(<ReportView report={withWinner(true)} doc={doc} lang="en" />);
    expect(text("auto-winner-strategy")).toBe(
      'Automatic winner: "Bonus points" won at the window\'s end (2026-11-09 00:00 UTC, mSPRT, p < 0.025); every ' +
        "entrant since 2026-11-09 00:30 UTC goes to it. People already in an arm stay there.",
    );
    expect(screen.getByTestId("auto-winner-strategy").dataset.route).toBe("bonus");
    unmount();
    await act(() => i18n.changeLanguage("zh-CN"));
    render(<ReportView report={withWinner(true)} doc={doc} lang="zh-CN" />);
    expect(text("auto-winner-strategy")).toContain(
      "“Bonus points”组胜出；自 2026-11-09 00:30（UTC）起新进入者全部进入该组",
    );
  });

  it("says when it will be decided, and nothing for an experiment without one", () => {
    const { unmount } = render(<ReportView report={withWinner(false)} doc={doc} lang="en" />);
    expect(text("auto-winner-strategy")).toBe(
      "Automatic winner: decided at the first entry after 2026-11-09 00:00 UTC (mSPRT, p < 0.025 against the " +
        "holdout); without a winner: the split goes on.",
    );
    unmount();
    render(<ReportView report={abReport()} doc={doc} lang="en" />);
    expect(screen.queryByTestId("auto-winner-strategy")).toBeNull();
  });
});

describe("CSV links and empty states", () => {
  it("points each section's CSV at the API's report.csv for the report's version", () => {
    fetchMock.mockResolvedValue(funnelAnswer(["registered", "strategy", "tour_push"], [1240, 1240, 561]));
    render(<ReportView report={abReport()} doc={doc} lang="en" />);
    for (const s of ["nodes", "experiments", "retention", "winback", "coupons", "tiers", "spend"]) {
      expect(screen.getByTestId(`csv-${s}`).getAttribute("href")).toBe(
        `/v1/journeys/ab-onboarding/report.csv?section=${s}&version=2&cohort=week`,
      );
    }
  });

  it("asks for weekly cohorts when the report has them", () => {
    fetchMock.mockResolvedValue(funnelAnswer(["registered"], [1240]));
    render(<ReportView report={abReport()} doc={doc} lang="en" />);
    expect(screen.getByTestId("csv-retention").getAttribute("href")).toBe(
      "/v1/journeys/ab-onboarding/report.csv?section=retention&version=2&cohort=week",
    );
  });

  it("leaves the version out for every version together, and downloads with the key", async () => {
    fetchMock.mockImplementation(async (url) =>
      String(url).includes("report.csv")
        ? new Response("nodeId,reached\nregistered,1240\n", { headers: { "content-type": "text/csv" } })
        : funnelAnswer(["registered"], [1240]),
    );
    const created: Blob[] = [];
    const origCreate = URL.createObjectURL;
    URL.createObjectURL = (b: Blob | MediaSource) => {
      created.push(b as Blob);
      return "blob:report";
    };
    try {
      render(
        <ReportView
          report={abReport((r) => {
            r.version = null;
            r.retention.unit = "day";
          })}
          doc={doc}
          lang="en"
        />,
      );
      const link = screen.getByTestId("csv-nodes");
      expect(link.getAttribute("href")).toBe("/v1/journeys/ab-onboarding/report.csv?section=nodes");
      fireEvent.click(link);
      await waitFor(() => expect(created).toHaveLength(1));
      const call = fetchMock.mock.calls.find(([u]) => String(u).includes("report.csv"))!;
      expect(String(call[0])).toBe("/v1/journeys/ab-onboarding/report.csv?section=nodes");
      expect((call[1]!.headers as Record<string, string>).authorization).toBe("Bearer llk_test");
      expect(await created[0]!.text()).toContain("registered,1240");
    } finally {
      URL.createObjectURL = origCreate;
    }
  });

  it("writes a simulation's CSV in the browser, in the live export's columns, without asking the API", async () => {
    const created: Blob[] = [];
    const origCreate = URL.createObjectURL;
    URL.createObjectURL = (b: Blob | MediaSource) => {
      created.push(b as Blob);
      return "blob:report";
    };
    try {
      render(<ReportView report={abReport((r) => (r.source = "simulation"))} doc={doc} lang="en" />);
      const button = screen.getByTestId("csv-experiments");
      expect(button.getAttribute("href")).toBeNull();
      fireEvent.click(button);
      expect(created).toHaveLength(1);
      const lines = (await created[0]!.text()).split("\r\n");
      expect(lines[0]).toMatch(/^experiment,node,arm,control,/);
      expect(lines.find((l) => l.startsWith("onboarding_2026q4,strategy,bonus,false,"))).toContain(",555,138,");
      expect(fetchMock).not.toHaveBeenCalled();
    } finally {
      URL.createObjectURL = origCreate;
    }
  });

  it(
    "says so when a section has nothing: no experiment, no " + "win-back, no tier moves, no cohorts, no conversions",
    () => {
      const empty = abReport((r) => {
        r.source = "simulation";
        r.experiments = [];
        r.retention.cohorts = [];
        r.timeToConvert = { count: 0, p50Ms: null, p90Ms: null, meanMs: null, histogram: [] };
        r.totals = { entered: 0, converted: 0, rate: null, active: 0, exited: {} };
        r.spend = { total: {}, byNode: [], byDay: [], budgets: [], refusals: {} };
        r.nodes = {};
      });
      render(<ReportView report={empty} doc={doc} lang="en" />);
      expect(text("empty-experiments")).toBe("No experiment in this journey.");
      expect(text("empty-winback")).toBe("No win-back coupon in this journey.");
      expect(text("empty-coupons")).toBe("No coupon in this journey.");
      expect(text("empty-tiers")).toBe("Nobody moved between tiers.");
      expect(text("empty-retention")).toBe("No cohort yet.");
      expect(text("empty-ttc")).toBe("Nobody has converted yet.");
      expect(text("empty-nodes")).toBe("No node has been reached yet.");
      expect(text("empty-spend")).toBe("Nothing granted.");
      expect(text("report-rate")).toBe("—");
      expect(screen.queryByTestId("experiment-strategy")).toBeNull();
    },
  );

  it("shows win-back steps and weekly tier moves when there are some", () => {
    const r = abReport((x) => {
      x.source = "simulation";
      x.winBack = [
        { nodeId: "coupon_1", granted: 200, returned: 46, rate: 0.23, windowDays: 7 },
        { nodeId: "coupon_2", granted: 120, returned: 18, rate: 0.15, windowDays: 7 },
      ];
      x.tiers = [
        {
          week: "2026-11-02",
          moves: [
            { from: "silver", to: "gold", count: 12 },
            { from: null, to: "bronze", count: 40 },
          ],
        },
        { week: "2026-11-09", moves: [{ from: "gold", to: "platinum", count: 3 }] },
      ];
    });
    render(<ReportView report={r} doc={DraftJourney.parse(winBackDoc)} lang="en" />);
    expect(text("winback-rate-coupon_1")).toBe("23.0%");
    expect(text("winback-rate-coupon_2")).toBe("15.0%");
    expect(screen.getByTestId("tiers-2026-11-02-silver-gold").textContent).toContain("12");
    expect(screen.getByTestId("tiers-2026-11-02-none-bronze").textContent).toContain("— → bronze");
    expect(screen.getByTestId("tiers-2026-11-09-gold-platinum").textContent).toContain("3");
  });
});
