/**
 * Evaluator benchmark: Lifeloop's precompiled closures against json-logic-js `apply`, json-logic-engine's
 * interpreter (`run`) and json-logic-engine's compiled `build` (which generates code with eval), on the
 * rules journeys actually use and a handful of users.
 *
 *   pnpm --filter @lifeloop/shared bench
 *
 * Every engine gets the same aggregate and time operators (same lookup, same arithmetic) so each
 * evaluates the identical rule JSON. Before anything is timed, all four must agree on every
 * (rule, user) pair; the run aborts if they do not. Each timed iteration evaluates the rule for every
 * user several times so timer overhead does not distort sub-microsecond calls. Not a test: nothing
 * here asserts on speed.
 */
import { isDeepStrictEqual } from "node:util";
import { LogicEngine } from "json-logic-engine";
import { Bench } from "tinybench";
import type { AggregateSpec } from "../src/aggregate.ts";
import { createEvaluator, type CompiledRule, type EvalEnv } from "../src/logic/index.ts";
import { jsonLogic } from "../src/logic/testing/reference.ts";
import { parseInstant } from "../src/time.ts";

const NOW = Date.UTC(2024, 2, 20, 4, 0); // 2024-03-20 12:00 in Shanghai
const DAY = 86_400_000;
const GOAL = 40;

// ---------------------------------------------------------------------------------------------- rules

const EVENT_TYPES = [
  "card_use",
  "transaction",
  "login",
  "app_open",
  "signup",
  "kyc_passed",
  "card_issued",
  "card_frozen",
  "topup",
  "withdrawal",
  "referral_sent",
  "referral_joined",
  "push_opened",
  "email_opened",
  "offer_viewed",
  "offer_redeemed",
  "support_ticket",
  "rating_given",
  "plan_upgraded",
  "plan_cancelled",
];

const RULES: Record<string, unknown> = {
  // (a) tier thresholds
  "tier: new explorer": {
    and: [
      { "<=": [{ days_since: { var: "profile.registered_at" } }, 7] },
      { "<": [{ agg_count: ["card_use", "30d"] }, 3] },
    ],
  },
  "tier: steady": { ">=": [{ agg_count: ["card_use", "month"] }, 3] },
  "tier: high value": { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 500_000] },
  "tier: churn risk": {
    and: [
      { ">=": [{ agg_count: ["card_use", "prev_30d"] }, 3] },
      { ">": [{ days_since: { last_seen: "card_use" } }, 14] },
    ],
  },
  // (b) month-to-date rebate tiers, in basis points
  "rebate bps (if chain)": {
    if: [
      { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 3_000_000] },
      500,
      { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 1_000_000] },
      300,
      0,
    ],
  },
  // (c) spend dropped below half of the previous 30 days, in integers: 2 × current < previous
  "30-day drop": {
    and: [
      { ">": [{ agg_sum: ["transaction", "amount", "prev_30d"] }, 0] },
      {
        "<": [
          { "*": [2, { agg_sum: ["transaction", "amount", "30d"] }] },
          { agg_sum: ["transaction", "amount", "prev_30d"] },
        ],
      },
    ],
  },
  // (d) trigger on any of 20 event types
  "20-way or on event.type": {
    or: EVENT_TYPES.map((t) => ({ "==": [{ var: "event.type" }, t] })),
  },
};

// ---------------------------------------------------------------------------------------------- users

interface User {
  data: {
    event: { type: string; props: Record<string, unknown> };
    profile: Record<string, unknown>;
    user: { id: string };
  };
  aggregates: Map<string, number>;
  /** Lifeloop's per-call env, built once per user (the other engines read `current` instead). */
  env: EvalEnv;
}

function user(id: string, eventType: string, profile: Record<string, unknown>, aggs: Record<string, number>): User {
  const aggregates = new Map(Object.entries(aggs));
  return {
    data: {
      event: { type: eventType, props: { amount: 12_500, currency: "CNY", channel: "app" } },
      profile,
      user: { id },
    },
    aggregates,
    env: { now: NOW, timeZone: "Asia/Shanghai", aggregate: (spec: AggregateSpec) => aggregates.get(spec.key) ?? null },
  };
}

const USERS: User[] = [
  user(
    "u-new",
    "card_use",
    { registered_at: NOW - 3 * DAY, city: "Shanghai" },
    {
      "count:card_use::30d": 1,
      "count:card_use::month": 1,
      "last_seen:card_use::lifetime": NOW - DAY,
      "sum:transaction:amount:month": 80_000,
      "sum:transaction:amount:30d": 80_000,
    },
  ),
  user(
    "u-steady",
    "transaction",
    { registered_at: NOW - 200 * DAY, city: "Beijing" },
    {
      "count:card_use::30d": 9,
      "count:card_use::month": 6,
      "count:card_use::prev_30d": 8,
      "last_seen:card_use::lifetime": NOW - 2 * DAY,
      "sum:transaction:amount:month": 1_200_000,
      "sum:transaction:amount:30d": 1_500_000,
      "sum:transaction:amount:prev_30d": 1_400_000,
    },
  ),
  user(
    "u-whale",
    "plan_upgraded",
    { registered_at: NOW - 900 * DAY, city: "Shenzhen" },
    {
      "count:card_use::30d": 40,
      "count:card_use::month": 25,
      "count:card_use::prev_30d": 38,
      "last_seen:card_use::lifetime": NOW - 3_600_000,
      "sum:transaction:amount:month": 4_800_000,
      "sum:transaction:amount:30d": 6_000_000,
      "sum:transaction:amount:prev_30d": 5_500_000,
    },
  ),
  user(
    "u-churning",
    "email_opened",
    { registered_at: NOW - 400 * DAY, city: "Hangzhou" },
    {
      "count:card_use::30d": 0,
      "count:card_use::month": 0,
      "count:card_use::prev_30d": 7,
      "last_seen:card_use::lifetime": NOW - 33 * DAY,
      "sum:transaction:amount:month": 0,
      "sum:transaction:amount:30d": 20_000,
      "sum:transaction:amount:prev_30d": 900_000,
    },
  ),
  user("u-other", "page_view", { registered_at: NOW - 10 * DAY }, {}),
];

// ------------------------------------------------------------------ the same operators for every engine

/** One implementation of each Lifeloop operator, shared by all engines so only evaluation differs. */
const lookup = (u: User, key: string): number | null => u.aggregates.get(key) ?? null;
function toEpoch(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") return parseInstant(v);
  return null;
}
const daysSince = (ts: unknown): number | null => {
  const t = toEpoch(ts);
  return t === null ? null : (NOW - t) / DAY;
};

// json-logic-js and json-logic-engine have no per-call env: the user being evaluated is module state.
let current: User = USERS[0]!;
const hostOps: Record<string, (...args: any[]) => unknown> = {
  agg_count: (event: string, window: string) => lookup(current, `count:${event}::${window}`),
  agg_sum: (event: string, prop: string, window: string) => lookup(current, `sum:${event}:${prop}:${window}`),
  last_seen: (event: string) => lookup(current, `last_seen:${event}::lifetime`),
  days_since: (ts: unknown) => daysSince(ts),
};

for (const [name, fn] of Object.entries(hostOps)) jsonLogic.add_operation(name, fn);

const engine = new LogicEngine();
for (const [name, fn] of Object.entries(hostOps)) {
  engine.addMethod(name, (args: unknown) => fn(...(Array.isArray(args) ? args : [args])));
}

const lifeloop = createEvaluator();

// ------------------------------------------------------------------------------------------- engines

type Runner = (u: User) => unknown;
interface Engine {
  name: string;
  prepare(rule: unknown): Runner;
}

/**
 * Not an engine: each rule hand-written in plain JavaScript with the same host operators. It measures the
 * ceiling (what the host lookups and the harness cost by themselves), to show how much of the remaining
 * time is the evaluator's.
 */
const HAND_WRITTEN: Record<string, (d: User["data"]) => unknown> = {
  "tier: new explorer": (d) => {
    const ds = daysSince(d.profile.registered_at);
    return (ds as number) <= 7 && (lookup(current, "count:card_use::30d") as number) < 3;
  },
  "tier: steady": () => (lookup(current, "count:card_use::month") as number) >= 3,
  "tier: high value": () => (lookup(current, "sum:transaction:amount:month") as number) >= 500_000,
  "tier: churn risk": () =>
    (lookup(current, "count:card_use::prev_30d") as number) >= 3 &&
    (daysSince(lookup(current, "last_seen:card_use::lifetime")) as number) > 14,
  "rebate bps (if chain)": () => {
    const mtd = lookup(current, "sum:transaction:amount:month") as number;
    return mtd >= 3_000_000 ? 500 : mtd >= 1_000_000 ? 300 : 0;
  },
  "30-day drop": () => {
    const prev = lookup(current, "sum:transaction:amount:prev_30d") as number;
    if (!(prev > 0)) return false;
    const cur = lookup(current, "sum:transaction:amount:30d");
    return 2 * (cur === null ? Number.NaN : cur) < prev; // parseFloat(null) is NaN in json-logic
  },
  "20-way or on event.type": (() => {
    const types = new Set(EVENT_TYPES);
    return (d: User["data"]) => types.has(d.event.type);
  })(),
};

const ENGINES: Engine[] = [
  {
    name: "lifeloop (compiled closures)",
    prepare(rule) {
      const compiled: CompiledRule = lifeloop.compile(rule);
      return (u) => compiled(u.data, u.env);
    },
  },
  {
    name: "json-logic-js apply",
    prepare(rule) {
      return (u) => {
        current = u;
        return jsonLogic.apply(rule, u.data);
      };
    },
  },
  {
    name: "json-logic-engine run",
    prepare(rule) {
      return (u) => {
        current = u;
        return engine.run(rule, u.data);
      };
    },
  },
  {
    name: "json-logic-engine build (eval)",
    prepare(rule) {
      const built = engine.build(rule) as (data: unknown) => unknown;
      return (u) => {
        current = u;
        return built(u.data);
      };
    },
  },
  {
    name: "hand-written JS (ceiling)",
    prepare(rule) {
      const name = Object.keys(RULES).find((k) => RULES[k] === rule)!;
      const f = HAND_WRITTEN[name]!;
      return (u) => {
        current = u;
        return f(u.data);
      };
    },
  },
];

// ------------------------------------------------------------------ all engines must agree before timing

const prepared = new Map<string, Runner[]>();
const disagreements: string[] = [];
// The hand-written reference is checked too: a wrong ceiling would make the comparison meaningless.
for (const [ruleName, rule] of Object.entries(RULES)) {
  const runners = ENGINES.map((e) => e.prepare(rule));
  prepared.set(ruleName, runners);
  for (const u of USERS) {
    const results = runners.map((run) => run(u));
    if (!results.every((r) => isDeepStrictEqual(r, results[0]))) {
      disagreements.push(
        `${ruleName} / ${u.data.user.id}: ` +
          ENGINES.map((e, i) => `${e.name}=${JSON.stringify(results[i])}`).join(", "),
      );
    }
  }
}
if (disagreements.length > 0) {
  console.error("\n!!! ENGINES DISAGREE — benchmark aborted, the comparison would be meaningless:\n");
  for (const d of disagreements) console.error(`  ${d}`);
  process.exit(1);
}
console.log(
  `All ${ENGINES.length} runners (Lifeloop, three reference engines, hand-written JS) agree ` +
    `on ${Object.keys(RULES).length} rules × ${USERS.length} users.\n`,
);

// -------------------------------------------------------------------------------------------- timing

/** Evaluations per timed iteration: every user, several rounds. */
const ROUNDS = 20;
const EVALS_PER_ITERATION = ROUNDS * USERS.length;
let sink: unknown;

const bench = new Bench({ time: 350, warmupTime: 150, iterations: 50 });
for (const [ruleName, runners] of prepared) {
  runners.forEach((run, i) => {
    bench.add(`${ruleName}|${ENGINES[i]!.name}`, () => {
      for (let r = 0; r < ROUNDS; r++) for (let k = 0; k < USERS.length; k++) sink = run(USERS[k]!);
    });
  });
}
await bench.run();
void sink;

const opsPerSec = new Map<string, number>();
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== "completed") throw new Error(`task ${task.name} did not complete: ${result.state}`);
  opsPerSec.set(task.name, result.throughput.mean * EVALS_PER_ITERATION);
}

// ------------------------------------------------------------------------------------------- report

const fmt = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const ratio = (n: number): string => `${n.toFixed(1)}×`;
const SHORT = ["lifeloop", "jl-js", "engine run", "engine build", "hand JS"];
const JS = 1;
const RATIO_COLS = [0, 2, 3, 4];

const header = [
  "rule",
  ...SHORT.map((s) => `${s} ops/s`),
  ...RATIO_COLS.map((i) => `${SHORT[i]} / jl-js`),
  "lifeloop / hand",
];
const rows: string[][] = [];
const ratios: number[][] = ENGINES.map(() => []);
const ofCeiling: number[] = [];
for (const ruleName of prepared.keys()) {
  const ops = ENGINES.map((e) => opsPerSec.get(`${ruleName}|${e.name}`)!);
  const base = ops[JS]!;
  ops.forEach((o, i) => ratios[i]!.push(o / base));
  ofCeiling.push(ops[0]! / ops[4]!);
  rows.push([
    ruleName,
    ...ops.map(fmt),
    ...RATIO_COLS.map((i) => ratio(ops[i]! / base)),
    `${((100 * ops[0]!) / ops[4]!).toFixed(0)}%`,
  ]);
}
const geomean = (xs: number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (cells: string[]): string =>
  `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" | ")} |`;
console.log(
  `Evaluations per second (each iteration = ${EVALS_PER_ITERATION} evaluations over ${USERS.length} users), ` +
    `node ${process.version}\n`,
);
console.log(line(header));
console.log(`|${widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const r of rows) console.log(line(r));

console.log("\nGeometric mean of per-rule ratios vs json-logic-js apply:");
ENGINES.forEach((e, i) => {
  if (i === JS) return;
  console.log(`  ${e.name.padEnd(32)} ${ratio(geomean(ratios[i]!))}`);
});
console.log(`Lifeloop reaches ${(100 * geomean(ofCeiling)).toFixed(0)}% of the hand-written ceiling (geometric mean).`);
const ours = geomean(ratios[0]!);
console.log(
  `\nGoal: Lifeloop ≥ ${GOAL}× json-logic-js without eval or new Function ` +
    `— ${ours >= GOAL ? "MET" : "NOT MET"} (${ratio(ours)}).`,
);
