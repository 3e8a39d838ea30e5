import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { around, edge, exitNode, journey, node } from "../testing/builders.ts";
import { registerKindForTest } from "../testing/kinds.ts";
import { allKinds, entryOf, hasInput, KINDS, KIND_NAMES, kindNames, kindOf, STARTER_KIND } from "./index.ts";
import type { CompiledParams, HandleIdOf } from "./index.ts";
import { defineKind, NEXT, text } from "./types.ts";
import { z } from "zod";
import { RAW_NAMES } from "./types.ts";

describe("node-kind registry", () => {
  it("lists each kind once, by a name kindOf finds, and nothing else", () => {
    expect(KIND_NAMES).toEqual(KINDS.map((k) => k.kind));
    expect(new Set(KIND_NAMES).size).toBe(KIND_NAMES.length);
    for (const name of KIND_NAMES) expect(kindOf(name)?.kind).toBe(name);
    expect(kindOf("nope")).toBeUndefined();
    expect(kindOf("__proto__")).toBeUndefined();
    expect(kindOf("constructor")).toBeUndefined();
  });

  it("starts new journeys with an entry kind, and only entry kinds have no input", () => {
    expect(STARTER_KIND.enters).toBeDefined();
    expect(hasInput(STARTER_KIND.kind)).toBe(false);
    for (const k of KINDS) expect(hasInput(k.kind)).toBe(k.enters === undefined);
    expect(hasInput("unknown-kind")).toBe(true);
  });

  it("knows how an entry node's draft params enter, and that other nodes do not", () => {
    const entersOn = (params: unknown) => entryOf("trigger", params);
    expect(entersOn({ mode: "event", event: "order" })).toEqual({ on: "event", event: "order", filter: "main" });
    expect(entersOn({ mode: "segment", segment: "vip" })).toEqual({ on: "segment", segment: "vip", change: "enter" });
    expect(entryOf("trigger", { mode: "event" })).toBeNull(); // half-typed: no event yet
    expect(entryOf("wait", { mode: "duration", duration: "1d" })).toBeNull();
  });

  it("types compiled params and handles from the kind module", () => {
    const w: CompiledParams<"wait"> = { mode: "duration", ms: 1 };
    // @ts-expect-error a duration wait compiles to ms, not to the document's duration text
    const notCompiled: CompiledParams<"wait"> = { mode: "duration", duration: "1d" };
    const h: HandleIdOf<"wait"> = "timeout";
    // @ts-expect-error "yes" is a condition's handle, not a wait's
    const notWaits: HandleIdOf<"wait"> = "yes";
    const c: HandleIdOf<"condition">[] = ["yes", "no"];
    expect([w, notCompiled, h, notWaits, c]).toHaveLength(5);
  });

  for (const kind of allKinds()) {
    describe(kind.kind, () => {
      const params = kind.params.parse(kind.defaults());

      it("has palette metadata in English and Chinese", () => {
        for (const t of [kind.meta.label, kind.meta.description]) {
          expect(t.en.length).toBeGreaterThan(0);
          expect(t["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
        }
        expect(kind.meta.icon.length).toBeGreaterThan(0);
        expect(kind.meta.color).toMatch(/^#[0-9a-f]{6}$/);
      });

      it("summarises its defaults in one line per language", () => {
        for (const lang of ["en", "zh-CN"] as const) {
          const line = kind.summary(params, lang, RAW_NAMES);
          expect(line.length).toBeGreaterThan(0);
          expect(line).not.toContain("\n");
        }
      });

      it("declares distinct handles", () => {
        const ids = kind.handles(params).map((h) => h.id);
        expect(new Set(ids).size).toBe(ids.length);
      });

      it("compiles a freshly dropped node, and its declarations read the compiled params", () => {
        const handles = kind.handles(params).map((h) => h.id);
        const subject = { id: "subject", kind: kind.kind, params: kind.defaults() };
        const exits = handles.map((h) => exitNode(`end_${h}`));
        const out = handles.map((h) => edge("subject", `end_${h}`, h));
        const doc = kind.enters ? journey({ nodes: [subject, ...exits], edges: out }) : around(subject, handles);
        const r = compileJourney(doc);
        expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
        const compiled = r.executable!.nodes.subject!;
        expect(compiled.kind).toBe(kind.kind);
        expect(r.executable!.triggers.includes(compiled.id)).toBe(kind.enters !== undefined);
        const rules = kind.rules?.(compiled.params) ?? [];
        // Fields are relative to the params, like CompileContext's.
        for (const spec of rules) expect(spec.field).not.toMatch(/^params\./);
        // A filter the kind names for entering or resuming is one of its rules.
        const entry = kind.enters?.(compiled.params);
        if (entry?.on === "event" && entry.filter !== null) expect(rules.map((r) => r.key)).toContain(entry.filter);
        const on = kind.resumesOn?.(compiled.params);
        if (on?.filter) expect(rules.map((r) => r.key)).toContain(on.filter);
        if (kind.pauses) expect(kind.pauses.longestMs(compiled.params)).toBeGreaterThan(0);
      });
    });
  }
});

describe("kinds a test registers", () => {
  const probe = defineKind({
    kind: "probe-kind",
    params: z.strictObject({ note: z.string() }),
    meta: {
      label: text("Probe", "探针"),
      description: text("A kind only this test knows", "仅此测试知道的节点"),
      icon: "🔬",
      color: "#123456",
      category: "action",
    },
    defaults: () => ({ note: "hello" }),
    handles: () => [NEXT],
    summary: (p) => p.note,
    compile: (p) => ({ note: p.note }),
  });

  it("are known to the registry and the compiler while registered, and gone after", () => {
    const doc = around(node("subject", "probe-kind", { note: "hi" }), ["next"]);
    expect(compileJourney(doc).issues).toContainEqual(expect.objectContaining({ code: "unknown_kind" }));
    const unregister = registerKindForTest(probe);
    try {
      expect(kindOf("probe-kind")).toBe(probe);
      expect(allKinds().at(-1)).toBe(probe);
      expect(kindNames()).toContain("probe-kind");
      expect(compileJourney(doc).executable?.nodes.subject?.params).toEqual({ note: "hi" });
      expect(() => registerKindForTest(probe)).toThrow(/already registered/);
    } finally {
      unregister();
    }
    expect(kindOf("probe-kind")).toBeUndefined();
    expect(allKinds()).toEqual([...KINDS]);
  });
});
