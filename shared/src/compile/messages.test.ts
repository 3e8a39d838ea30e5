import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "../testing/builders.ts";
import { ISSUE_CODES } from "./codes.ts";
import { compileJourney } from "./compile.ts";
import { ISSUE_MESSAGES, plainIssue, plainSchemaMessage } from "./messages.ts";

const SRC = join(import.meta.dirname, "..");
const CJK = /[\u4e00-\u9fff]/;

/** Non-test sources of the parts of shared that report issues. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(p);
    }
  };
  for (const d of ["compile", "kinds", "schema", "logic"]) walk(join(SRC, d));
  return [...out, join(SRC, "json.ts")];
}

/** Codes written as literals where issues are made: `.error("x", …)`, `.warning("x", …)`, `code: "x"`. */
function emittedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of sources()) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\.(?:error|warning)\(\s*"([a-z_]+)"/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/\bcode:\s*((?:"[a-z_]+"\s*\|?\s*)+)/g))
      for (const c of m[1]!.matchAll(/"([a-z_]+)"/g)) codes.add(c[1]!);
    for (const m of text.matchAll(/LogicError\(\s*"([a-z_]+)"/g)) codes.add(m[1]!);
  }
  // zod's own code for refinements, not an issue code of ours.
  codes.delete("custom");
  return codes;
}

describe("issue messages", () => {
  it("lists every code the compiler's sources emit", () => {
    const emitted = emittedCodes();
    expect(emitted.size).toBeGreaterThan(20);
    const missing = [...emitted].filter((c) => !ISSUE_CODES.includes(c));
    expect(missing, "codes emitted but not in compile/codes.ts").toEqual([]);
  });

  it("has a plain message in English and in Chinese for every code", () => {
    for (const code of ISSUE_CODES) {
      const entry = ISSUE_MESSAGES[code];
      expect(entry, `no message for ${code}`).toBeDefined();
      expect(entry!.en.trim(), `${code} in en`).not.toBe("");
      expect(entry!["zh-CN"], `${code} in zh-CN`).toMatch(CJK);
    }
    // No message for a code nobody emits.
    expect(Object.keys(ISSUE_MESSAGES).filter((c) => !ISSUE_CODES.includes(c))).toEqual([]);
  });

  it("says real problems in plain words, with the name that matters", () => {
    const doc = journey({
      nodes: [
        trigger(),
        node("c", "condition", { rule: { "==": [{ var: "profile.nickname" }, 1] } }),
        node("w", "wait", { mode: "event", event: "first_investment" }),
        exitNode(),
      ],
      edges: [edge("start", "c"), edge("c", "w", "yes"), edge("w", "end", "event")],
      catalog: { events: {}, attributes: { tier: "string" } },
    });
    const issues = compileJourney(doc).issues;
    const byCode = Object.fromEntries(issues.map((i) => [i.code, i]));
    expect(plainIssue(byCode.wait_without_timeout!, "zh-CN").text).toBe(
      "等待 “first_investment” 需要设置超时，否则一直未发生该事件的用户会永远等待。",
    );
    expect(plainIssue(byCode.wait_without_timeout!, "en")).toEqual({
      text: "Waiting for “first_investment” needs a timeout, or people who never do it wait forever.",
      detail: null,
    });
    const unknown = plainIssue(byCode.unknown_variable!, "zh-CN");
    expect(unknown.text).toBe("此处无法读取 “profile.nickname”。");
    expect(unknown.detail).toContain("the catalog lists no profile attribute");
    const branch = plainIssue(
      {
        code: "handle_unconnected",
        message: 'branch "yes" of node "c" (condition) is not connected',
        field: "handles.yes",
      },
      "zh-CN",
      { branch: "是" },
    );
    expect(branch.text).toBe("分支「是」还没有连接，请连到下一步。");
    for (const i of issues) expect(plainIssue(i, "zh-CN").text, i.code).toMatch(CJK);
  });

  it("says the schema's own messages in plain words", () => {
    const doc = journey({
      name: "",
      timeZone: "Mars/Olympus",
      nodes: [
        trigger("start", "1bad"),
        node("w", "wait", { mode: "duration", duration: "soon" }),
        node("r", "reward", { reward: { type: "points", amount: 0 } }),
      ],
      edges: [edge("start", "w"), edge("w", "r")],
    });
    const issues = compileJourney(doc).issues.filter((i) => i.code === "schema");
    expect(issues.length).toBeGreaterThanOrEqual(2);
    for (const i of issues) expect(plainSchemaMessage(i.message, "zh-CN"), i.message).toMatch(CJK);
    expect(plainSchemaMessage("Too small: expected number to be >=1", "zh-CN")).toBe("不能小于 1。");
    expect(plainSchemaMessage("Invalid input: expected number, received undefined", "en")).toBe("Required.");
    expect(plainSchemaMessage("something nobody wrote", "en")).toBeNull();
  });
});

describe("figures in a message template, checked against the catalog like rules", () => {
  const withBody = (body: string) =>
    journey({
      catalog: {
        events: { fee_waived: { props: { fee_saved: "money" }, currency: "CNY" }, statement: { props: {} } },
      },
      nodes: [
        trigger("start", "statement"),
        node("msg", "message", { channel: "in_app", template: { body } }),
        exitNode(),
      ],
      edges: [edge("start", "msg"), edge("msg", "end")],
    });
  const issuesOf = (body: string) => compileJourney(withBody(body)).issues.filter((i) => i.severity === "error");

  it("compiles a month's savings with the wallet and the level", () => {
    expect(
      issuesOf("本月为您节省手续费 {{agg_sum(fee_saved, month) | money}}，积分 {{wallet.balance}}，{{level.id}}"),
    ).toEqual([]);
  });

  it("puts an unknown event or property on the message node, said in Chinese and English", () => {
    const [event] = issuesOf("省 {{agg_sum(fee_waivd, fee_saved, month) | money}}");
    expect(event).toMatchObject({ code: "unknown_variable", nodeId: "msg", field: "params.template.body" });
    expect(plainIssue(event!, "zh-CN")).toEqual({
      text: "此处无法读取 “fee_waivd”。",
      detail:
        'unknown event "fee_waivd" in agg_sum(fee_waivd, fee_saved, month): the catalog lists fee_waived, statement',
    });
    expect(plainIssue(event!, "en").text).toBe("“fee_waivd” cannot be read here.");
    const [prop] = issuesOf("省 {{agg_sum(fee_waived, fee_savd, month) | money}}");
    expect(prop).toMatchObject({ code: "unknown_variable", nodeId: "msg" });
    expect(plainIssue(prop!, "zh-CN").text).toBe("此处无法读取 “fee_savd”。");
    const [short] = issuesOf("省 {{agg_sum(fee_savd, month)}}");
    expect(short).toMatchObject({ code: "bad_aggregate", nodeId: "msg" });
    expect(plainIssue(short!, "zh-CN").text).toBe("此汇总或计数的写法不正确。");
    expect(plainIssue(short!, "en").detail).toContain('no event in the catalog has a property "fee_savd"');
  });
});
