/**
 * Rules over the evaluator's limits, said for the person who wrote them. The evaluator's errors name
 * the limit in engineering terms ("limit_steps"); a marketer reading the problems panel needs to know
 * what is too big and what to do about it. Every such problem has one code, `rule_over_limit`; which
 * limit it was is in the words.
 */
import type { Limits } from "../limits.ts";
import type { LogicError } from "../logic/index.ts";

const RULE_OVER_LIMIT = "rule_over_limit";

/** What rules.ts reports as a RuleProblem (kept structural here so the two modules do not import each other). */
export interface LimitProblem {
  code: typeof RULE_OVER_LIMIT;
  /** Path inside the rule, "$" being the rule itself. */
  path: string;
  message: string;
}

const n = (x: number) => x.toLocaleString("en-US");

/**
 * The problem for a limit error found while compiling a rule, or null when `e` is no limit error.
 * `evaluated`: the error came from evaluating a part of the rule that depends on no data (rather
 * than from reading the rule's shape).
 */
export function overLimit(e: LogicError, limits: Readonly<Limits>, evaluated: boolean): LimitProblem | null {
  const message = wording(e, limits, evaluated);
  return message === null ? null : { code: RULE_OVER_LIMIT, path: e.path || "$", message };
}

function wording(e: LogicError, limits: Readonly<Limits>, evaluated: boolean): string | null {
  const always = "whatever the event or the profile holds, so it would fail for everyone who reaches it";
  switch (e.code) {
    case "limit_string":
      return (
        `this part of the rule always builds a text longer than ${n(limits.maxStringLength)} ` +
        `characters, ${always}; join shorter texts`
      );
    case "limit_array":
      return (
        `this part of the rule always works on a list longer than ${n(limits.maxArrayLength)} ` +
        `items, ${always}; use a shorter list`
      );
    case "limit_steps":
      return (
        `this part of the rule always takes more than ${n(limits.maxSteps)} steps to work out, ${always}; loop ` +
        `over shorter lists or fewer times`
      );
    case "limit_depth":
      return !evaluated
        ? `this rule is nested more than ${n(limits.maxRuleDepth)} levels deep; split it into simpler ` +
            `conditions or a segment`
        : `a list written into this rule is nested more than ${n(limits.maxJsonDepth)} levels deep, ${always}; ` +
            `flatten it`;
    case "limit_nodes":
      return (
        `this rule has more than ${n(limits.maxRuleNodes)} parts (conditions, values and the segments it ` +
        `uses), more than a rule may have; make it shorter`
      );
    default:
      return null;
  }
}
