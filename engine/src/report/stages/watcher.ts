/**
 * The stages as the engine evaluates segments: a journey that carries the stage segments and enters on
 * each of them. It does nothing else; what it is for is that the core keeps every person's membership
 * of those segments exactly as it does for a live journey — re-evaluated on each event, and at each local
 * midnight when a stage reads the clock (days_since), because a segment trigger makes it a re-checked one.
 */
import { compileJourney, type ExecutableJourney, type Segment } from "@lifeloop/shared";

export const WATCHER_ID = "lifecycle-stages";

export class StageDefinitionError extends Error {
  constructor(
    message: string,
    readonly issues: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

export function stageWatcher(stages: Segment[], timeZone: string): ExecutableJourney {
  const nodes: object[] = stages.map((s, i) => ({
    id: `enter_${i}`,
    kind: "trigger",
    position: { x: 0, y: i * 150 },
    params: { mode: "segment", segment: s.id, on: "enter" },
  }));
  nodes.push({ id: "counted", kind: "exit", position: { x: 300, y: 0 }, params: { reason: "stage_counted" } });
  const doc = {
    schemaVersion: 1,
    id: WATCHER_ID,
    name: "Lifecycle stages",
    timeZone,
    entry: { reentry: "always" },
    segments: stages,
    nodes,
    edges: stages.map((_, i) => ({ id: `e${i}`, source: `enter_${i}`, sourceHandle: "next", target: "counted" })),
  };
  const r = compileJourney(doc);
  if (!r.executable) {
    // The journey's own paths mean nothing to the caller: point at the stage the problem is in.
    const issues = r.issues
      .filter((i) => i.severity === "error")
      .map((i) => ({ path: i.path.replace(/^\$\.segments/, "$.stages"), message: i.message }));
    throw new StageDefinitionError(`the stages do not compile: ${issues.map((i) => i.message).join("; ")}`, issues);
  }
  return r.executable;
}
