import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseEventStream, simulate } from "../simulate.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { sampleExecutable, sampleWorld } from "../testing/samples.ts";
import { writeSimulation, zonesOf } from "./index.ts";
import { ReportProjector } from "./project.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-report-kill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHILD = fileURLToPath(new URL("../testing/project-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const TABLES = [
  "report_cursors",
  "fact_entries",
  "fact_visits",
  "fact_node_days",
  "fact_arms",
  "fact_grants",
  "fact_spend",
  "fact_refusals",
  "fact_activity",
  "fact_segment_moves",
];

function dump(path: string) {
  const store = new SqliteStore({ path });
  const out = Object.fromEntries(
    TABLES.map((t) => [
      t,
      (store.facts.prepare(`SELECT * FROM ${t}`).all() as Array<Record<string, unknown>>)
        .map(({ seq: _seq, ...r }) => JSON.stringify(r))
        .sort(),
    ]),
  );
  store.close();
  return out;
}

/** Runs the projector in its own process and SIGKILLs it once it has printed `after` batches. */
function killAfter(db: string, after: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", CHILD, db], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let batches = 0;
    let err = "";
    proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    proc.stdout!.on("data", (d: Buffer) => {
      batches += (d.toString().match(/^batch /gm) ?? []).length;
      if (batches >= after && proc.exitCode === null) proc.kill("SIGKILL");
    });
    proc.once("exit", (code, signal) =>
      signal === "SIGKILL"
        ? resolve(batches)
        : reject(new Error(`the projector ended by itself (${code}) before it was killed: ${err}`)),
    );
  });
}

describe("the projector under SIGKILL", () => {
  it("resumes from its cursor with nothing lost and nothing counted twice", async () => {
    const db = join(dir, "engine.sqlite");
    const journey = sampleExecutable("ab-onboarding");
    const { events } = parseEventStream(
      readFileSync(new URL("../../../samples/events/ab-onboarding-month.jsonl", import.meta.url), "utf8"),
    );
    const store = new SqliteStore({ path: db });
    writeSimulation(store, events, simulate({ journeys: [{ executable: journey }], events }).effects);
    const rows = store.db.prepare("SELECT count(*) FROM timeline").pluck().get() as number;
    store.close();

    // The reference: the same database projected in one go, in this process.
    const reference = join(dir, "reference.sqlite");
    copyFileSync(db, reference);
    const world = sampleWorld("ab-onboarding");
    const ref = new SqliteStore({ path: reference });
    new ReportProjector(ref.facts, { ...zonesOf(() => world) }).catchUp();
    ref.close();
    const expected = dump(reference);
    expect(expected.fact_entries!.length).toBe(1080);

    // Killed mid-way (often inside a batch's open transaction), then finished here.
    await killAfter(db, 25);
    const killed = new SqliteStore({ path: db });
    const cursor = new ReportProjector(killed.facts, { ...zonesOf(() => world) }).cursor("timeline");
    killed.close();
    expect(cursor).toBeGreaterThan(0);
    expect(cursor).toBeLessThan(rows);
    const s = new SqliteStore({ path: db });
    new ReportProjector(s.facts, { ...zonesOf(() => world), batch: 7 }).catchUp();
    s.close();
    expect(dump(db)).toEqual(expected);
  }, 60_000);
});
