/**
 * Wire types: the shapes of requests and answers over HTTP (errors, journeys, versions, diffs,
 * simulation effects, trace records and summaries, the engine's journey stats), as zod schemas.
 * The API and the engine answer with them, their OpenAPI documents are derived from them, and the
 * typed client (@lifeloop/client) is generated from those documents.
 */
import type { z } from "zod";
import { JsonValue } from "../schema/common.ts";
import { DiffResult, FieldChange, JourneyDiff } from "./diff.ts";
import { EFFECT_VARIANTS, EffectRecord, RewardData, StepFailedRecord, TimelineRecord, TraceRecord } from "./effects.ts";
import { ErrorBody, ErrorIssue, RuleFailureDetail } from "./errors.ts";
import { Cost, ImportResult, JourneyDetail, JourneyPage, JourneySummary } from "./journeys.ts";
import { NodeCounts, SimulationResult, SimulationStats, SimulationSummary } from "./simulation.ts";
import { JourneyStats, NodeStats } from "./stats.ts";
import { ExecutableGraph, Version, VersionList, VersionSummary } from "./versions.ts";
import { ObservedEvents } from "./observed.ts";

export * from "./diff.ts";
export * from "./engine.ts";
export * from "./backtest.ts";
export * from "./effects.ts";
export * from "./event-log.ts";
export * from "./errors.ts";
export * from "./incrementality.ts";
export * from "./journeys.ts";
export * from "./simulation.ts";
export * from "./stats.ts";
export * from "./stages.ts";
export * from "./test-send.ts";
export * from "./versions.ts";
export * from "./wallet.ts";
export * from "./redemption-catalog.ts";
export * from "./observed.ts";
export * from "./coupon-pools.ts";
export { componentSchemas, COMPONENT_REF, pruneComponents, rewriteRefs } from "./openapi.ts";

/** "spend_refused" → "SpendRefused". */
const pascal = (kind: string) => kind.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/**
 * The component name of each wire schema in the OpenAPI documents (the names are part of the
 * contract: generated clients call the types by them).
 */
export const WIRE_COMPONENTS: Readonly<Record<string, z.ZodType>> = {
  JsonValue,
  Error: ErrorBody,
  ErrorIssue,
  RuleFailure: RuleFailureDetail,
  Cost,
  JourneySummary,
  JourneyDetail,
  JourneyPage,
  ImportResult,
  VersionSummary,
  VersionList,
  Version,
  ExecutableJourney: ExecutableGraph,
  FieldChange,
  JourneyDiff,
  DiffResult,
  ObservedEvents,
  RewardData,
  ...Object.fromEntries(Object.entries(EFFECT_VARIANTS).map(([kind, schema]) => [`${pascal(kind)}Effect`, schema])),
  EffectRecord,
  TraceRecord,
  StepFailedRecord,
  TimelineRecord,
  NodeCounts,
  SimulationSummary,
  SimulationStats,
  SimulationResult,
  NodeStats,
  JourneyStats,
};
