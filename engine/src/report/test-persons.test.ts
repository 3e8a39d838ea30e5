import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JourneyReport, JourneyStats, PersonView } from "@lifeloop/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sidecar } from "../server/sidecar.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { checkedFetch } from "../testing/contract.ts";
import { simulationReport } from "./index.ts";
import { sampleExecutable } from "../testing/samples.ts";
import { parseEventStream } from "../simulate.ts";
import { startReportSidecar } from "../testing/report-sidecar.ts";

/** Every answer is held against the engine's /openapi.json (testing/contract.ts). */
const fetch = checkedFetch();
const SAMPLES = new URL("../../../samples/", import.meta.url).pathname;
const { events } = parseEventStream(readFileSync(join(SAMPLES, "events/ab-onboarding.jsonl"), "utf8"));
const dir = mkdtempSync(join(tmpdir(), "lifeloop-test-persons-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the editor's test event panel sends (web/src/panels/testEvent.ts): the envelope says `test`. */
const testEvent = (id: string, type: string, at: string, test: boolean) => ({
  id,
  userId: "tester",
  type,
  at,
  props: type === "first_investment" ? { amount: 100_000 } : {},
  ...(test ? { test: true } : {}),
});

describe("test persons (SQLite)", () => live(() => join(dir, "engine.sqlite")));
describePostgres("test persons (PostgreSQL)", (db) => live(db));

function live(db: () => string): void {
  const clock = { now: Date.parse("2026-12-31T00:00:00Z") };
  let s: Sidecar;
  beforeAll(async () => {
    s = await startReportSidecar({
      db: db(),
      journeyFiles: [join(SAMPLES, "journeys/ab-onboarding.json")],
      now: () => clock.now,
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = async (body: unknown[]) => {
    const res = await fetch(`${s.url}/v1/events?wait=applied`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    await s.pump();
  };
  const report = async () => {
    const r = JourneyReport.parse(await (await fetch(`${s.url}/v1/journeys/ab-onboarding/report`)).json());
    return { ...r, generatedAt: "" };
  };
  const stats = async () => {
    // Stats are cached for 2 s while the timeline's bounds stand; a test event moves them, so this is fresh.
    const r = JourneyStats.parse(await (await fetch(`${s.url}/v1/journeys/ab-onboarding/stats`)).json());
    return { ...r, at: "", since: "" };
  };

  it("runs a test person's events and shows their path, and counts them in no report or stat", async () => {
    await post(events);
    const before = await report();
    const statsBefore = await stats();
    // The sample: 40 people register, 14 invest within 7 days.
    expect(before.totals).toMatchObject({ entered: 40, converted: 14 });
    expect(before).toEqual({
      ...simulationReport({ journey: sampleExecutable("ab-onboarding"), events, until: clock.now }),
      source: "live",
      generatedAt: "",
    });

    // A test registration, then an investment the same person sends without the flag: still a test person's.
    await post([testEvent("test-tester-1", "registered", "2026-12-30T10:00:00Z", true)]);
    await post([testEvent("tester-invest", "first_investment", "2026-12-30T11:00:00Z", false)]);

    const person = PersonView.parse(await (await fetch(`${s.url}/v1/users/tester`)).json());
    const mine = person.timeline.filter((r) => r.journeyId === "ab-onboarding");
    expect(mine.map((r) => r.kind)).toEqual(expect.arrayContaining(["enter", "decide", "convert"]));
    expect(mine.filter((r) => !("test" in r && r.test === true))).toEqual([]);
    expect(mine.find((r) => r.kind === "enter")!.nodeId).toBe("registered");

    expect(await report()).toEqual(before);
    expect(await stats()).toEqual(statsBefore);
    expect(statsBefore.entered).toBe(40);
  }, 60_000);
}
