import type { LogicError, LogicErrorCode, JourneyId, NodeId } from "@lifeloop/shared";

/** Where a rule sits: the journey version, the node (null for segments, goal and exits) and the document path. */
export interface RuleSite {
  journeyId: JourneyId;
  version: number;
  nodeId: NodeId | null;
  /** JSON path of the rule in the journey document: "$.nodes[3].params.rule", "$.goal.condition". */
  path: string;
  /** The rule's field inside its node ("params.rule", "params.branches[1].rule"); null outside nodes. */
  field: string | null;
}

/**
 * A journey rule that failed on the data it was given: over a run-time limit (`limit_steps`,
 * `limit_string`, `limit_array`, `limit_depth`) or another evaluation error the rule and the data
 * caused together. The step that evaluated it is abandoned (the person stays as they were); the
 * runtimes record it as a `step_failed` entry, simulate() throws it.
 *
 * `userId` and `eventId` are filled in by the runtime that ran the step (see `during`).
 */
export class RuleFailure extends Error {
  override readonly name = "RuleFailure";
  /** The evaluator's code: "limit_steps", "limit_string", … */
  readonly code: LogicErrorCode;
  readonly journeyId: JourneyId;
  readonly version: number;
  readonly nodeId: NodeId | null;
  /** JSON path of the rule in the journey document. */
  readonly path: string;
  readonly field: string | null;
  /** JSON path inside the rule of the operator that failed: "$.reduce[1]". */
  readonly rulePath: string;
  /** The evaluator's own words. */
  readonly detail: string;
  readonly userId: string | null;
  /** The event being applied, or null for a timer or a scheduled entry. */
  readonly eventId: string | null;

  constructor(site: RuleSite, cause: LogicError, who: { userId: string; eventId: string | null } | null = null) {
    const node = site.nodeId === null ? "" : ` (node "${site.nodeId}")`;
    const person = who === null ? "" : ` for ${who.userId}${who.eventId === null ? "" : ` on event ${who.eventId}`}`;
    super(
      `the rule at ${site.path}${node} of journey "${site.journeyId}" failed${person}: ${cause.code} ` +
        `at ${cause.path}: ${cause.message}`,
      { cause },
    );
    this.code = cause.code;
    this.journeyId = site.journeyId;
    this.version = site.version;
    this.nodeId = site.nodeId;
    this.path = site.path;
    this.field = site.field;
    this.rulePath = cause.path;
    this.detail = cause.message;
    this.userId = who?.userId ?? null;
    this.eventId = who?.eventId ?? null;
  }

  get site(): RuleSite {
    return {
      journeyId: this.journeyId,
      version: this.version,
      nodeId: this.nodeId,
      path: this.path,
      field: this.field,
    };
  }

  /** JSON path in the document of the operator that failed: the rule's path, then the path inside it. */
  get operatorPath(): string {
    return this.rulePath === "$" ? this.path : this.path + this.rulePath.slice(1);
  }

  /** The same failure, saying whose step it was. */
  during(userId: string, eventId: string | null): RuleFailure {
    return new RuleFailure(this.site, this.cause as LogicError, { userId, eventId });
  }
}

/** A limit of the evaluator (as opposed to another evaluation error). */
export const isLimitCode = (code: LogicErrorCode): boolean => code.startsWith("limit_");
