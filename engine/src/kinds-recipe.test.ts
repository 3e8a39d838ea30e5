import { existsSync, readFileSync } from "node:fs";
import { allKinds, compileJourney, KIND_NAMES, kindOf, NodeId, RAW_NAMES } from "@lifeloop/shared";
import { edge, exitNode, journey, node, randomDelay as randomDelayKind, trigger } from "@lifeloop/shared/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { winBackWindowDays } from "./report/queries.ts";
import { expectLiveMatchesSimulate, expectRunsToItsEnd, minimalJourney } from "./testing/every-kind.ts";
import { registerKindWithBehaviourForTest } from "./testing/kinds.ts";
import { randomDelay } from "./testing/random-delay.ts";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");
const HOUR = 3_600_000;

/** The "Adding a node kind" section of CONTRIBUTING.md. */
function recipe(): string {
  const text = read("CONTRIBUTING.md");
  const start = text.indexOf("## Adding a node kind");
  expect(start, 'CONTRIBUTING.md has an "Adding a node kind" section').toBeGreaterThanOrEqual(0);
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/**
 * CONTRIBUTING.md says a kind is one module in shared plus one entry in the engine's table. This
 * proves it with a kind no production code knows: built as the recipe says, registered only here.
 */
describe("adding a node kind, as CONTRIBUTING.md says", () => {
  let unregister: () => void = () => {};
  beforeAll(() => {
    unregister = registerKindWithBehaviourForTest(randomDelayKind, randomDelay);
  });
  afterAll(() => unregister());

  it("names files that exist (the template with a real kind's name, and the fixture)", () => {
    const paths = [...recipe().matchAll(/`([\w./<>-]+\.(?:ts|json|md))`/g)].map((m) => m[1]!);
    const modules = [
      "shared/src/kinds/<name>.ts",
      "shared/src/kinds/index.ts",
      "engine/src/core/kinds/<name>.ts",
      "engine/src/core/kinds/index.ts",
    ];
    expect(paths).toEqual(expect.arrayContaining(modules));
    for (const path of paths) {
      expect([path, existsSync(new URL(path.replaceAll("<name>", "wait"), ROOT))]).toEqual([path, true]);
    }
    const fixture = ["shared/src/testing/random-delay.ts", "engine/src/testing/random-delay.ts"];
    expect(paths).toEqual(expect.arrayContaining(fixture));
  });

  it("lists every kind in the README's node kinds table", () => {
    const readme = read("README.md");
    // A row's first cell names the kind; a formatter may pad the table's columns.
    const listed = new Set([...readme.matchAll(/^\|\s*`([a-z][\w-]*)`\s*\|/gm)].map((m) => m[1]));
    for (const kind of KIND_NAMES) expect(listed, kind).toContain(kind);
  });

  it("validates its params, each problem at its field", () => {
    const issuesOf = (params: unknown) =>
      compileJourney(
        journey({
          nodes: [trigger(), node("d", "random-delay", params), exitNode()],
          edges: [edge("start", "d"), edge("d", "end")],
        }),
      ).issues;
    expect(issuesOf({ min: "1h", max: "2d" })).toEqual([]);
    expect(issuesOf({ min: "3d", max: "2d" })).toContainEqual(
      expect.objectContaining({ code: "schema", path: "$.nodes[1].params.max", nodeId: "d" }),
    );
    expect(issuesOf({ min: "1h", max: "2d", maxx: "3d" })).toContainEqual(
      expect.objectContaining({ code: "unknown_field", path: "$.nodes[1].params.maxx" }),
    );
    const loop = journey({
      nodes: [
        trigger(),
        node("d", "random-delay", { min: "1h", max: "2h" }),
        node("c", "condition", { rule: true }),
        exitNode(),
      ],
      edges: [edge("start", "d"), edge("d", "c"), edge("c", "d", "yes"), edge("c", "end", "no")],
    });
    const busy = compileJourney(loop).issues.filter((i) => i.code === "cycle_without_wait");
    expect(busy, "a loop through it is not a busy loop: it pauses").toEqual([]);
  });

  it("compiles to what its behaviour reads", () => {
    const r = compileJourney(minimalJourney(randomDelayKind));
    expect(r.executable!.nodes.subject).toMatchObject({
      kind: "random-delay",
      params: { minMs: HOUR, maxMs: 48 * HOUR },
      next: { next: "end_next" },
    });
  });

  it("runs to its end in simulate — its pause counts in the horizon — and live commits the same", async () => {
    const run = expectRunsToItsEnd(randomDelayKind);
    const waits = run.result.effects.filter((e) => e.kind === "wait");
    expect(waits).toHaveLength(3);
    const delays = waits.map((w) => Date.parse(String(w.until)) - Date.parse(w.at));
    for (const d of delays) expect(d >= HOUR && d <= 48 * HOUR, `${d} ms is within 1h..2d`).toBe(true);
    expect(new Set(delays).size, "people wait different times").toBeGreaterThan(1);
    await expectLiveMatchesSimulate(run);
  });

  it("gives reports the win-back window after a coupon", () => {
    const doc = journey({
      nodes: [
        trigger(),
        node("gift", "reward", { reward: { type: "coupon", code: "BACK" }, cap: { count: 1, period: "lifetime" } }),
        node("d", "random-delay", { min: "1d", max: "3d" }),
        exitNode(),
      ],
      edges: [edge("start", "gift"), edge("gift", "d"), edge("d", "end")],
    });
    expect(winBackWindowDays(compileJourney(doc).executable!, NodeId.parse("gift"))).toBe(3);
  });

  it("is in the palette with its metadata, and gone once unregistered", () => {
    expect(allKinds().map((k) => k.kind)).toContain("random-delay");
    const def = kindOf("random-delay")!;
    expect(def.meta.category).toBe("timing");
    expect(def.meta.label).toEqual({ en: "Random delay", "zh-CN": "随机延迟" });
    expect(def.summary(def.params.parse(def.defaults()), "zh-CN", RAW_NAMES)).toBe("等待 1h 至 2d");
  });
});
