/**
 * @lifeloop/shared — the journey document and how it compiles. No I/O: runs in Node and the browser.
 */
export * from "./schema/common.ts";
export * from "./schema/journey.ts";
export * from "./schema/segment.ts";
export * from "./schema/event.ts";
export { hintOf, type FieldHint } from "./schema/hints.ts";
export { schemaProblems, unknownFieldMessage, UNKNOWN_FIELD, type SchemaProblem } from "./schema/strict.ts";
export { journeyJsonSchema, JOURNEY_SCHEMA_ID } from "./schema/json-schema.ts";
export * from "./kinds/index.ts";
export { compileJourney, type CompileResult, type CompileOptions } from "./compile/compile.ts";
export { analyzeRule, withinRule, type RuleAnalysis, type RuleProblem } from "./compile/rules.ts";
export type { Issue } from "./compile/issues.ts";
export { ISSUE_CODES } from "./compile/codes.ts";
export { entryRewardFacts, liveRewardOverlaps, type LiveJourneyFacts } from "./compile/overlap.ts";
export { ISSUE_MESSAGES, plainIssue, plainSchemaMessage, type PlainIssue } from "./compile/messages.ts";
export * from "./compile/executable.ts";
export type { CostReport } from "./compile/cost.ts";
export { renderTemplate, templateVariables, type AggregateReader } from "./compile/template.ts";
export {
  carriesNotice,
  DEFAULT_FORBIDDEN_PHRASES,
  DEFAULT_RISK_NOTICE,
  forbiddenIn,
  normaliseWording,
  PhraseText,
  RiskNoticeText,
  RuleText,
  type ForbiddenPhrase,
  type WordingPolicy,
} from "./compile/wording.ts";
export * from "./logic/index.ts";
export * from "./aggregate.ts";
export * from "./duration.ts";
export * from "./time.ts";
export { windowRange } from "./window.ts";
export * from "./money.ts";
export { drawBetween, redPacketClaim, redPacketMaxClaim, type RedPacket } from "./lucky.ts";
export { attributeCurrency, pathCurrency, propCurrency } from "./catalog.ts";
export * from "./money-parse.ts";
export * from "./format.ts";
export {
  EXPIRING_WITHIN_DAYS,
  MAX_EXPIRING_DAYS,
  POINTS_EXPIRING_EVENT,
  POINTS_REDEEMED_EVENT,
  WALLET_EVENTS,
  WALLET_FIELDS,
} from "./wallet.ts";
export { LIMITS, type Limits } from "./limits.ts";
export { parseUntrustedJson, assertNoForbiddenKeys, InputError, joinPath, toJsonPath } from "./json.ts";
export { readBoundedBody, DISCARD_BODY_BYTES, type BoundedBody } from "./body.ts";
export { migrateDocument, type MigrationResult } from "./migrate.ts";
export * from "./schema/feed.ts";
export * from "./schema/holdout.ts";
export * from "./schema/levels.ts";
export * from "./schema/report.ts";
export { CSV_SECTIONS, csvField, reportCsv, toCsv, type CsvSection } from "./report/csv.ts";
export * from "./schema/delivery.ts";
export { idCandidates, slugify, uniqueId, uniqueIdAsync } from "./ids.ts";
export * from "./wire/index.ts";
export { diffJourneys, diffValues } from "./diff.ts";
