import { describe, expect, it } from "vitest";
import { edge, exitNode, journey, node, trigger } from "../testing/builders.ts";
import { compileJourney } from "./compile.ts";
import { plainIssue } from "./messages.ts";
import {
  carriesNotice,
  DEFAULT_FORBIDDEN_PHRASES,
  DEFAULT_RISK_NOTICE,
  forbiddenIn,
  normaliseWording,
  type WordingPolicy,
} from "./wording.ts";

const POLICY: WordingPolicy = { forbidden: DEFAULT_FORBIDDEN_PHRASES, riskNotice: DEFAULT_RISK_NOTICE };

const withMessage = (template: { title?: string; body: string }, investmentPromotion = false) =>
  journey({
    nodes: [trigger(), node("msg", "message", { channel: "push", template, investmentPromotion }), exitNode()],
    edges: [edge("start", "msg"), edge("msg", "end")],
  });

describe("wording lint", () => {
  it("normalises full-width forms, every kind of space, zero-width characters and case", () => {
    expect(normaliseWording("稳 赚")).toBe("稳赚");
    expect(normaliseWording("稳\u3000赚")).toBe("稳赚");
    expect(normaliseWording("稳\u200B赚\t")).toBe("稳赚");
    expect(normaliseWording("ＧＵＡＲＡＮＴＥＥＤ　Returns")).toBe("guaranteedreturns");
  });

  it("finds a forbidden phrase through spacing and width tricks, and nothing in clean text", () => {
    for (const text of [
      "稳赚不赔",
      "稳 赚",
      "稳　赚",
      "稳\u200B赚",
      "保 本 理财",
      "Guaranteed  returns!",
      "ｇｕａｒａｎｔｅｅｄ returns",
    ]) {
      expect(forbiddenIn(text, DEFAULT_FORBIDDEN_PHRASES).length, text).toBe(1);
    }
    expect(forbiddenIn("本月理财收益已到账，理财有风险，投资需谨慎", DEFAULT_FORBIDDEN_PHRASES)).toEqual([]);
    expect(forbiddenIn("零风险，稳赚", DEFAULT_FORBIDDEN_PHRASES).map((f) => f.phrase)).toEqual(["稳赚", "零风险"]);
  });

  it("makes each forbidden phrase an error on the node and field, with the rule, in both languages", () => {
    const r = compileJourney(withMessage({ title: "稳　赚", body: "本产品零 风险" }), { wording: POLICY });
    expect(r.ok).toBe(false);
    const wording = r.issues.filter((i) => i.code === "wording_forbidden");
    expect(wording.map((i) => [i.severity, i.nodeId, i.field, i.path])).toEqual([
      ["error", "msg", "params.template.body", "$.nodes[1].params.template.body"],
      ["error", "msg", "params.template.title", "$.nodes[1].params.template.title"],
    ]);
    const zh = plainIssue(wording[0]!, "zh-CN").text;
    expect(zh).toBe("文案含有禁用词 “零风险”：不得宣传零风险或回避风险提示（《金融产品网络营销管理办法》）");
    expect(plainIssue(wording[1]!, "en").text).toContain("“稳赚”, which this workspace forbids: 不得承诺保本保收益");
  });

  it("requires the risk notice on investment promotion only, matched normalised", () => {
    const bare = { body: "新品理财上线，年化 3.2%" };
    expect(compileJourney(withMessage(bare), { wording: POLICY }).ok).toBe(true);
    const missing = compileJourney(withMessage(bare, true), { wording: POLICY });
    expect(missing.issues.map((i) => [i.code, i.severity, i.nodeId, i.field])).toEqual([
      ["risk_notice_missing", "error", "msg", "params.template.body"],
    ]);
    expect(plainIssue(missing.issues[0]!, "zh-CN").text).toBe(
      "此消息属于投资推广，须包含风险提示 “理财有风险，投资需谨慎”。",
    );
    const spaced = { body: "新品理财上线。理财有风险， 投资需谨慎" };
    expect(compileJourney(withMessage(spaced, true), { wording: POLICY }).ok).toBe(true);
    expect(carriesNotice(["标题", "…理财有风险，投资需谨慎"], DEFAULT_RISK_NOTICE)).toBe(true);
  });

  it("checks nothing without a policy: the compiler only knows what it is given", () => {
    expect(compileJourney(withMessage({ body: "稳赚" }, true)).ok).toBe(true);
    expect(compileJourney(withMessage({ body: "稳赚" }), { wording: { forbidden: [], riskNotice: null } }).ok).toBe(
      true,
    );
  });
});
