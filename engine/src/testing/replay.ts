import type { EventEnvelope, ExecutableJourney, WorkspaceHoldout, WorkspaceLevels } from "@lifeloop/shared";
import { World, type Effect, type StepOptions } from "../core/index.ts";
import { effectRecord } from "../effects/record.ts";
import { DurableEngine } from "../runtime/durable.ts";
import { toCoreEvent } from "../simulate.ts";
import type { Store } from "../store/port.ts";

/**
 * Replays an event stream through the durable runtime on a real store, with a virtual clock that
 * follows the events (timers and schedules run before each event, as simulate does), then runs the
 * clock to `until`. Returns every effect record committed: what simulate() says for the same input
 * (and the same step options: channel caps, late tolerance; the same workspace holdout and levels).
 */
export async function replayDurable(
  store: Store,
  journeys: ExecutableJourney[],
  events: EventEnvelope[],
  until: number | null,
  holdout: WorkspaceHoldout | null = null,
  options: StepOptions = {},
  levels: WorkspaceLevels | null = null,
): Promise<Array<Record<string, unknown>>> {
  const world = new World(
    journeys.map((executable) => ({
      journeyId: executable.journeyId,
      status: "live" as const,
      liveVersion: 1,
      versions: [{ version: 1, inFlight: "keep" as const, executable }],
    })),
    undefined,
    holdout,
    levels,
  );
  const clock = { now: events.length ? toCoreEvent(events[0]!).at : 0 };
  const effects: Effect[] = [];
  const errors: string[] = [];
  const engine = new DurableEngine(
    store,
    world,
    { ...options, now: () => clock.now },
    {
      onCommit: (info) => effects.push(...info.effects),
      onError: (e, context) => errors.push(`${context}: ${(e as Error).message}`),
    },
  );
  const catchUp = async () => {
    await engine.runSchedules();
    while ((await engine.runDueTimers()) > 0);
  };
  for (const e of events) {
    const event = toCoreEvent(e);
    clock.now = Math.max(clock.now, event.at);
    await catchUp();
    const r = await engine.ingest([event]);
    if (r.failed > 0) throw new Error(`event ${event.id} failed: ${errors.join("; ")}`);
  }
  if (until !== null) {
    clock.now = Math.max(clock.now, until);
    await catchUp();
  }
  if (errors.length) throw new Error(errors.join("; "));
  return effects.map((e) => effectRecord(e));
}
