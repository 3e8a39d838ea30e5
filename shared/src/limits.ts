/**
 * Hard limits on untrusted input. Journey files, event payloads and rules all come from outside;
 * every walk over them is bounded by these numbers so a hostile document fails fast with a clear
 * error instead of exhausting memory or the stack.
 */
export const LIMITS = {
  /** Bytes of a journey file or API body before it is even parsed. */
  maxDocumentBytes: 2 * 1024 * 1024,
  /** Nesting of arrays/objects in any untrusted JSON text. */
  maxJsonDepth: 64,
  /** Nodes and edges in one journey. */
  maxNodes: 5_000,
  maxEdges: 10_000,
  /** Nesting of one JSON-logic rule. */
  maxRuleDepth: 48,
  /** Operator and literal nodes in one JSON-logic rule. */
  maxRuleNodes: 5_000,
  /** Length of any array an operator consumes or produces at run time. */
  maxArrayLength: 10_000,
  /** Iterations (map/filter/reduce/all/some/none bodies) in one evaluation. */
  maxSteps: 1_000_000,
  /** Length of any string an operator produces (cat, substr). */
  maxStringLength: 65_536,
  /** Free-text fields (names, descriptions, templates). */
  maxTextLength: 10_000,
} as const;

export type Limits = { -readonly [K in keyof typeof LIMITS]: number };
