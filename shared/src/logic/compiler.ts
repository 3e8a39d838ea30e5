/**
 * Walks a rule's JSON once and turns it into a tree of closures. All checks that do not depend on data
 * happen here — operator names, refused operators, static var paths, rule depth and size, literal
 * aggregate arguments, segment references — so errors surface when a journey is compiled, with the path
 * of the offending node, not when an event arrives.
 */
import type { Limits } from "../limits.ts";
import { LogicError, toPublicError } from "./errors.ts";
import { deepFreeze, defineOwn, isPlainObject } from "./literals.ts";
import { indexPath, keyPath } from "./paths.ts";
import { DOTTED_OPERATOR_REASON, refusalReason } from "./refused.ts";
import { Ctx, type CNode, type Node, type OpSite, type OpSpec } from "./types.ts";

export interface CompileSession {
  readonly table: ReadonlyMap<string, OpSpec>;
  readonly limits: Readonly<Limits>;
  readonly segments: Readonly<Record<string, unknown>> | undefined;
  /** Segments compiled so far in this compile() call: each is compiled once however often it is used. */
  readonly segmentCache: Map<string, CompiledSegment>;
  /** Segments being compiled right now, outermost first (a reference to one of them is a cycle). */
  readonly segmentStack: string[];
  /** CompileOptions.onAlwaysFails, if the caller asked. */
  readonly onAlwaysFails: ((error: LogicError) => void) | undefined;
  /** Steps constant folding may still spend (CompileOptions.foldBudget). */
  readonly foldBudget: { steps: number };
}

interface CompiledSegment {
  readonly run: Node;
  /** Nodes of the segment's rule including the segments it references, as if inlined. */
  readonly nodes: number;
  readonly depth: number;
}

function constant(value: unknown): CNode {
  return { run: () => value, constant: true, value, itemOnly: true };
}

const UNDEFINED = constant(undefined);

export function newSession(
  table: ReadonlyMap<string, OpSpec>,
  limits: Readonly<Limits>,
  segments: Readonly<Record<string, unknown>> | undefined,
  onAlwaysFails?: (error: LogicError) => void,
  foldBudget: { steps: number } = { steps: limits.maxSteps },
): CompileSession {
  return { table, limits, segments, segmentCache: new Map(), segmentStack: [], onAlwaysFails, foldBudget };
}

export class RuleCompiler {
  /** Nodes so far, counting each referenced segment's (expanded) nodes where it is referenced. */
  nodes = 0;
  /** Deepest nesting so far, through referenced segments too. */
  depth = 0;

  constructor(private readonly session: CompileSession) {}

  compileRoot(rule: unknown): CNode {
    return this.compile(rule, "$", 1);
  }

  private compile(raw: unknown, path: string, depth: number): CNode {
    this.enter(path, depth);
    if (raw === null || typeof raw !== "object") return constant(this.primitive(raw, path));
    if (Array.isArray(raw)) return this.array(raw, path, depth);
    if (!isPlainObject(raw)) throw notJson(path);
    const keys = Object.keys(raw);
    // json-logic-js: an object with exactly one key is an operation; any other object is data.
    if (keys.length !== 1) return constant(deepFreeze(this.cloneObject(raw, keys, path, depth)));
    const op = keys[0]!;
    return this.operator(op, (raw as Record<string, unknown>)[op], path, depth);
  }

  private enter(path: string, depth: number): void {
    const { maxRuleDepth, maxRuleNodes } = this.session.limits;
    if (depth > maxRuleDepth) {
      throw new LogicError("limit_depth", `rule is nested deeper than ${maxRuleDepth} levels`, path);
    }
    if (++this.nodes > maxRuleNodes) {
      throw new LogicError("limit_nodes", `rule has more than ${maxRuleNodes} nodes`, path);
    }
    if (depth > this.depth) this.depth = depth;
  }

  private primitive(raw: unknown, path: string): unknown {
    const t = typeof raw;
    if (t === "function" || t === "symbol" || t === "bigint") throw notJson(path);
    return raw;
  }

  private array(raw: readonly unknown[], path: string, depth: number): CNode {
    const items = raw.map((r, i) => this.compile(r, indexPath(path, i), depth + 1));
    if (items.every((n) => n.constant)) return constant(deepFreeze(items.map((n) => n.value)));
    // json-logic-js evaluates every element of an array; the result is a fresh array per evaluation.
    const runs = items.map((n) => n.run);
    const n = runs.length;
    return dynamic(
      (d, c) => {
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = runs[i]!(d, c);
        return out;
      },
      items.every((i) => i.itemOnly),
    );
  }

  /** A literal object is data: copied (own keys only, "__proto__" kept as data), never evaluated. */
  private cloneObject(raw: object, keys: readonly string[], path: string, depth: number): Record<string, unknown> {
    // Same prototype as written (Object.prototype, or null for Object.create(null)): string conversion differs.
    const out = Object.create(Object.getPrototypeOf(raw) as object | null) as Record<string, unknown>;
    for (const key of keys) {
      defineOwn(out, key, this.cloneLiteral((raw as Record<string, unknown>)[key], keyPath(path, key), depth + 1));
    }
    return out;
  }

  private cloneLiteral(raw: unknown, path: string, depth: number): unknown {
    this.enter(path, depth);
    if (raw === null || typeof raw !== "object") return this.primitive(raw, path);
    if (Array.isArray(raw)) return raw.map((r, i) => this.cloneLiteral(r, indexPath(path, i), depth + 1));
    if (!isPlainObject(raw)) throw notJson(path);
    return this.cloneObject(raw, Object.keys(raw), path, depth);
  }

  private operator(op: string, value: unknown, path: string, depth: number): CNode {
    const refused = refusalReason(op);
    if (refused !== undefined) {
      throw new LogicError("refused_operator", `operator "${op}" is refused: ${refused}`, path);
    }
    const spec = this.session.table.get(op);
    if (spec === undefined) {
      if (op.includes(".")) {
        throw new LogicError("refused_operator", `operator "${op}": ${DOTTED_OPERATOR_REASON}`, path);
      }
      throw new LogicError("unknown_operator", `unknown operator "${op}"`, path);
    }
    const valuePath = keyPath(path, op);
    const wrapped = Array.isArray(value);
    // json-logic-js: a non-array value is the single argument ({"var": "x"} is {"var": ["x"]}).
    const raw: readonly unknown[] = wrapped ? value : [value];
    const argPath = (i: number): string => (wrapped ? indexPath(valuePath, i) : valuePath);
    const args = raw.map((r, i) => this.compile(r, argPath(i), depth + 1));
    const site: OpSite = {
      op,
      path,
      valuePath,
      raw,
      args,
      limits: this.session.limits,
      argPath,
      arg: (i) => args[i] ?? UNDEFINED,
      segment: (id) => this.segment(id, valuePath, depth),
      alwaysFails: (error) => this.alwaysFails(error),
    };
    const run = spec.compile(site);
    if (spec.pure) {
      const bodies = spec.bodies ?? [];
      // A body over a constant array sees only the array's elements, so it need not be constant itself.
      if (args.every((a, i) => (bodies.includes(i) ? a.itemOnly : a.constant))) return this.fold(run);
      return dynamic(
        run,
        args.every((a) => a.itemOnly),
      );
    }
    return dynamic(run, spec.readsItem === true && args.every((a) => a.itemOnly));
  }

  /**
   * Evaluates a node whose value depends on no data, once, now. If that throws, the node stays as
   * it is: json-logic-js only fails when such a node is actually evaluated (it may sit in an `if`
   * branch that never runs), and so must we — but the caller may want to know (onAlwaysFails).
   */
  private fold(run: Node): CNode {
    const { maxSteps } = this.session.limits;
    const budget = this.session.foldBudget;
    const allowance = Math.min(budget.steps, maxSteps);
    if (allowance <= 0) return dynamic(run, true);
    // Starting part-way into the budget makes the operators stop where the fold budget runs out.
    const c = new Ctx(undefined, undefined);
    const start = maxSteps - allowance;
    c.steps = start;
    try {
      const value = run(undefined, c);
      if (typeof value !== "function") return constant(deepFreeze(value));
    } catch (e) {
      const error = toPublicError(e);
      // Out of steps with less than a whole evaluation's budget says nothing about the rule.
      const truncated = error instanceof LogicError && error.code === "limit_steps" && allowance < maxSteps;
      if (error instanceof LogicError && !truncated) this.alwaysFails(error);
    } finally {
      budget.steps -= Math.min(c.steps, maxSteps) - start;
    }
    return dynamic(run, true);
  }

  private alwaysFails(error: LogicError): void {
    // Inside a referenced segment the path is the segment's; its own rule is checked (and reported) on its own.
    if (this.session.segmentStack.length === 0) this.session.onAlwaysFails?.(error);
  }

  private segment(id: string, refPath: string, refDepth: number): Node {
    const { segments, segmentCache, segmentStack, limits } = this.session;
    if (segments === undefined || !Object.hasOwn(segments, id)) {
      throw new LogicError("unknown_segment", `segment "${id}" is not defined`, refPath);
    }
    if (segmentStack.includes(id)) {
      const cycle = [...segmentStack.slice(segmentStack.indexOf(id)), id].join(" → ");
      throw new LogicError("segment_cycle", `segments reference each other in a cycle: ${cycle}`, refPath);
    }
    let entry = segmentCache.get(id);
    if (entry === undefined) {
      const sub = new RuleCompiler(this.session);
      segmentStack.push(id);
      try {
        const node = sub.compileRoot(segments[id]);
        entry = { run: node.run, nodes: sub.nodes, depth: sub.depth };
      } catch (e) {
        if (!(e instanceof LogicError)) throw e;
        // Report at the reference (the field the author is editing), keeping where inside the segment.
        throw new LogicError(e.code, `in segment "${id}" at ${e.path}: ${e.message}`, refPath, { cause: e });
      } finally {
        segmentStack.pop();
      }
      segmentCache.set(id, entry);
    }
    // A segment runs inline wherever it is referenced, so its size and depth count at each reference:
    // otherwise segments referencing segments twice over would multiply work without any limit noticing.
    this.nodes += entry.nodes;
    if (this.nodes > limits.maxRuleNodes) {
      throw new LogicError(
        "limit_nodes",
        `rule has more than ${limits.maxRuleNodes} nodes with segment "${id}" expanded`,
        refPath,
      );
    }
    const depth = refDepth + entry.depth;
    if (depth > limits.maxRuleDepth) {
      throw new LogicError(
        "limit_depth",
        `rule is nested deeper than ${limits.maxRuleDepth} levels with segment "${id}" expanded`,
        refPath,
      );
    }
    if (depth > this.depth) this.depth = depth;
    return entry.run;
  }
}

function dynamic(run: Node, itemOnly: boolean): CNode {
  return { run, constant: false, value: undefined, itemOnly };
}

function notJson(path: string): LogicError {
  return new LogicError(
    "invalid_rule",
    "rules are JSON: only objects, arrays, strings, numbers, booleans and null may appear",
    path,
  );
}
