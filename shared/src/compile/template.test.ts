import { describe, expect, it } from "vitest";
import { checkTemplate, renderTemplate, templateVariables } from "./template.ts";

describe("templates", () => {
  it("lists variables, with or without fallback", () => {
    expect(templateVariables("Hi {{ profile.nickname | friend }}, code {{reward.code}}")).toEqual(["profile.nickname", "reward.code"]);
  });

  it("renders values as text, with fallbacks for missing ones", () => {
    const data = { profile: { nickname: "小林" }, reward: { code: "WELCOME", amount: 2000 } };
    expect(renderTemplate("{{profile.nickname | 新朋友}} {{reward.code}} {{reward.amount}}", data)).toBe("小林 WELCOME 2000");
    expect(renderTemplate("{{profile.city | 上海}}{{profile.none}}!", data)).toBe("上海!");
  });

  it("never reads inherited properties", () => {
    expect(renderTemplate("{{profile.constructor}}{{profile.__proto__}}{{profile.toString}}", { profile: {} })).toBe("");
  });

  it("flags unclosed braces and unknown roots", () => {
    expect(checkTemplate("Hi {{profile.name", { scope: "run" })).toEqual([expect.objectContaining({ code: "template_syntax" })]);
    expect(checkTemplate("{{secret.key}}", { scope: "run" })).toEqual([expect.objectContaining({ code: "unknown_variable" })]);
    expect(checkTemplate("{{ }}", { scope: "run" })).toEqual([expect.objectContaining({ code: "template_syntax" })]);
  });
});
