import type { AggregateSpec } from "../aggregate.ts";
import { moneyWithoutCurrency } from "../catalog.ts";
import { parseDuration } from "../duration.ts";
import { assertNoForbiddenKeys, InputError, joinPath, toJsonPath } from "../json.ts";
import { kindNames, kindOf, QUIET_COMPILE } from "../kinds/index.ts";
import type { BudgetPace } from "../kinds/reward-limits.ts";
import type { CompileContext, EntrySpec, JsonObject, NodeKindDef, RewardFacts, RuleScope } from "../kinds/types.ts";
import { defaultEvaluator, type Evaluator } from "../logic/index.ts";
import { migrateDocument } from "../migrate.ts";
import { DraftJourney } from "../schema/journey.ts";
import { schemaProblems, UNKNOWN_FIELD } from "../schema/strict.ts";
import type { NodeId, Rule } from "../schema/common.ts";
import { worstCaseCost, type CostReport } from "./cost.ts";
import { EXECUTABLE_FORMAT, type ExecutableGroup, type ExecutableJourney, type ExecutableNode } from "./executable.ts";
import { isCyclic, reachableFrom, stronglyConnected, type Adjacency } from "./graph.ts";
import { IssueList, type Issue } from "./issues.ts";
import { analyzeRule, withinRule } from "./rules.ts";
import { resolveTemplate } from "./template.ts";
import type { VariableContext } from "./variables.ts";
import { carriesNotice, forbiddenIn, type WordingPolicy } from "./wording.ts";

export interface CompileResult {
  /** No errors: the journey may be published. Warnings do not block. */
  ok: boolean;
  issues: Issue[];
  /** The document as parsed (defaults filled), when its outer shape is sound; drafts are saved from this. */
  document: DraftJourney | null;
  /** Present only when ok. */
  executable: ExecutableJourney | null;
  /** Worst-case reward cost, as far as it can be worked out even for a draft with errors. */
  cost: CostReport | null;
}

export interface CompileOptions {
  evaluator?: Evaluator;
  /**
   * The workspace's wording policy (forbidden phrases, the risk notice of investment promotion):
   * violations are errors, so they block publishing. Without one, no wording is checked.
   */
  wording?: WordingPolicy;
}

/**
 * How many whole evaluations' worth of steps (maxSteps each) validation may spend evaluating the
 * constant parts of a journey's rules, to find those over a limit whatever the data. Ordinary rules
 * use a handful of steps; a document made of loops over literal arrays stops here (tens of ms per
 * evaluation's worth) and the rest is left to run time.
 */
const FOLD_EVALUATIONS = 5;

interface NodeEntry {
  index: number;
  id: NodeId;
  kind: NodeKindDef | undefined;
  /** Parsed params, or undefined when they fail the kind's schema. */
  params: unknown;
}

/**
 * Document → executable graph, or every reason it cannot be, each saying where. Works in stages
 * that keep going past errors so one pass shows a person everything to fix: the outer shape, each
 * node's params against its kind, edges and handles, reachability and loops, rules and templates,
 * budgets, then the worst-case cost.
 */
export function compileJourney(input: unknown, options: CompileOptions = {}): CompileResult {
  const evaluator = options.evaluator ?? defaultEvaluator;
  const wording = options.wording;
  const issues = new IssueList();
  const fail = (): CompileResult => ({
    ok: false,
    issues: issues.sorted(),
    document: null,
    executable: null,
    cost: null,
  });

  try {
    assertNoForbiddenKeys(input);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    issues.error(e.code, e.path, e.message);
    return fail();
  }
  const migrated = migrateDocument(input);
  if (!migrated.ok) {
    issues.error("schema_version", migrated.path, migrated.message);
    return fail();
  }

  // Stage 1: the outer shape, nodes still loose so one bad node does not hide the rest.
  const outer = DraftJourney.safeParse(migrated.document);
  if (!outer.success) {
    for (const p of schemaProblems(outer.error.issues)) {
      issues.error(schemaCode(p.code), toJsonPath(p.path), p.message, nodeAt(migrated.document, p.path));
    }
    return fail();
  }
  const doc = outer.data;

  // Stage 2: each node against its kind.
  const nodes = new Map<string, NodeEntry>();
  doc.nodes.forEach((n, index) => {
    const path = `$.nodes[${index}]`;
    if (nodes.has(n.id)) {
      issues.error("duplicate_id", `${path}.id`, `node id "${n.id}" is used twice`, { nodeId: n.id, field: "id" });
      return;
    }
    const kind = kindOf(n.kind);
    const entry: NodeEntry = { index, id: n.id, kind, params: undefined };
    nodes.set(n.id, entry);
    if (!kind) {
      issues.error(
        "unknown_kind",
        `${path}.kind`,
        `unknown node kind "${n.kind}"; known kinds: ${kindNames().join(", ")}`,
        { nodeId: n.id, field: "kind" },
      );
      return;
    }
    const parsed = kind.params.safeParse(n.params);
    if (parsed.success) entry.params = parsed.data;
    else
      for (const p of schemaProblems(parsed.error.issues)) {
        issues.error(schemaCode(p.code), toJsonPath(p.path, `${path}.params`), p.message, {
          nodeId: n.id,
          field: toJsonPath(p.path, "params"),
        });
      }
  });

  // Stage 3: edges and handles.
  const adj: Adjacency = new Map([...nodes.keys()].map((id) => [id, []]));
  const next = new Map<string, Record<string, NodeId | null>>();
  const handlesOf = (e: NodeEntry) => (e.kind && e.params !== undefined ? e.kind.handles(e.params) : null);
  for (const e of nodes.values()) {
    const hs = handlesOf(e);
    if (hs) next.set(e.id, Object.fromEntries(hs.map((h) => [h.id, null])));
  }
  const edgeIds = new Set<string>();
  doc.edges.forEach((edge, i) => {
    const path = `$.edges[${i}]`;
    if (edgeIds.has(edge.id)) issues.error("duplicate_id", `${path}.id`, `edge id "${edge.id}" is used twice`);
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source)
      issues.error(
        "dangling_edge",
        `${path}.source`,
        `edge "${edge.id}" starts at "${edge.source}", which is not a node in this journey`,
      );
    if (!target)
      issues.error(
        "dangling_edge",
        `${path}.target`,
        `edge "${edge.id}" ends at "${edge.target}", which is not a node in this journey`,
      );
    if (!source || !target) return;
    if (target.kind?.enters) {
      issues.error(
        "edge_into_trigger",
        `${path}.target`,
        `edge "${edge.id}" leads into ${target.kind.kind} "${target.id}"; people only enter a journey at a trigger`,
        { nodeId: target.id },
      );
    }
    const handles = next.get(source.id);
    if (handles) {
      if (!Object.hasOwn(handles, edge.sourceHandle)) {
        const known = Object.keys(handles);
        issues.error(
          "unknown_handle",
          `${path}.sourceHandle`,
          `node "${source.id}" (${source.kind!.kind}) has no branch ` +
            `"${edge.sourceHandle}"` +
            (known.length ? `; its branches are ${known.join(", ")}` : "; it has no outgoing branches"),
          { nodeId: source.id },
        );
        return;
      }
      if (handles[edge.sourceHandle] !== null) {
        issues.error(
          "handle_multiple_edges",
          `${path}.sourceHandle`,
          `branch "${edge.sourceHandle}" of node "${source.id}" already leads to ` +
            `"${handles[edge.sourceHandle]}"; a branch leads to one node`,
          { nodeId: source.id },
        );
        return;
      }
      handles[edge.sourceHandle] = target.id;
    }
    adj.get(source.id)!.push(target.id);
  });

  // Only entries, nothing after them: a journey just begun, not a broken one. Said once, about the
  // journey (no node turns red), and still an error: published, it would let people in for nothing.
  const begun =
    nodes.size > 0 && [...nodes.values()].every((e) => e.kind?.enters !== undefined) && doc.edges.length === 0;
  if (begun)
    issues.error(
      "journey_empty",
      "$.nodes",
      "nothing happens after the trigger yet: add a step and connect the trigger to it",
    );
  for (const e of nodes.values()) {
    const hs = begun ? [] : handlesOf(e);
    for (const h of hs ?? []) {
      if (h.required && next.get(e.id)?.[h.id] === null) {
        issues.error(
          "handle_unconnected",
          `$.nodes[${e.index}]`,
          `branch "${h.id}" of node "${e.id}" (${e.kind!.kind}) is not connected`,
          { nodeId: e.id, field: `handles.${h.id}` },
        );
      }
    }
  }

  // Stage 4: entries, reachability, loops.
  // Entry points: nodes of the kinds that say how people enter.
  const triggers = [...nodes.values()].filter((e) => e.kind?.enters).map((e) => e.id);
  if (triggers.length === 0)
    issues.error("no_trigger", "$.nodes", "the journey has no trigger, so nobody can enter it");
  const reachable = reachableFrom(triggers, adj);
  for (const e of nodes.values()) {
    if (triggers.length > 0 && !reachable.has(e.id)) {
      issues.error("unreachable_node", `$.nodes[${e.index}]`, `node "${e.id}" cannot be reached from any trigger`, {
        nodeId: e.id,
      });
    }
  }
  const components = stronglyConnected([...nodes.keys()], adj);
  const rewards = new Map<string, RewardFacts>();
  for (const e of nodes.values()) {
    if (e.kind?.rewardFacts && e.params !== undefined) rewards.set(e.id, e.kind.rewardFacts(e.params));
  }
  for (const component of components) {
    if (!isCyclic(component, adj)) continue;
    const pauses = component.some((id) => {
      const e = nodes.get(id)!;
      return e.kind?.pauses && e.params !== undefined && e.kind.pauses.always(e.params);
    });
    const first = nodes.get(component[0]!)!;
    if (!pauses) {
      issues.error(
        "cycle_without_wait",
        `$.nodes[${first.index}]`,
        `nodes ${component.map((c) => `"${c}"`).join(" → ")} form a loop with no wait: a run would spin forever`,
        { nodeId: first.id },
      );
    }
    for (const id of component) {
      const f = rewards.get(id);
      if (f && f.cap?.period !== "lifetime" && !f.budget) {
        const e = nodes.get(id)!;
        issues.warning(
          "reward_in_loop",
          `$.nodes[${e.index}].params.cap`,
          `reward "${id}" sits in a loop with no lifetime cap and no budget: one person could be granted it ` +
            `without end`,
          { nodeId: id, field: "params.cap" },
        );
      }
    }
  }

  // Stage 5: rules, templates, segments, budgets.
  const segmentRules: Record<string, unknown> = {};
  doc.segments.forEach((s, i) => {
    if (Object.hasOwn(segmentRules, s.id))
      issues.error("duplicate_id", `$.segments[${i}].id`, `segment id "${s.id}" is used twice`);
    segmentRules[s.id] = s.condition;
  });
  const aggregates = new Map<string, AggregateSpec>();
  for (const m of moneyWithoutCurrency(doc.catalog)) {
    const path =
      m.event === null
        ? joinPath("$.catalog.attributes", m.name)
        : joinPath(joinPath("$.catalog.events", m.event), "currency");
    const what = m.event === null ? `profile attribute "${m.name}"` : `property "${m.name}" of "${m.event}"`;
    issues.error("money_without_currency", path, `${what} is money but the catalog names no currency for it`);
  }

  // Evaluating the constant parts of rules is bounded per document, not per rule: see FOLD_EVALUATIONS.
  const foldBudget = { steps: FOLD_EVALUATIONS * evaluator.limits.maxSteps };
  const checkRule = (
    rule: unknown,
    docPath: string,
    vars: VariableContext,
    where: { nodeId?: string; field?: string } = {},
  ) => {
    const a = analyzeRule(rule, vars, evaluator, segmentRules, foldBudget);
    for (const p of a.problems) issues.error(p.code, withinRule(docPath, p.path), p.message, where);
    for (const s of a.aggregates) aggregates.set(s.key, s);
  };
  const vars: Pick<VariableContext, "catalog" | "triggerType"> = { catalog: doc.catalog };

  const compileNode = (e: NodeEntry & { kind: NodeKindDef }): JsonObject => {
    const nodePath = `$.nodes[${e.index}]`;
    const field = (f: string) => ({ nodeId: e.id, field: `params.${f}` });
    const paramPath = (f: string) => joinFieldPath(`${nodePath}.params`, f);
    const ctx: CompileContext = {
      rule: (rule, f, scope: RuleScope, eventType?: string) => {
        if (rule === undefined) return null;
        checkRule(rule, paramPath(f), { ...vars, scope, eventType }, field(f));
        return rule as Rule;
      },
      template: (text, f) => {
        const t = resolveTemplate(text, { ...vars, scope: "run" });
        for (const p of t.problems) issues.error(p.code, paramPath(f), p.message, field(f));
        for (const s of t.aggregates) aggregates.set(s.key, s);
        for (const hit of forbiddenIn(text, wording?.forbidden ?? [])) {
          issues.error(
            "wording_forbidden",
            paramPath(f),
            `the text contains "${hit.phrase}", which this workspace forbids (rule: ${hit.rule})`,
            field(f),
          );
        }
        return t.text;
      },
      riskNotice: (texts, f) => {
        const notice = wording?.riskNotice ?? null;
        if (notice === null || carriesNotice(texts, notice)) return;
        issues.error(
          "risk_notice_missing",
          paramPath(f),
          `this message is tagged as investment promotion but does not carry the risk notice "${notice}"`,
          field(f),
        );
      },
      segment: (id, f) => {
        if (!Object.hasOwn(segmentRules, id))
          issues.error("unknown_segment", paramPath(f), `no segment "${id}" in this journey`, field(f));
      },
      error: (code, f, message) => issues.error(code, paramPath(f), message, field(f)),
      warning: (code, f, message) => issues.warning(code, paramPath(f), message, field(f)),
    };
    return e.kind.compile(e.params, ctx);
  };
  const compilable = [...nodes.values()].filter(
    (e): e is NodeEntry & { kind: NodeKindDef } => e.kind !== undefined && e.params !== undefined,
  );

  // The events entry nodes enter on say what `trigger` stands for in every other rule. Entry nodes
  // are compiled once quietly for that (compiling is pure), so rules are still checked in document order.
  const entries: Array<{ id: string; spec: EntrySpec }> = [];
  for (const e of compilable) {
    const spec = e.kind.enters?.(e.kind.compile(e.params, QUIET_COMPILE));
    if (spec) entries.push({ id: e.id, spec });
  }
  const triggerEvents = entries.flatMap(({ spec }) => (spec.on === "event" ? [spec.event] : []));
  if (new Set(triggerEvents).size === 1) vars.triggerType = triggerEvents[0];

  doc.segments.forEach((s, i) => checkRule(s.condition, `$.segments[${i}].condition`, { ...vars, scope: "profile" }));
  if (doc.goal?.condition !== undefined) {
    checkRule(doc.goal.condition, "$.goal.condition", { ...vars, scope: "run", eventType: doc.goal.event });
  }
  doc.exitCriteria.forEach((x, i) => {
    if (x.condition === undefined) return;
    const eventType = x.type === "event" ? x.event : undefined;
    checkRule(x.condition, `$.exitCriteria[${i}].condition`, {
      ...vars,
      scope: x.type === "event" ? "run" : "profile",
      eventType,
    });
  });

  const budgets = new Map<string, { amount: number; unit: string; pace?: BudgetPace; path: string }>();
  const executableNodes: Record<string, ExecutableNode> = {};
  for (const e of compilable) {
    const nodePath = `$.nodes[${e.index}]`;
    const params = compileNode(e);
    executableNodes[e.id] = { id: e.id, kind: e.kind.kind, params, next: next.get(e.id) ?? {}, path: nodePath };

    const f = rewards.get(e.id);
    if (f?.budget) {
      const seen = budgets.get(f.budget.id);
      const path = `${nodePath}.params.budget`;
      const pace = JSON.stringify(f.budget.pace ?? null);
      if (
        seen &&
        (seen.amount !== f.budget.amount || seen.unit !== f.unit || JSON.stringify(seen.pace ?? null) !== pace)
      ) {
        issues.error(
          "budget_conflict",
          path,
          `budget "${f.budget.id}" is ${f.budget.amount} ${f.unit} here but ${seen.amount} ${seen.unit} ` +
            `at ${seen.path}; one budget has one amount, unit and pace`,
          { nodeId: e.id, field: "params.budget" },
        );
      } else if (!seen)
        budgets.set(f.budget.id, {
          amount: f.budget.amount,
          unit: f.unit,
          ...(f.budget.pace ? { pace: f.budget.pace } : {}),
          path,
        });
    }
  }

  if (doc.entry.reentry === "once") {
    const why = repeatsWhy(entries, rewards, aggregates, triggerEvents);
    if (why) {
      issues.warning(
        "entry_once_repeating",
        "$.entry.reentry",
        `people enter this journey once ever, but ${why}: each person gets through at most once in a ` +
          `lifetime; let them enter again ("always" or once per period)`,
      );
    }
  }

  if (doc.groupPeriod !== undefined && doc.group === undefined) {
    issues.warning(
      "group_period_without_group",
      "$.groupPeriod",
      "a group period only keeps people apart between journeys of one group, and this journey is in none: " +
        "set its group",
    );
  }
  if (doc.priority !== undefined && doc.group === undefined) {
    issues.warning(
      "priority_without_group",
      "$.priority",
      "a priority only decides between journeys of one group, and this journey is in none: set its group",
    );
  }

  const cost = worstCaseCost(rewards, components, adj, triggers, doc.entry.reentry === "once");
  if (issues.hasErrors) return { ok: false, issues: issues.sorted(), document: doc, executable: null, cost };

  const journey = doc;
  const executable: ExecutableJourney = {
    format: EXECUTABLE_FORMAT,
    journeyId: journey.id,
    name: journey.name,
    schemaVersion: journey.schemaVersion,
    timeZone: journey.timeZone,
    entry: journey.entry,
    ...(journey.group === undefined ? {} : { group: groupOf(journey.group, journey.priority, journey.groupPeriod) }),
    settings: { quietHours: journey.settings.quietHours ?? null, frequencyCap: journey.settings.frequencyCap ?? null },
    goal: journey.goal
      ? {
          event: journey.goal.event,
          condition: journey.goal.condition ?? null,
          windowMs: parseDuration(journey.goal.window)!,
        }
      : null,
    exitCriteria: journey.exitCriteria.map((x) => ({
      type: x.type,
      event: x.type === "event" ? x.event : null,
      condition: x.condition ?? null,
      reason: x.reason,
    })),
    segments: segmentRules as Record<string, Rule>,
    segmentPaths: Object.fromEntries(doc.segments.map((s, i) => [s.id, `$.segments[${i}]`])),
    aggregates: [...aggregates.values()]
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map(({ key, fn, event, prop, window }) => ({ key, fn, event, prop, window })),
    triggers,
    nodes: executableNodes,
    budgets: Object.fromEntries(
      [...budgets].map(([id, b]) => [id, { amount: b.amount, unit: b.unit, ...(b.pace ? { pace: b.pace } : {}) }]),
    ),
    cost,
  };
  return { ok: true, issues: issues.sorted(), document: doc, executable, cost };
}

/**
 * Why the journey looks made to run for the same person again and again, or null: a reward paid
 * per event (a rebate), a rule summing up the very event that starts it, a schedule that repeats.
 */
function repeatsWhy(
  entries: Array<{ id: string; spec: EntrySpec }>,
  rewards: Map<string, RewardFacts>,
  aggregates: Map<string, AggregateSpec>,
  triggerEvents: string[],
): string | null {
  for (const [id, f] of rewards) if (f.fromEvent) return `reward "${id}" pays per event`;
  for (const a of aggregates.values()) {
    if (triggerEvents.includes(a.event))
      return `its trigger "${a.event}" happens again and again (a rule adds it up over time)`;
  }
  for (const { id, spec } of entries) {
    if (spec.on === "schedule" && spec.every !== null) return `trigger "${id}" fires every ${spec.every}`;
  }
  return null;
}

/** The issue code of a schema problem: "unknown_field" for an unknown key, "schema" for the rest. */
const schemaCode = (code: string): string => (code === UNKNOWN_FIELD ? UNKNOWN_FIELD : "schema");

/** "params" + "branches[1].rule" → "$.nodes[2].params.branches[1].rule". */
/** The executable's group: its id, the priority (0 unless set) and, when declared, the period in ms. */
function groupOf(id: string, priority: number | undefined, period: string | undefined): ExecutableGroup {
  const periodMs = period === undefined ? null : parseDuration(period);
  return { id, priority: priority ?? 0, ...(periodMs === null ? {} : { periodMs }) };
}

function joinFieldPath(base: string, field: string): string {
  return field.split(/\.|(?=\[)/).reduce((p, part) => {
    const m = /^\[(\d+)\]$/.exec(part);
    return m ? `${p}[${m[1]}]` : joinPath(p, part);
  }, base);
}

/** The node a schema error at `path` falls in, read from the raw document. */
function nodeAt(raw: unknown, path: ReadonlyArray<PropertyKey>): { nodeId?: string; field?: string } {
  if (path[0] !== "nodes" || typeof path[1] !== "number") return {};
  const node = (raw as { nodes?: unknown[] }).nodes?.[path[1]];
  const id = node && typeof node === "object" ? (node as { id?: unknown }).id : undefined;
  const field = path.slice(2).join(".") || undefined;
  return { ...(typeof id === "string" ? { nodeId: id } : {}), ...(field ? { field } : {}) };
}
