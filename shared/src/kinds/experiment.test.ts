import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { kindOf } from "./index.ts";
import { around } from "../testing/builders.ts";
import { experiment, ExperimentParams } from "./experiment.ts";
import { RAW_NAMES } from "./types.ts";

const params = {
  key: "onboarding",
  arms: [
    { id: "a", weight: 45 },
    { id: "b", weight: 45 },
  ],
  control: 10,
};

describe("experiment", () => {
  it("has a handle per arm and an optional control", () => {
    const hs = experiment.handles(ExperimentParams.parse(params));
    expect(hs.map((h) => [h.id, h.required])).toEqual([
      ["a", true],
      ["b", true],
      ["control", false],
    ]);
    expect(
      experiment
        .handles(ExperimentParams.parse({ ...params, arms: [{ id: "a", weight: 100 }], control: 0 }))
        .map((h) => h.id),
    ).toEqual(["a"]);
  });

  it("compiles cumulative bounds over 10,000 buckets", () => {
    const r = compileJourney(around({ id: "x", kind: "experiment", params }, ["a", "b"]));
    expect(r.ok).toBe(true);
    expect(r.executable!.nodes.x!.params).toEqual({
      key: "onboarding",
      arms: [
        { handle: "a", weight: 45, upToBps: 4500 },
        { handle: "b", weight: 45, upToBps: 9000 },
        { handle: "control", weight: 10, upToBps: 10000 },
      ],
    });
  });

  it("refuses weights that do not add up to 100, at the control field", () => {
    const r = compileJourney(around({ id: "x", kind: "experiment", params: { ...params, control: 5 } }, ["a", "b"]));
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: "schema", path: "$.nodes[1].params.control", nodeId: "x" }),
    );
    expect(r.issues[0]!.message).toContain("add up to 95");
  });

  it("takes up to 8 arms plus the control: 9 handles and 9 compiled bounds ending at 10,000", () => {
    const arms = Array.from({ length: 8 }, (_, i) => ({ id: `arm${i + 1}`, weight: 11 }));
    const eight = ExperimentParams.parse({ key: "k", arms, control: 12 });
    expect(experiment.handles(eight).map((h) => h.id)).toEqual([...arms.map((a) => a.id), "control"]);
    // The experiment compiles from its params alone: it reads nothing of the context, so an empty one stands in.
    const compiled = experiment.compile(eight, {} as never) as { arms: Array<{ handle: string; upToBps: number }> };
    expect(compiled.arms.map((a) => a.upToBps)).toEqual([1100, 2200, 3300, 4400, 5500, 6600, 7700, 8800, 10_000]);
    const nine = ExperimentParams.safeParse({ key: "k", arms: [...arms, { id: "arm9", weight: 0 }], control: 12 });
    expect(nine.error?.issues[0]?.path).toEqual(["arms"]);
  });

  it("refuses an arm called control", () => {
    const bad = ExperimentParams.safeParse({ key: "k", arms: [{ id: "control", weight: 100 }] });
    expect(bad.error?.issues[0]?.path).toEqual(["arms", 0, "id"]);
  });

  it("tells reports its key and arms with their shares", () => {
    const loose = kindOf("experiment")!; // as the engine and reports hold it: params from an executable
    const compiled = compileJourney(around({ id: "x", kind: "experiment", params }, ["a", "b"])).executable!.nodes.x!
      .params;
    expect(loose.report!.experiment!(compiled)).toMatchObject({
      key: "onboarding",
      arms: [
        { handle: "a", weight: 45 },
        { handle: "b", weight: 45 },
        { handle: "control", weight: 10 },
      ],
    });
  });

  it("takes an optional automatic winner: a window in days or at a local time, and a fallback it checks", () => {
    const after = { mode: "days", days: 7 };
    const withWinner = ExperimentParams.parse({ ...params, autoWinner: { after, fallback: "control" } });
    expect(withWinner.autoWinner).toEqual({ after, metric: "conversion", method: "msprt", fallback: "control" });
    // The experiment compiles from its params alone: it reads nothing of the context, so an empty one stands in.
    expect(experiment.compile(withWinner, {} as never)).toMatchObject({
      autoWinner: { afterMs: 7 * 86_400_000, at: null, metric: "conversion", method: "msprt", fallback: "control" },
    });
    const at = ExperimentParams.parse({ ...params, autoWinner: { after: { mode: "at", at: "2026-12-20T10:00" } } });
    expect(experiment.compile(at, {} as never)).toMatchObject({
      autoWinner: { afterMs: null, at: "2026-12-20T10:00", fallback: null },
    });
    expect(experiment.summary(withWinner, "en", RAW_NAMES)).toBe(
      "a 45% / b 45% / control 10%; winner picked after 7 days",
    );
    expect(experiment.summary(withWinner, "zh-CN", RAW_NAMES)).toBe("a 45% / b 45% / 对照 10%；7 天后自动选出胜者");
    for (const fallback of ["nope", "control"]) {
      const noControl = {
        ...params,
        control: 0,
        arms: [
          { id: "a", weight: 50 },
          { id: "b", weight: 50 },
        ],
      };
      const bad = ExperimentParams.safeParse({ ...noControl, autoWinner: { after, fallback } });
      expect(bad.error?.issues[0]?.path).toEqual(["autoWinner", "fallback"]);
    }
    // Without one, the compiled params are what they were.
    expect(experiment.compile(ExperimentParams.parse(params), {} as never)).not.toHaveProperty("autoWinner");
  });
});
