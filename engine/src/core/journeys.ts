import {
  aggregateSpecFromArgs,
  AGGREGATE_OPERATORS,
  aggregateSpecOf,
  defaultEvaluator,
  kindOf,
  LogicError,
  type AggregateSpec,
  type CompiledRule,
  type EntrySpec,
  type Evaluator,
  type ExecutableJourney,
  type ExecutableNode,
  type JourneyId,
  type NodeId,
  type WorkspaceHoldout,
  type WorkspaceLevels,
} from "@lifeloop/shared";
import { seriesKey, type SeriesSpec } from "./aggregates.ts";
import { RuleFailure, type RuleSite } from "./rule-failure.ts";

export type InFlightPolicy = "keep" | "migrate";

/** A rule compiled once per version, with what it reads, so a decision can say what it saw. */
export interface LoadedRule {
  /** Throws RuleFailure (saying where the rule sits) for anything the rule and the data cause. */
  fn: CompiledRule;
  /** Variable paths and aggregates the rule reads, for "why" in the timeline. */
  reads: Array<{ label: string; path: string[] } | { label: string; aggregate: AggregateSpec }>;
}

export interface LoadedNode extends ExecutableNode {
  /** The rules the node's kind declares, compiled, by the key its behaviour reads them with. */
  rules: Record<string, LoadedRule>;
  /** How people enter here, for the nodes of entry kinds. */
  entry: EntrySpec | null;
  /** When a run paused here for an event: which events count (see NodeKindDef.resumesOn). */
  resumesOn: { correlate: string | null; filter: string | null } | null;
}

/** One published version, ready to run: rules compiled, aggregates indexed by event type. */
export interface LoadedJourney {
  journeyId: JourneyId;
  version: number;
  inFlight: InFlightPolicy;
  exe: ExecutableJourney;
  nodes: Record<string, LoadedNode>;
  segments: Array<{ id: string; rule: LoadedRule }>;
  /** Segment ids some trigger of this version listens to. */
  segmentTriggers: Set<string>;
  /** Segments whose rules read the clock: they can change with no event, so they are re-checked daily. */
  timeDependentSegments: boolean;
  goal: { event: string; rule: LoadedRule | null; windowMs: number } | null;
  exits: Array<{ type: "event" | "condition"; event: string | null; rule: LoadedRule | null; reason: string }>;
  series: SeriesSpec[];
  seriesBySpec: Map<string, SeriesSpec>;
}

export interface PublishedJourney {
  journeyId: JourneyId;
  status: "live" | "paused";
  liveVersion: number;
  versions: Array<{ version: number; inFlight: InFlightPolicy; executable: ExecutableJourney }>;
}

/**
 * The set of published journeys the core runs against. Old versions stay loaded while people
 * are still in them; only the live version takes new entries.
 */
export class World {
  readonly live: LoadedJourney[];
  private readonly byVersion = new Map<string, LoadedJourney>();
  private readonly status = new Map<JourneyId, "live" | "paused">();
  private readonly liveById = new Map<string, LoadedJourney>();
  /** Every series some live or in-flight version keeps, by event type. */
  readonly seriesByEvent = new Map<string, SeriesSpec[]>();
  readonly anySegmentTriggers: boolean;
  /**
   * The leads, in days, of the `points_expiring` notices live journeys trigger on (ascending): the
   * wallet schedules one notice per lead before each expiry (core/wallet-notices.ts).
   */
  readonly expiringLeadDays: readonly number[];

  constructor(
    published: PublishedJourney[],
    evaluator: Evaluator = defaultEvaluator,
    /** The workspace holdout the feed carries: who is kept out of which journeys (core/gates/holdout.ts). */
    readonly holdout: WorkspaceHoldout | null = null,
    /** The workspace's growth levels the feed carries: how xp is earned and levels move (core/levels.ts). */
    readonly levels: WorkspaceLevels | null = null,
  ) {
    const live: LoadedJourney[] = [];
    const seen = new Set<string>();
    for (const p of [...published].sort((a, b) =>
      a.journeyId < b.journeyId ? -1 : a.journeyId > b.journeyId ? 1 : 0,
    )) {
      this.status.set(p.journeyId, p.status);
      for (const v of p.versions) {
        const loaded = loadJourney(v.executable, v.version, v.inFlight, evaluator);
        this.byVersion.set(`${p.journeyId}@${v.version}`, loaded);
        for (const s of loaded.series) {
          if (seen.has(s.key)) continue;
          seen.add(s.key);
          const list = this.seriesByEvent.get(s.event) ?? [];
          list.push(s);
          this.seriesByEvent.set(s.event, list);
        }
        if (v.version === p.liveVersion) {
          live.push(loaded);
          this.liveById.set(p.journeyId, loaded);
        }
      }
    }
    this.live = live;
    this.anySegmentTriggers = live.some((j) => j.segmentTriggers.size > 0);
    const leads = new Set<number>();
    for (const j of live)
      for (const id of j.exe.triggers) {
        const days = j.nodes[id]?.entry?.on === "event" ? j.nodes[id].entry.expiringDays : undefined;
        if (days !== undefined) leads.add(days);
      }
    this.expiringLeadDays = [...leads].sort((a, b) => a - b);
  }

  version(journeyId: JourneyId, version: number): LoadedJourney | undefined {
    return this.byVersion.get(`${journeyId}@${version}`);
  }

  liveVersion(journeyId: JourneyId): LoadedJourney | undefined {
    return this.liveById.get(journeyId);
  }

  isPaused(journeyId: JourneyId): boolean {
    return this.status.get(journeyId) === "paused";
  }

  /** Every published journey, live or paused. */
  journeyIds(): JourneyId[] {
    return [...this.status.keys()];
  }
}

const TIME_OPERATORS = new Set([
  "now",
  "days_since",
  "hours_since",
  "local_hour",
  "local_weekday",
  "local_date",
  "last_seen",
  ...Object.keys(AGGREGATE_OPERATORS),
]);

/** Compiles every rule of one version once. The executable was checked by the compiler: no re-validation. */
export function loadJourney(
  exe: ExecutableJourney,
  version: number,
  inFlight: InFlightPolicy,
  evaluator: Evaluator = defaultEvaluator,
): LoadedJourney {
  const aggregates: AggregateSpec[] = [];
  const rule = (
    r: unknown,
    where: { nodeId: NodeId | null; path: string; field: string | null },
  ): LoadedRule | null => {
    if (r === null || r === undefined) return null;
    return {
      fn: located(evaluator.compile(r, { segments: exe.segments }), { journeyId: exe.journeyId, version, ...where }),
      reads: readsOf(r, aggregates, exe.segments),
    };
  };
  const inNode = (node: ExecutableNode, field: string) => ({
    nodeId: node.id,
    path: `${nodePath(node)}.${field}`,
    field,
  });
  const outside = (path: string) => ({ nodeId: null, path, field: null });
  // Executables compiled before nodes and segments carried their document path: point by id instead.
  const nodePath = (node: ExecutableNode) => node.path ?? `$.nodes[?(@.id==${JSON.stringify(node.id)})]`;
  const segmentPath = (id: string) => exe.segmentPaths?.[id] ?? `$.segments[?(@.id==${JSON.stringify(id)})]`;
  const nodes: Record<string, LoadedNode> = {};
  const segmentTriggers = new Set<string>();
  for (const [id, node] of Object.entries(exe.nodes)) {
    // What the node's kind declares about it, read from its compiled params; a kind this engine
    // does not know declares nothing (its behaviour is looked up, and missed, when a run gets there).
    const kind = kindOf(node.kind);
    const rules: Record<string, LoadedRule> = {};
    for (const spec of kind?.rules?.(node.params) ?? []) {
      const r = rule(spec.rule, inNode(node, `params.${spec.field}`));
      if (r) rules[spec.key] = r;
    }
    const entry = kind?.enters?.(node.params) ?? null;
    if (entry?.on === "segment") segmentTriggers.add(entry.segment);
    nodes[id] = { ...node, rules, entry, resumesOn: kind?.resumesOn?.(node.params) ?? null };
  }
  const segments = Object.entries(exe.segments).map(([id, r]) => ({
    id,
    rule: rule(r, outside(`${segmentPath(id)}.condition`))!,
  }));
  const goal = exe.goal
    ? {
        event: exe.goal.event,
        rule: rule(exe.goal.condition, outside("$.goal.condition")),
        windowMs: exe.goal.windowMs,
      }
    : null;
  const exits = exe.exitCriteria.map((c, i) => ({
    type: c.type,
    event: c.event,
    rule: rule(c.condition, outside(`$.exitCriteria[${i}].condition`)),
    reason: c.reason,
  }));
  // Every rule of the version was compiled above, so `aggregates` holds each one a rule reads;
  // the compiler's list adds those only templates read ({{agg_sum(…)}}).
  for (const a of exe.aggregates) {
    const spec = aggregateSpecOf(a);
    if (spec) aggregates.push(spec);
  }
  const series: SeriesSpec[] = [];
  const seriesBySpec = new Map<string, SeriesSpec>();
  for (const spec of aggregates) {
    if (seriesBySpec.has(spec.key)) continue;
    const s: SeriesSpec = {
      key: seriesKey(spec, exe.timeZone),
      event: spec.event,
      prop: spec.fn === "count" || spec.fn === "last_seen" ? null : spec.prop,
      spec,
      timeZone: exe.timeZone,
    };
    series.push(s);
    seriesBySpec.set(spec.key, s);
  }
  const timeDependentSegments = segments.some(
    (s) => segmentTriggers.has(s.id) && usesClock(exe.segments[s.id], exe.segments),
  );
  return {
    journeyId: exe.journeyId,
    version,
    inFlight,
    exe,
    nodes,
    segments,
    segmentTriggers,
    timeDependentSegments,
    goal,
    exits,
    series,
    seriesBySpec,
  };
}

/**
 * The compiled rule, with the evaluator's errors (the rule and the data together) turned into a
 * RuleFailure that says where the rule sits; host failures (an aggregate read) pass unchanged.
 */
function located(fn: CompiledRule, site: RuleSite): CompiledRule {
  return (data, env) => {
    try {
      return fn(data, env);
    } catch (e) {
      throw e instanceof LogicError ? new RuleFailure(site, e) : e;
    }
  };
}

/** Walks a rule for what it reads: `var` paths and aggregates (segments included, once each). */
function readsOf(rule: unknown, aggregates: AggregateSpec[], segments: Record<string, unknown>): LoadedRule["reads"] {
  const reads: LoadedRule["reads"] = [];
  const labels = new Set<string>();
  const visitedSegments = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== "object") return;
    const keys = Object.keys(node);
    if (keys.length !== 1) return;
    const op = keys[0]!;
    const arg = (node as Record<string, unknown>)[op];
    const args = Array.isArray(arg) ? arg : [arg];
    if (op === "var") {
      const path = args[0];
      if (typeof path === "string" && path !== "" && !labels.has(path) && reads.length < 24) {
        labels.add(path);
        reads.push({ label: path, path: path.split(".") });
      }
      return;
    }
    if (op in AGGREGATE_OPERATORS) {
      const r = aggregateSpecFromArgs(op, args);
      if ("spec" in r) {
        aggregates.push(r.spec);
        const label = `${op}(${args.join(", ")})`;
        if (!labels.has(label) && reads.length < 24) {
          labels.add(label);
          reads.push({ label, aggregate: r.spec });
        }
      }
      return;
    }
    if (
      op === "in_segment" &&
      typeof args[0] === "string" &&
      !visitedSegments.has(args[0]) &&
      Object.hasOwn(segments, args[0])
    ) {
      visitedSegments.add(args[0]);
      walk(segments[args[0]]);
      return;
    }
    args.forEach(walk);
  };
  walk(rule);
  return reads;
}

function usesClock(rule: unknown, segments: Record<string, unknown>, depth = 0): boolean {
  if (depth > 64) return false;
  if (Array.isArray(rule)) return rule.some((r) => usesClock(r, segments, depth + 1));
  if (rule === null || typeof rule !== "object") return false;
  for (const [op, arg] of Object.entries(rule)) {
    if (TIME_OPERATORS.has(op)) return true;
    if (op === "in_segment") {
      const id = Array.isArray(arg) ? arg[0] : arg;
      if (typeof id === "string" && Object.hasOwn(segments, id) && usesClock(segments[id], segments, depth + 1))
        return true;
    }
    if (usesClock(arg, segments, depth + 1)) return true;
  }
  return false;
}
