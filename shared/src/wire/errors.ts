import { z } from "zod";
import { JsonValue } from "../schema/common.ts";

/**
 * The one error shape every HTTP answer of the API and the engine uses: `{ error: { code, message,
 * issues?, … } }` on 400, 401, 403, 404, 409, 413, 415, 422, 500, 502 and 503.
 */

/**
 * One problem in a request: where (a JSON path; `query.limit` / `path.id` / `header.if-match`
 * outside the body) and why.
 */
export const ErrorIssue = z.object({
  path: z.string(),
  nodeId: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
  code: z.string().optional(),
  severity: z.enum(["error", "warning"]).optional(),
});
export type ErrorIssue = z.infer<typeof ErrorIssue>;

/** On 422 rule_failed: which rule failed in a replay, how, and for whom. */
export const RuleFailureDetail = z.object({
  code: z
    .string()
    .meta({ description: 'The evaluator\'s code: "limit_steps", "limit_string", "limit_array", "limit_depth", …' }),
  journeyId: z.string(),
  nodeId: z.string().nullable(),
  path: z
    .string()
    .meta({ description: 'JSON path of the rule in the journey document, e.g. "$.nodes[3].params.rule".' }),
  rulePath: z
    .string()
    .meta({ description: 'JSON path inside the rule of the operator that failed, e.g. "$.reduce[1]".' }),
  userId: z.string().nullable(),
  eventId: z
    .string()
    .nullable()
    .meta({ description: "The event being replayed; null for a timer or a scheduled entry." }),
});
export type RuleFailureDetail = z.infer<typeof RuleFailureDetail>;

export const ErrorBody = z.object({
  error: z.object({
    /** Stable machine code: not_found, conflict, invalid_document, compile_failed, unavailable… */
    code: z.string().meta({
      description:
        "Stable machine code: not_found, conflict, invalid_request, compile_failed, rule_failed, unavailable…",
    }),
    message: z.string(),
    issues: z.array(ErrorIssue).optional(),
    current: JsonValue.optional().meta({
      description: "On 409 for a stale write: the resource as it is now, so the client can merge or reload.",
    }),
    failure: RuleFailureDetail.optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
