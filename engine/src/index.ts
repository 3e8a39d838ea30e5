/**
 * The engine's public surface: what other packages may use. Everything else under src/ is the
 * engine's own. `@lifeloop/engine/simulate` is the replay alone (no I/O: the editor's tests and the
 * API's simulate route use it); `@lifeloop/engine/testing` holds what other packages' tests need.
 */
export {
  EVENT_LIMITS,
  MAX_SIMULATED_SPAN_MS,
  parseEventStream,
  RuleFailure,
  simulate,
  type SimulateInput,
  type SimulationResult,
  type StreamProblem,
} from "./simulate.ts";
export { simulationIncrementality, simulationReport, type SimulationReportInput } from "./report/index.ts";
export {
  stageReport,
  stageWindow,
  StageDefinitionError,
  StageWindowError,
  type StageReportMeta,
} from "./report/stages/index.ts";
export { startSidecar, type Sidecar, type SidecarConfig } from "./server/sidecar.ts";
export type { JourneyStats, NodeStats } from "./server/stats.ts";
export type { JourneySummary, NodeCounts } from "./effects/summary.ts";
export { engineOpenApiDocument } from "./server/openapi.ts";
