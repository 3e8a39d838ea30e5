/**
 * Every issue code the compiler can report, in one list, so each has a plain message in both
 * languages (messages.ts). A test reads the compiler's sources for the codes they emit and fails
 * on one missing here; the types below fail to compile when a code union grows.
 */
import type { InputError } from "../json.ts";
import type { LogicErrorCode } from "../logic/errors.ts";

/** Codes the compiler, the kinds' compile steps and the rule and template checks emit themselves. */
const COMPILER = [
  "schema_version",
  "schema",
  "unknown_field",
  "duplicate_id",
  "unknown_kind",
  "dangling_edge",
  "edge_into_trigger",
  "unknown_handle",
  "handle_multiple_edges",
  "handle_unconnected",
  "journey_empty",
  "no_trigger",
  "unreachable_node",
  "cycle_without_wait",
  "reward_in_loop",
  "reward_unbounded",
  "budget_conflict",
  "wait_without_timeout",
  "message_quiet_hours_off",
  "entry_once_repeating",
  "priority_without_group",
  "group_period_without_group",
  "money_without_currency",
  "unknown_variable",
  "bad_aggregate",
  "rule_over_limit",
  "template_syntax",
  "template_money_currency",
  "wording_forbidden",
  "risk_notice_missing",
  // Not the compiler's own: overlap.ts, asked by whoever knows the other live journeys.
  "live_reward_overlap",
] as const;

/** Codes of the untrusted-JSON reader (a document too large, too deep, not JSON, a `__proto__` key). */
const INPUT: Record<InputError["code"], true> = {
  too_large: true,
  too_deep: true,
  not_json: true,
  forbidden_key: true,
};

/** Codes of the evaluator's errors, which the rule check passes on when they are not about limits. */
const LOGIC: Record<LogicErrorCode, true> = {
  refused_operator: true,
  unknown_operator: true,
  forbidden_path: true,
  invalid_rule: true,
  bad_argument: true,
  limit_depth: true,
  limit_nodes: true,
  limit_array: true,
  limit_string: true,
  limit_steps: true,
  unknown_segment: true,
  segment_cycle: true,
  missing_env: true,
  runtime_error: true,
};

export const ISSUE_CODES: readonly string[] = [...new Set([...COMPILER, ...Object.keys(INPUT), ...Object.keys(LOGIC)])];
