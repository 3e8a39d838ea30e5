/**
 * Operators json-logic-js has (or had) that this evaluator refuses, with the reason given to authors.
 * Rules are untrusted input; none of these compute anything a journey needs.
 */
export const REFUSED_OPERATORS: Readonly<Record<string, string>> = Object.freeze({
  method:
    "calls a JavaScript method by name on a value from the data, which lets a rule reach any function on the " +
    "prototype chain",
  log:
    "writes rule-controlled values to the server console: a side effect and a log-flooding vector, not a " +
    "computation",
});

/**
 * json-logic-js resolves an unknown operator containing a dot ("a.b") by walking nested objects of its
 * operator table, so whatever object was registered becomes callable by path. Operator names here are
 * exact keys of a per-instance table; a dotted name that is not one of them is refused, not looked up.
 */
export const DOTTED_OPERATOR_REASON =
  "dotted sub-operation lookup (json-logic-js walks nested objects of its operator table by path) is " +
  "refused; operators are exact names";

export function refusalReason(op: string): string | undefined {
  return Object.hasOwn(REFUSED_OPERATORS, op) ? REFUSED_OPERATORS[op] : undefined;
}
