/**
 * What a simulation run means for the canvas and for one person, as pure functions of the engine's
 * result (engine/src/simulate.ts: effects, trace, summary), so they are tested on real runs.
 */
import type { JourneySummary } from "@lifeloop/engine";
import type { Overlay } from "../store/overlay.ts";

/** What the panel needs of a run: the engine's result, as the API or simulate() answers it. */
export interface SimRun {
  effects: readonly object[];
  trace: readonly object[];
  summary: readonly object[];
}

type Rec = Record<string, unknown>;
const effectsOf = (run: SimRun) => run.effects as readonly Rec[];
const traceOf = (run: SimRun) => run.trace as readonly Rec[];

/** The edges of a document, as far as matching counts to them needs. */
export interface EdgesOf {
  edges: ReadonlyArray<{ id: string; source: string; sourceHandle: string }>;
}

export function summaryOf(run: SimRun, journeyId: string): JourneySummary | null {
  const list = run.summary as readonly JourneySummary[];
  return list.find((s) => s.journeyId === journeyId) ?? null;
}

/** Per node: people who arrived (badge) and a detail line; per edge: runs that left by its branch. */
export function overlayFromSimulation(summary: JourneySummary | null, doc: EdgesOf, detail?: (nodeId: string, counts: JourneySummary["nodes"][string]) => string | undefined): Overlay {
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

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

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
  for (const e of effectsOf(run)) {
    if (e.journeyId !== journeyId || typeof e.userId !== "string") continue;
    const p = get(e.userId);
    p.onlyTrace = false;
    if (e.kind === "enter") p.entries++;
    if (e.kind === "convert") p.converted = true;
    if (e.kind === "exit") p.exits.push(str(e.reason) ?? "");
  }
  for (const t of traceOf(run)) if (t.journeyId === journeyId && typeof t.userId === "string") get(t.userId);
  return [...people.values()];
}

/** One line of a person's timeline: an effect or a trace note, with what makes its "why". */
export interface Step {
  at: string;
  nodeId: string | null;
  /** Effect kind, or "trace:<note>" for a trace note. */
  kind: string;
  record: Record<string, unknown>;
}

/** A person's effects and trace notes for this journey, in time order (effects before notes at the same instant, each in run order). */
export function timelineOf(run: SimRun, journeyId: string, userId: string): Step[] {
  const steps: Array<Step & { seq: number }> = [];
  let seq = 0;
  for (const e of effectsOf(run)) {
    if (e.journeyId !== journeyId || e.userId !== userId) continue;
    steps.push({ at: String(e.at), nodeId: str(e.nodeId), kind: String(e.kind), record: e, seq: seq++ });
  }
  for (const t of traceOf(run)) {
    if (t.journeyId !== journeyId || t.userId !== userId) continue;
    steps.push({ at: String(t.at), nodeId: str(t.nodeId), kind: `trace:${String(t.note)}`, record: t, seq: seq++ });
  }
  return steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq)).map(({ seq: _s, ...s }) => s);
}

/** Node ids a person passed, in order (the node entered, then each node moved to), repeats kept apart from immediate ones. */
export function pathOf(steps: readonly Step[]): string[] {
  const path: string[] = [];
  const push = (id: string | null) => {
    if (id && path[path.length - 1] !== id) path.push(id);
  };
  for (const s of steps) {
    if (s.kind === "enter") push(s.nodeId);
    else if (s.kind === "move") push(str(s.record.to));
  }
  return path;
}

/** Edge ids a person's path used, for highlighting. */
export function pathEdges(steps: readonly Step[], doc: EdgesOf): string[] {
  const out: string[] = [];
  for (const s of steps) {
    if (s.kind !== "move" || !s.nodeId) continue;
    const e = doc.edges.find((x) => x.source === s.nodeId && x.sourceHandle === s.record.handle);
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
}

/**
 * The plain-words "why" of a step as an i18n key and its values; `fmt` turns times, amounts and
 * readings into the person's language and the journey's time zone.
 */
export function whyOf(step: Step, fmt: WhyFormat): { key: string; values: Record<string, string | number> } {
  const r = step.record;
  switch (step.kind) {
    case "enter":
      return { key: "sim.why.enter", values: { trigger: show(r.trigger), entry: Number(r.entry ?? 1) } };
    case "move":
      return r.to === null || r.to === undefined
        ? { key: "sim.why.moveEnd", values: { handle: show(r.handle) } }
        : { key: "sim.why.move", values: { handle: show(r.handle), to: show(r.to) } };
    case "decide": {
      const inputs = r.inputs && typeof r.inputs === "object" ? Object.entries(r.inputs as Record<string, unknown>) : [];
      const read = inputs.map(([k, v]) => fmt.reading(k, v)).join("; ");
      return inputs.length > 0 ? { key: "sim.why.decide", values: { handle: show(r.handle), inputs: read } } : { key: "sim.why.decideNoInputs", values: { handle: show(r.handle) } };
    }
    case "wait":
      if (typeof r.event === "string" && typeof r.until === "string") return { key: "sim.why.waitEvent", values: { event: r.event, until: fmt.time(r.until) } };
      if (typeof r.event === "string") return { key: "sim.why.waitEventForever", values: { event: r.event } };
      if (typeof r.until === "string") return { key: "sim.why.waitUntil", values: { until: fmt.time(r.until) } };
      return { key: "sim.why.wait", values: {} };
    case "resume":
      return { key: "sim.why.resume", values: { handle: show(r.handle) } };
    case "reward": {
      const reward = (r.reward ?? {}) as { type?: string; amount?: number | null; code?: string | null; unit?: string };
      const amount = typeof reward.amount === "number" && reward.unit ? fmt.money(reward.unit, reward.amount) : show(reward.code ?? reward.type);
      const clipped = typeof r.clippedFrom === "number" && reward.unit ? fmt.money(reward.unit, r.clippedFrom) : null;
      return clipped ? { key: "sim.why.rewardClipped", values: { amount, from: clipped } } : { key: "sim.why.reward", values: { amount } };
    }
    case "refuse":
      return { key: `sim.why.refuse.${show(r.reason)}`, values: { detail: show(r.detail ?? "") } };
    case "message":
      return { key: "sim.why.message", values: { channel: show(r.channel), text: show(r.text) } };
    case "hold":
      return { key: "sim.why.hold", values: { until: typeof r.until === "string" ? fmt.time(r.until) : show(r.until) } };
    case "suppress":
      return { key: "sim.why.suppress", values: { detail: show(r.detail ?? "") } };
    case "attribute":
      return { key: "sim.why.attribute", values: { op: show(r.op), name: show(r.name), value: show(r.value) } };
    case "goal":
      return { key: "sim.why.goal", values: { name: show(r.name) } };
    case "convert":
      return { key: "sim.why.convert", values: { event: show(r.event) } };
    case "segment":
      return { key: r.change === "leave" ? "sim.why.segmentLeave" : "sim.why.segmentEnter", values: { segment: show(r.segment) } };
    case "exit":
      return { key: "sim.why.exit", values: { reason: show(r.reason) } };
    case "migrate":
      return { key: "sim.why.migrate", values: { from: Number(r.from) } };
    default:
      if (step.kind.startsWith("trace:")) return { key: `sim.why.${step.kind.replace(":", ".")}`, values: { reason: show(r.reason) } };
      return { key: "sim.why.other", values: { kind: step.kind } };
  }
}

/** Exit reasons the engine uses itself, shown in words; others are the journey's own names. */
export const KNOWN_EXITS: readonly string[] = ["end_of_path", "step_limit", "version_removed"];
