/**
 * A sidecar for the report tests: on loopback, the given journey files, the test's clock, and its own
 * loops slowed to a minute so the test drives them (`pump`), with the report projector folding at once.
 */
import type { WorkspaceHoldout } from "@lifeloop/shared";
import { startSidecar, type Sidecar } from "../server/sidecar.ts";

export function startReportSidecar(o: {
  db: string;
  journeyFiles: string[];
  now(): number;
  log?(message: string): void;
  holdout?: WorkspaceHoldout;
  /** Where the projector runs (SidecarConfig.reportThread); "loop" unless a test asks for its thread. */
  reportThread?: "thread" | "loop";
}): Promise<Sidecar> {
  return startSidecar({
    db: o.db,
    host: "127.0.0.1",
    port: 0,
    journeyFiles: o.journeyFiles,
    ...(o.holdout ? { holdout: o.holdout } : {}),
    feedIntervalMs: 60_000,
    timerIntervalMs: 60_000,
    outboxIntervalMs: 60_000,
    reportDelayMs: 5,
    reportThread: o.reportThread ?? "loop",
    now: o.now,
    log: o.log ?? (() => {}),
  });
}
