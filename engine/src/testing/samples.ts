import { readdirSync, readFileSync } from "node:fs";
import {
  compileJourney,
  parseCouponFile,
  parseLevelsSetting,
  parseUntrustedJson,
  type EventEnvelope,
  type ExecutableJourney,
  type WorkspaceLevels,
} from "@lifeloop/shared";
import { World } from "../core/index.ts";
import { parseEventStream, simulate, type SimulationResult } from "../simulate.ts";

const SAMPLES = new URL("../../../samples/", import.meta.url);

export function sampleExecutable(name: string): ExecutableJourney {
  const r = compileJourney(parseUntrustedJson(readFileSync(new URL(`journeys/${name}.json`, SAMPLES), "utf8")));
  if (!r.executable) throw new Error(`sample ${name} does not compile: ${JSON.stringify(r.issues)}`);
  return r.executable;
}

/** A World of the one sample, live at version 1 (in-flight people kept). */
export function sampleWorld(name: string): World {
  const executable = sampleExecutable(name);
  return new World([
    {
      journeyId: executable.journeyId,
      status: "live",
      liveVersion: 1,
      versions: [{ version: 1, inFlight: "keep", executable }],
    },
  ]);
}

export function sampleEvents(name: string): EventEnvelope[] {
  const { events, problems } = parseEventStream(readFileSync(new URL(`events/${name}.jsonl`, SAMPLES), "utf8"));
  if (problems.length) throw new Error(`sample stream ${name}: ${JSON.stringify(problems)}`);
  return events;
}

/** The workspace growth levels the samples' levels variants run with (samples/levels.json). */
function sampleLevels(): WorkspaceLevels {
  return parseLevelsSetting(readFileSync(new URL("levels.json", SAMPLES), "utf8"));
}

/**
 * The samples' coupon pools (samples/pools/<pool>.csv or .json), parsed as an import reads them:
 * what a sample that draws from a pool is simulated with, and what a live replay imports first.
 */
function samplePools(): Record<string, string[]> {
  const pools: Record<string, string[]> = {};
  for (const f of readdirSync(new URL("pools/", SAMPLES)).sort()) {
    const parsed = parseCouponFile(readFileSync(new URL(`pools/${f}`, SAMPLES), "utf8"));
    if ("issues" in parsed) throw new Error(`sample pool ${f}: ${JSON.stringify(parsed.issues)}`);
    pools[f.replace(/\.(csv|json|txt)$/, "")] = parsed.codes;
  }
  return pools;
}

/** A sample named `…-levels` reads growth levels: it runs with samples/levels.json, as a workspace would set it. */
function levelsOf(name: string): WorkspaceLevels | null {
  return name.endsWith("-levels") ? sampleLevels() : null;
}

/**
 * What a sample is replayed with: itself and its own stream, or, for a journey of a group, every
 * sample of the group with the group's stream (events/<group>.jsonl), as they would run live; and
 * the workspace levels when it reads them.
 */
export function sampleSet(name: string): {
  executables: ExecutableJourney[];
  events: EventEnvelope[];
  levels: WorkspaceLevels | null;
  pools: Record<string, string[]>;
} {
  const group = sampleExecutable(name).group?.id;
  const levels = levelsOf(name);
  const pools = samplePools();
  if (!group) return { executables: [sampleExecutable(name)], events: sampleEvents(name), levels, pools };
  const executables = readdirSync(new URL("journeys/", SAMPLES))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => sampleExecutable(f.slice(0, -5)))
    .filter((e) => e.group?.id === group);
  return { executables, events: sampleEvents(group), levels, pools };
}

export function runSample(name: string, options: { until?: string } = {}): SimulationResult {
  return simulate({
    journeys: [{ executable: sampleExecutable(name) }],
    events: sampleEvents(name),
    levels: levelsOf(name),
    pools: samplePools(),
    ...options,
  });
}

/** Effects of one kind, reduced to the fields a test states. */
export function pick(result: SimulationResult, kind: string, fields: string[] = []): Array<Record<string, unknown>> {
  return result.effects
    .filter((e) => e.kind === kind)
    .map((e) => {
      // Fields are named by the test as text; an effect is a plain object to read them from.
      const fieldsOf: Record<string, unknown> = e;
      return Object.fromEntries([
        ["at", e.at],
        ["userId", e.userId],
        ["nodeId", e.nodeId],
        ...fields.map((f) => [f, fieldsOf[f]]),
      ]);
    });
}
