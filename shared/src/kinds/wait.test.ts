import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { kindOf } from "./index.ts";
import { around } from "../testing/builders.ts";
import { wait, WaitParams } from "./wait.ts";
import { RAW_NAMES } from "./types.ts";

const compileWait = (params: unknown, handles: string[]) =>
  compileJourney(around({ id: "w", kind: "wait", params }, handles));

describe("wait", () => {
  it("compiles a fixed duration to milliseconds", () => {
    const r = compileWait({ mode: "duration", duration: "24h" }, ["next"]);
    expect(r.executable!.nodes.w!.params).toEqual({ mode: "duration", ms: 86_400_000 });
  });

  it("compiles waits until a local time (weekdays sorted, deduplicated) and a local date", () => {
    expect(
      compileWait({ mode: "until_time", time: "09:30", weekdays: [5, 1, 5] }, ["next"]).executable!.nodes.w!.params,
    ).toEqual({ mode: "until_time", time: "09:30", weekdays: [1, 5] });
    expect(compileWait({ mode: "until_date", at: "2026-12-12T10:00" }, ["next"]).executable!.nodes.w!.params).toEqual({
      mode: "until_date",
      at: "2026-12-12T10:00",
    });
  });

  it("compiles a wait for an event with correlation and timeout", () => {
    const params = {
      mode: "event",
      event: "order_paid",
      correlate: "orderId",
      timeout: "2h",
      filter: { ">": [{ var: "event.props.amount" }, 0] },
    };
    const r = compileWait(params, ["event", "timeout"]);
    expect(r.ok).toBe(true);
    expect(r.executable!.nodes.w!.params).toEqual({
      mode: "event",
      event: "order_paid",
      filter: params.filter,
      correlate: "orderId",
      timeoutMs: 7_200_000,
    });
    expect(r.executable!.nodes.w!.next).toEqual({ event: "end_event", timeout: "end_timeout" });
  });

  it("a wait for an event with no timeout is an error at the timeout field", () => {
    const r = compileWait({ mode: "event", event: "first_investment" }, ["event"]);
    expect(r.ok).toBe(false);
    expect(r.issues).toContainEqual(
      expect.objectContaining({
        code: "wait_without_timeout",
        path: "$.nodes[1].params.timeout",
        nodeId: "w",
        field: "params.timeout",
      }),
    );
  });

  it("refuses malformed durations and times", () => {
    expect(WaitParams.safeParse({ mode: "duration", duration: "24 hours" }).error?.issues[0]?.path).toEqual([
      "duration",
    ]);
    expect(WaitParams.safeParse({ mode: "until_time", time: "25:00" }).error?.issues[0]?.path).toEqual(["time"]);
    expect(WaitParams.safeParse({ mode: "duration", duration: "0h" }).success).toBe(false);
  });

  it("says what it waits for", () => {
    const p = WaitParams.parse({ mode: "event", event: "first_investment", timeout: "24h" });
    expect(wait.summary(p, "en", RAW_NAMES)).toBe("Wait up to 24h for first_investment");
    expect(wait.summary(p, "zh-CN", RAW_NAMES)).toBe("最多等待 24h，直到 first_investment");
    expect(wait.handles(p).map((h) => h.id)).toEqual(["event", "timeout"]);
  });

  it("declares what the engine, simulate and reports read from its compiled params", () => {
    const loose = kindOf("wait")!; // as the engine and reports hold it: params from an executable
    const c = (params: unknown, handles: string[]) => compileWait(params, handles).executable!.nodes.w!.params;
    const timed = c({ mode: "duration", duration: "2d" }, ["next"]);
    const onEvent = c({ mode: "event", event: "order_paid", correlate: "orderId", timeout: "2h", filter: true }, [
      "event",
      "timeout",
    ]);
    const atTime = c({ mode: "until_time", time: "09:00" }, ["next"]);
    expect(loose.rules!(timed)).toEqual([]);
    expect(loose.rules!(onEvent)).toEqual([{ key: "main", rule: true, field: "filter" }]);
    expect([timed, onEvent, atTime].map((p) => loose.pauses!.longestMs(p))).toEqual([
      2 * 86_400_000,
      7_200_000,
      8 * 86_400_000,
    ]);
    expect(loose.resumesOn!(timed)).toBeNull();
    expect(loose.resumesOn!(onEvent)).toEqual({ correlate: "orderId", filter: "main" });
    expect([timed, onEvent].map((p) => loose.report!.winBackWindowMs!(p))).toEqual([2 * 86_400_000, null]);
  });
});
