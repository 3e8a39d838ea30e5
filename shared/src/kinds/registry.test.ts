import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { around } from "../testing/builders.ts";
import { KINDS, KIND_NAMES, kindOf } from "./index.ts";

describe("node-kind registry", () => {
  it("lists every kind the product speaks, once", () => {
    expect(KIND_NAMES).toEqual([
      "trigger", "condition", "split", "experiment", "wait", "reward", "message", "update-attribute", "goal", "exit",
    ]);
    expect(new Set(KIND_NAMES).size).toBe(KIND_NAMES.length);
    expect(kindOf("wait")?.kind).toBe("wait");
    expect(kindOf("nope")).toBeUndefined();
    expect(kindOf("__proto__")).toBeUndefined();
  });

  for (const kind of KINDS) {
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
          const line = kind.summary(params as never, lang);
          expect(line.length).toBeGreaterThan(0);
          expect(line).not.toContain("\n");
        }
      });

      it("declares distinct handles", () => {
        const ids = kind.handles(params as never).map((h) => h.id);
        expect(new Set(ids).size).toBe(ids.length);
      });

      it("compiles a freshly dropped node", () => {
        if (kind.kind === "trigger") return; // a trigger is the start, not a node placed after one
        const handles = kind.handles(params as never).map((h) => h.id);
        const r = compileJourney(around({ id: "subject", kind: kind.kind, params: kind.defaults() }, handles));
        expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
        expect(r.executable?.nodes.subject?.kind).toBe(kind.kind);
      });
    });
  }
});
