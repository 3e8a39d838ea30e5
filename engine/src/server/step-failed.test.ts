/**
 * A rule over a run-time limit, live: the sidecar on a real SQLite file, over HTTP. The event whose
 * data pushes the rule over the limit is kept, marked failed with the reason; the person's timeline
 * says why; the other events of the same batch commit.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import { around, trigger } from "@lifeloop/shared/testing";
import type { SqliteStore } from "../store/sqlite/store.ts";
import { startSidecar, type Sidecar } from "./sidecar.ts";
import { checkedFetch } from "../testing/contract.ts";

/** Every answer a test receives is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();

/**
 * merge copies the accumulator each time: n items cost about n²/2 steps, over the 1,000,000 budget from ~1,415 items.
 */
const RULE = {
  "!!": [{ reduce: [{ var: "event.props.list" }, { merge: [{ var: "accumulator" }, [{ var: "current" }]] }, []] }],
};
const journey = {
  ...around({ id: "check", kind: "condition", params: { rule: RULE } }, ["yes", "no"]),
  id: "list-check",
  entry: { reentry: "always" },
};
journey.nodes[0] = trigger("start", "order");

const dir = mkdtempSync(join(tmpdir(), "lifeloop-step-failed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = "2026-11-02T02:00:00Z";
const order = (id: string, userId: string, n: number, minutes = 0) => ({
  id,
  userId,
  type: "order",
  at: new Date(Date.parse(at) + minutes * 60_000).toISOString(),
  props: { list: Array.from({ length: n }, (_, i) => i % 10) },
});

describe("a rule over a run-time limit, live", () => {
  let s: Sidecar;
  const clock = { now: Date.parse(at) + 3_600_000 };
  const lines: string[] = [];
  beforeAll(async () => {
    expect(compileJourney(journey).ok).toBe(true); // over the limit only with a big event: it passes validation
    const file = join(dir, "list-check.json");
    writeFileSync(file, JSON.stringify(journey));
    s = await startSidecar({
      host: "127.0.0.1",
      port: 0,
      db: join(dir, "engine.sqlite"),
      journeyFiles: [file],
      feedIntervalMs: 60_000,
      timerIntervalMs: 60_000,
      outboxIntervalMs: 60_000,
      now: () => clock.now,
      log: (l) => lines.push(l),
    });
  });
  afterAll(() => s.close());

  it(
    "marks that event failed with the reason, records it on the person's timeline, and commits the rest of the " +
      "batch",
    async () => {
      const batch = [order("big-1", "u1", 2000), order("small-2", "u2", 3, 1), order("small-3", "u1", 3, 2)];
      const res = await fetch(`${s.url}/v1/events?wait=applied`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 3, duplicates: 0, failed: 1, applied: true });

      const db = (s.store as SqliteStore).db;
      const rows = db.prepare("SELECT id, status, error FROM events ORDER BY seq").all() as Array<{
        id: string;
        status: string;
        error: string | null;
      }>;
      expect(rows.map((r) => [r.id, r.status])).toEqual([
        ["big-1", "failed"],
        ["small-2", "applied"],
        ["small-3", "applied"],
      ]);
      expect(rows[0]!.error).toContain("limit_steps");
      expect(rows[0]!.error).toContain('$.nodes[1].params.rule (node "check")');
      expect(rows[0]!.error).toContain(`at $["!!"][0].reduce[1]`);

      const u1 = (await (await fetch(`${s.url}/v1/users/u1`)).json()) as {
        runs: unknown[];
        timeline: Array<Record<string, unknown>>;
      };
      const failed = u1.timeline.filter((t) => t.kind === "step_failed");
      expect(failed).toEqual([
        {
          at: "2026-11-02T02:00:00.000Z",
          userId: "u1",
          journeyId: "list-check",
          version: 1,
          nodeId: "check",
          kind: "step_failed",
          code: "limit_steps",
          path: "$.nodes[1].params.rule",
          rulePath: `$["!!"][0].reduce[1]`,
          eventId: "big-1",
          input: "event",
          reason: expect.stringContaining("limit_steps"),
        },
      ]);
      // u1 stayed as they were before big-1: they entered once, on small-3, and went the "yes" way.
      const entered = u1.timeline.filter((t) => t.kind === "enter");
      expect(entered.map((t) => t.at)).toEqual(["2026-11-02T02:02:00.000Z"]);
      expect(u1.timeline.find((t) => t.kind === "decide")).toMatchObject({ nodeId: "check", handle: "yes" });

      const u2 = (await (await fetch(`${s.url}/v1/users/u2`)).json()) as { timeline: Array<Record<string, unknown>> };
      expect(u2.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(["enter", "decide", "exit"]));
      expect(u2.timeline.some((t) => t.kind === "step_failed")).toBe(false);
      // One line in the log, no stack.
      expect(lines.filter((l) => l.includes("limit_steps"))).toHaveLength(1);
      expect(lines.join("\n")).not.toMatch(/\n\s+at /);
    },
  );

  it("shows why for someone whose only event failed (no saved state, still a timeline)", async () => {
    const res = await fetch(`${s.url}/v1/events?wait=applied`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(order("big-4", "u3", 2000)),
    });
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, failed: 1, applied: true });
    const u3 = await fetch(`${s.url}/v1/users/u3`);
    expect(u3.status).toBe(200);
    const body = (await u3.json()) as { runs: unknown[]; timeline: Array<Record<string, unknown>> };
    expect(body.runs).toEqual([]);
    expect(body.timeline).toEqual([
      expect.objectContaining({ kind: "step_failed", eventId: "big-4", code: "limit_steps", nodeId: "check" }),
    ]);
    expect((await fetch(`${s.url}/v1/users/nobody`)).status).toBe(404);
    // Journey stats count what happened: two people reached "check" (u1 on small-3, u2), no failed step counts.
    const stats = (await (await fetch(`${s.url}/v1/journeys/list-check/stats`)).json()) as {
      entered: number;
      nodes: Record<string, { visits: number }>;
    };
    expect(stats.nodes.check!.visits).toBe(2);
    expect(stats.entered).toBe(2);
  });
});
