/**
 * A new database starts with the sample playbooks so a new user sees journeys at once: every
 * samples/journeys/*.json as a journey (drafts by default; published as version 1 on request), the
 * segments they define as workspace segments, the segment libraries of samples/segments/*.json (the lifecycle
 * stages) as workspace segments, and each journey's samples/events/<id>.jsonl as preview profiles.
 * Runs once per database: the workspace row remembers it, so deleting the samples keeps them gone.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseUntrustedJson, Segment } from "@lifeloop/shared";
import { z } from "zod";
import { SYSTEM, type Deps } from "./context.ts";
import { checkEvents, parseLines } from "./events.ts";
import { checkDocument } from "./journeys/document.ts";
import { publishDraft } from "./journeys/publish.ts";
import { insertJourney, journeyExists } from "./journeys/store.ts";
import { ingestEvents } from "./profiles/store.ts";
import { checkSegment, referencedSegments } from "./segments/check.ts";
import { insertSegment, segmentExists, segmentRules } from "./segments/store.ts";
import { markSamplesLoaded, samplesLoaded } from "./workspace.ts";
import { recordAudit } from "./audit.ts";

export type SamplesMode = "draft" | "publish" | "off";

export async function loadSamples(
  deps: Deps,
  mode: SamplesMode,
): Promise<{ journeys: number; segments: number; events: number }> {
  const none = { journeys: 0, segments: 0, events: 0 };
  if (mode === "off" || (await samplesLoaded(deps.db))) return none;
  const journeyDir = join(deps.samplesDir, "journeys");
  const eventDir = join(deps.samplesDir, "events");
  const files = listFiles(journeyDir, ".json");
  const docs = files.map((f) =>
    checkDocument(parseUntrustedJson(readFileSync(join(journeyDir, f), "utf8")), `samples/journeys/${f}`),
  );
  // Each journey's own stream (events/<journey>.jsonl), or its group's (events/<group>.jsonl); longer
  // streams kept for measurement (events/ab-onboarding-month.jsonl) are for simulation, not preview profiles.
  const streams = new Set(files.map((f) => f.replace(/\.json$/, ".jsonl")));
  for (const d of docs) if (d.document.group) streams.add(`${d.document.group}.jsonl`);
  const events = listFiles(eventDir, ".jsonl")
    .filter((f) => streams.has(f))
    .flatMap((f) => parseLines(readFileSync(join(eventDir, f), "utf8"), deps.limits.eventStreamBytes));
  const checkedEvents = checkEvents(events, Number.MAX_SAFE_INTEGER);
  const segmentDir = join(deps.samplesDir, "segments");
  const library = listFiles(segmentDir, ".json").flatMap((f) =>
    z.array(Segment).parse(parseUntrustedJson(readFileSync(join(segmentDir, f), "utf8"))),
  );
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const out = { ...none };
    for (const doc of docs) {
      if (await journeyExists(tx)(doc.document.id)) continue;
      const row = await insertJourney(tx, doc, SYSTEM, now);
      await recordAudit(tx, now, SYSTEM, "journey.import", { type: "journey", id: row.id }, { sample: true });
      if (mode === "publish" && doc.ok) await publishDraft(tx, row, SYSTEM, now, { note: "sample", inFlight: "keep" });
      out.journeys++;
      for (const s of doc.document.segments) {
        if (await segmentExists(tx)(s.id)) continue;
        await insertSegment(tx, checkSegment(s, await segmentRules(tx)), SYSTEM, now);
        out.segments++;
      }
    }
    // A stage may refer to one listed after it (in_segment): insert each once what it refers to is there.
    let pending = library;
    while (pending.length > 0) {
      const rules = await segmentRules(tx);
      const ready = pending.filter((s) => [...referencedSegments(s.condition)].every((id) => Object.hasOwn(rules, id)));
      if (ready.length === 0)
        throw new Error(`samples/segments: ${pending.map((s) => s.id).join(", ")} refer to no segment`);
      for (const s of ready) {
        if (await segmentExists(tx)(s.id)) continue;
        await insertSegment(tx, checkSegment(s, await segmentRules(tx)), SYSTEM, now);
        out.segments++;
      }
      pending = pending.filter((s) => !ready.includes(s));
    }
    out.events = (await ingestEvents(tx, checkedEvents)).accepted;
    await markSamplesLoaded(tx, now);
    return out;
  });
}

function listFiles(dir: string, ext: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}
