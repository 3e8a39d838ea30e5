/**
 * What a simulation run means for the canvas and for one person, as pure functions of the engine's
 * result (effects by kind, trace records, per-journey summaries: the API's SimulationResult), so
 * they are tested on real runs.
 */
import type { ApiSchemas } from "@lifeloop/client";
import type { Overlay } from "../store/overlay.ts";

type EffectRecord = ApiSchemas["EffectRecord"];
type TraceRecord = ApiSchemas["TraceRecord"];
export type JourneySummary = ApiSchemas["SimulationSummary"];

/** What the panel needs of a run: the engine's result, as the API or simulate() answers it. */
export interface SimRun {
  effects: readonly EffectRecord[];
  trace: readonly TraceRecord[];
  summary: readonly JourneySummary[];
}

/** The edges of a document, as far as matching counts to them needs. */
export interface EdgesOf {
  edges: ReadonlyArray<{ id: string; source: string; sourceHandle: string }>;
}

export function summaryOf(run: SimRun, journeyId: string): JourneySummary | null {
  return run.summary.find((s) => s.journeyId === journeyId) ?? null;
}

/** Per node: people who arrived (badge) and a detail line; per edge: runs that left by its branch. */
export function overlayFromSimulation(
  summary: JourneySummary | null,
  doc: EdgesOf,
  detail?: (nodeId: string, counts: JourneySummary["nodes"][string]) => string | undefined,
): Overlay {
  const nodes: Overlay["nodes"] = {};
  const edges: Overlay["edges"] = {};
  if (summary) {
    for (const [id, counts] of Object.entries(summary.nodes)) {
      const d = detail?.(id, counts);
      nodes[id] = { count: counts.arrived, ...(d ? { detail: d } : {}) };
    }
    for (const e of doc.edges) {
      const n = summary.nodes[e.source]?.left[e.sourceHandle];
      if (n) edges[e.id] = n;
    }
  }
  return { source: "simulation", nodes, edges };
}

export interface Person {
  userId: string;
  entries: number;
  converted: boolean;
  /** Exit reasons, in order. */
  exits: string[];
  /** Nothing happened in the journey, only "why not" notes. */
  onlyTrace: boolean;
}

/** Everyone the run touched for this journey, in order of first appearance. */
export function peopleOf(run: SimRun, journeyId: string): Person[] {
  const people = new Map<string, Person>();
  const get = (id: string) => {
    let p = people.get(id);
    if (!p) {
      p = { userId: id, entries: 0, converted: false, exits: [], onlyTrace: true };
      people.set(id, p);
    }
    return p;
  };
  for (const e of run.effects) {
    if (e.journeyId !== journeyId) continue;
    const p = get(e.userId);
    p.onlyTrace = false;
    if (e.kind === "enter") p.entries++;
    if (e.kind === "convert") p.converted = true;
    if (e.kind === "exit") p.exits.push(e.reason);
  }
  for (const t of run.trace) if (t.journeyId === journeyId) get(t.userId);
  return [...people.values()];
}

/** One line of a person's timeline: an effect or a trace note, with what makes its "why". */
export interface Step {
  at: string;
  nodeId: string | null;
  /** Effect kind, or "trace:<note>" for a trace note. */
  kind: string;
  record: EffectRecord | TraceRecord;
}

/**
 * A person's effects and trace notes for this journey, in time order (effects before notes at the same instant, each in
 * run order).
 */
export function timelineOf(run: SimRun, journeyId: string, userId: string): Step[] {
  const steps: Array<Step & { seq: number }> = [];
  let seq = 0;
  for (const e of run.effects) {
    if (e.journeyId !== journeyId || e.userId !== userId) continue;
    steps.push({ at: e.at, nodeId: e.nodeId, kind: e.kind, record: e, seq: seq++ });
  }
  for (const t of run.trace) {
    if (t.journeyId !== journeyId || t.userId !== userId) continue;
    steps.push({ at: t.at, nodeId: t.nodeId, kind: `trace:${t.note}`, record: t, seq: seq++ });
  }
  return steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq)).map(({ seq: _s, ...s }) => s);
}

/**
 * Node ids a person passed, in order (the node entered, then each node moved to), repeats kept apart from immediate
 * ones.
 */
export function pathOf(steps: readonly Step[]): string[] {
  const path: string[] = [];
  const push = (id: string | null) => {
    if (id && path[path.length - 1] !== id) path.push(id);
  };
  for (const { record: r } of steps) {
    if (r.kind === "enter") push(r.nodeId);
    else if (r.kind === "move") push(r.to);
  }
  return path;
}

/** Edge ids a person's path used, for highlighting. */
export function pathEdges(steps: readonly Step[], doc: EdgesOf): string[] {
  const out: string[] = [];
  for (const { record: r } of steps) {
    if (r.kind !== "move" || !r.nodeId) continue;
    const e = doc.edges.find((x) => x.source === r.nodeId && x.sourceHandle === r.handle);
    if (e && !out.includes(e.id)) out.push(e.id);
  }
  return out;
}

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** How the "why" of a step puts times, amounts and what a rule read into the person's words. */
export interface WhyFormat {
  time(iso: string): string;
  money(unit: string, minor: number): string;
  /** A value a decision read: "This month's sum of transaction amount = ¥11,000.00". */
  reading(label: string, value: unknown): string;
  /** A branch as the canvas labels it ("yes", "Timeout"…); without it, the handle id. */
  branch?(nodeId: string, handle: string): string;
  /** A node as the canvas names it; without it, the id. */
  node?(nodeId: string): string;
}

/**
 * The plain-words "why" of a step as an i18n key and its values; `fmt` turns times, amounts and
 * readings into the person's language and the journey's time zone.
 */
export function whyOf(step: Step, fmt: WhyFormat): { key: string; values: Record<string, string | number> } {
  const r = step.record;
  const branch = (handle: string) => (step.nodeId && fmt.branch ? fmt.branch(step.nodeId, handle) : handle);
  const node = (id: string) => (fmt.node ? fmt.node(id) : id);
  switch (r.kind) {
    case "enter":
      return { key: "sim.why.enter", values: { trigger: r.trigger, entry: r.entry } };
    case "move":
      return r.to === null
        ? { key: "sim.why.moveEnd", values: { handle: branch(r.handle) } }
        : { key: "sim.why.move", values: { handle: branch(r.handle), to: node(r.to) } };
    case "decide": {
      const inputs = Object.entries(r.inputs);
      const read = inputs.map(([k, v]) => fmt.reading(k, v)).join("; ");
      return inputs.length > 0
        ? { key: "sim.why.decide", values: { handle: branch(r.handle), inputs: read } }
        : { key: "sim.why.decideNoInputs", values: { handle: branch(r.handle) } };
    }
    case "wait":
      if (r.event !== null && r.until !== null)
        return { key: "sim.why.waitEvent", values: { event: r.event, until: fmt.time(r.until) } };
      if (r.event !== null) return { key: "sim.why.waitEventForever", values: { event: r.event } };
      if (r.until !== null) return { key: "sim.why.waitUntil", values: { until: fmt.time(r.until) } };
      return { key: "sim.why.wait", values: {} };
    case "resume":
      return { key: "sim.why.resume", values: { handle: branch(r.handle) } };
    case "reward": {
      const { reward } = r;
      const amount =
        reward.amount !== null && reward.unit ? fmt.money(reward.unit, reward.amount) : (reward.code ?? reward.type);
      const clipped = r.clippedFrom !== null && reward.unit ? fmt.money(reward.unit, r.clippedFrom) : null;
      return clipped
        ? { key: "sim.why.rewardClipped", values: { amount, from: clipped } }
        : { key: "sim.why.reward", values: { amount } };
    }
    case "refuse":
      return { key: `sim.why.refuse.${r.reason}`, values: { detail: r.detail } };
    case "coupon_redeem":
    case "coupon_expire": {
      // The code, with its face value when it has one: "WELCOME10 (¥10.00)".
      const value = r.amount !== null ? fmt.money(r.unit, r.amount) : null;
      const values = { coupon: value ? `${r.code} (${value})` : r.code, issued: fmt.time(r.issuedAt) };
      return { key: r.kind === "coupon_redeem" ? "sim.why.couponRedeem" : "sim.why.couponExpire", values };
    }
    case "expire":
      return {
        key: "sim.why.pointsExpire",
        values: { points: fmt.money("points", r.points), balance: fmt.money("points", r.balance) },
      };
    case "spend":
    case "spend_refused":
      return {
        key: r.kind === "spend" ? "sim.why.spend" : "sim.why.spendRefused",
        values: { points: fmt.money("points", r.points), item: r.item, balance: fmt.money("points", r.balance) },
      };
    case "level":
      return { key: "sim.why.level", values: { from: r.from, to: r.to, xp: r.xp } };
    case "message":
      return { key: "sim.why.message", values: { channel: r.channel, text: r.text } };
    case "hold":
      return { key: "sim.why.hold", values: { until: fmt.time(r.until) } };
    case "suppress":
      return { key: "sim.why.suppress", values: { detail: r.detail } };
    case "attribute":
      return { key: "sim.why.attribute", values: { op: r.op, name: r.name, value: show(r.value) } };
    case "goal":
      return { key: "sim.why.goal", values: { name: r.name } };
    case "convert":
      return { key: "sim.why.convert", values: { event: r.event } };
    case "holdout_convert":
      return { key: "sim.why.holdoutConvert", values: { event: r.event } };
    case "segment":
      return {
        key: r.change === "leave" ? "sim.why.segmentLeave" : "sim.why.segmentEnter",
        values: { segment: r.segment },
      };
    case "exit":
      return { key: "sim.why.exit", values: { reason: r.reason } };
    case "migrate":
      return { key: "sim.why.migrate", values: { from: r.from } };
    case "trace":
      return { key: `sim.why.trace.${r.note}`, values: { reason: r.reason } };
    default:
      // A kind newer than this editor: said as it is.
      return { key: "sim.why.other", values: { kind: step.kind } };
  }
}

/** Exit reasons the engine uses itself, shown in words; others are the journey's own names. */
export const KNOWN_EXITS: readonly string[] = ["end_of_path", "step_limit", "version_removed"];
