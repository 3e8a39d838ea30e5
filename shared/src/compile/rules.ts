import { AGGREGATE_OPERATORS, aggregateSpecFromArgs, type AggregateSpec } from "../aggregate.ts";
import { joinPath } from "../json.ts";
import { LogicError, REFUSED_OPERATORS, SCOPED_OPERATORS, type Evaluator } from "../logic/index.ts";
import { overLimit } from "./limits.ts";
import { checkVariable, type VariableContext } from "./variables.ts";

export interface RuleProblem {
  code: string;
  /** Path inside the rule, "$" being the rule itself: "$.and[1].var". */
  path: string;
  message: string;
}

export interface RuleAnalysis {
  problems: RuleProblem[];
  aggregates: AggregateSpec[];
  segments: Array<{ id: string; path: string }>;
}

const scoped = new Set<string>(SCOPED_OPERATORS);

/**
 * Reads a rule once, statically, and says everything wrong with it (not just the first thing):
 * unknown or refused operators, variables that do not exist where the rule sits, malformed
 * aggregates. Then it asks the evaluator to compile it, which catches what only compiling can
 * (limits, argument shapes, segment cycles) and evaluates the parts that depend on no data, so a
 * rule over a limit whatever the data is refused here (`rule_over_limit`) rather than failing for
 * every person live. Collects the aggregates and segments it uses.
 */
export function analyzeRule(
  rule: unknown,
  vars: VariableContext,
  evaluator: Evaluator,
  segmentRules: Record<string, unknown>,
  foldBudget: { steps: number } = { steps: evaluator.limits.maxSteps },
): RuleAnalysis {
  const out: RuleAnalysis = { problems: [], aggregates: [], segments: [] };

  const walk = (node: unknown, path: string, inItemScope: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, joinPath(path, i), inItemScope));
      return;
    }
    if (node === null || typeof node !== "object") return;
    const keys = Object.keys(node);
    // An object with other than one key is data, not an operation (json-logic semantics).
    if (keys.length !== 1) return;
    const op = keys[0]!;
    const opPath = joinPath(path, op);
    const raw = (node as Record<string, unknown>)[op];
    const args = Array.isArray(raw) ? raw : [raw];

    if (Object.hasOwn(REFUSED_OPERATORS, op)) {
      out.problems.push({
        code: "refused_operator",
        path: opPath,
        message: `operator "${op}" is refused: ${REFUSED_OPERATORS[op]}`,
      });
      return;
    }
    if (!evaluator.isOperator(op)) {
      out.problems.push({ code: "unknown_operator", path: opPath, message: `unknown operator "${op}"` });
      return;
    }
    if (op === "var") {
      const target = args[0];
      if (typeof target === "string" || typeof target === "number") {
        const why = inItemScope ? null : checkVariable(String(target), vars);
        if (why) out.problems.push({ code: "unknown_variable", path: opPath, message: why });
        return;
      }
    }
    if (Object.hasOwn(AGGREGATE_OPERATORS, op)) {
      const r = aggregateSpecFromArgs(op, args);
      if ("error" in r) out.problems.push({ code: "bad_aggregate", path: opPath, message: r.error });
      else if (!out.aggregates.some((a) => a.key === r.spec.key)) out.aggregates.push(r.spec);
      return;
    }
    if (op === "in_segment") {
      const id = args[0];
      if (typeof id !== "string" || args.length !== 1) {
        out.problems.push({ code: "bad_argument", path: opPath, message: '"in_segment" takes one literal segment id' });
      } else if (!Object.hasOwn(segmentRules, id)) {
        out.problems.push({ code: "unknown_segment", path: opPath, message: `no segment "${id}" in this journey` });
      } else {
        out.segments.push({ id, path: opPath });
      }
      return;
    }
    if (scoped.has(op)) {
      // The first argument picks the array; later ones run once per item with the item as data.
      walk(args[0], joinPath(opPath, 0), inItemScope);
      args.slice(1).forEach((a, i) => walk(a, joinPath(opPath, i + 1), true));
      return;
    }
    if (Array.isArray(raw)) args.forEach((a, i) => walk(a, joinPath(opPath, i), inItemScope));
    else walk(raw, opPath, inItemScope);
  };

  walk(rule, "$", false);
  if (out.problems.length > 0) return out;

  try {
    // Parts of the rule that depend on no data are evaluated now, under the same limits as live:
    // one that hits a limit would fail for everyone it reaches, so the rule cannot be published.
    const onAlwaysFails = (e: LogicError) => {
      const problem = overLimit(e, evaluator.limits, true);
      if (problem) out.problems.push(problem);
    };
    evaluator.compile(rule, { segments: segmentRules, onAlwaysFails, foldBudget });
  } catch (e) {
    if (!(e instanceof LogicError)) throw e;
    out.problems.push(
      overLimit(e, evaluator.limits, false) ?? { code: e.code, path: e.path || "$", message: e.message },
    );
  }
  return out;
}

/** Joins a document path and a rule-relative path: "$.nodes[2].params.rule" + "$.and[0]". */
export function withinRule(docPath: string, rulePath: string): string {
  return rulePath === "$" ? docPath : docPath + rulePath.slice(1);
}
