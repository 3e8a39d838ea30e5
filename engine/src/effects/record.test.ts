/**
 * What the engine emits is what the wire schemas say (shared/src/wire): every effect, trace record
 * and summary of every sample's replay parses with its schema and loses nothing in parsing (zod
 * drops keys it does not know, so a field the schema lacks shows up as a difference).
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EffectRecord, SimulationSummary, TraceRecord } from "@lifeloop/shared";
import { runSample } from "../testing/samples.ts";

const SAMPLES = readdirSync(new URL("../../../samples/events/", import.meta.url))
  .map((f) => f.replace(/\.jsonl$/, ""))
  .filter((name) => readdirSync(new URL("../../../samples/journeys/", import.meta.url)).includes(`${name}.json`));

describe("effect, trace and summary records match the wire schemas", () => {
  it("covers the samples", () => expect(SAMPLES.length).toBeGreaterThanOrEqual(8));

  it.each(SAMPLES)("%s", (name) => {
    const result = runSample(name);
    expect(result.effects.length).toBeGreaterThan(0);
    for (const e of result.effects) expect(EffectRecord.parse(e)).toEqual(e);
    for (const t of result.trace) expect(TraceRecord.parse(t)).toEqual(t);
    for (const s of result.summary) expect(SimulationSummary.parse(s)).toEqual(s);
  });

  it("sees every kind of effect the samples produce, and trace notes", () => {
    const kinds = new Set(SAMPLES.flatMap((name) => runSample(name).effects.map((e) => e.kind)));
    for (const k of ["enter", "move", "decide", "wait", "resume", "reward", "message", "exit", "convert"])
      expect(kinds).toContain(k);
    expect(SAMPLES.some((name) => runSample(name).trace.length > 0)).toBe(true);
  });
});
