import { describe, expect, it } from "vitest";
import { matchNodes } from "./search.ts";

const nodes = [
  { id: "start", kind: "trigger", label: "Registered" },
  { id: "gift", kind: "reward", label: "Newcomer coupon", note: "¥20 off the first investment" },
  { id: "push_1", kind: "message" },
  { id: "done", kind: "exit" },
];

describe("matchNodes", () => {
  it("finds nodes by name, id, kind and note, ignoring case", () => {
    expect(matchNodes(nodes, "newcomer")).toEqual(["gift"]);
    expect(matchNodes(nodes, "PUSH_1")).toEqual(["push_1"]);
    expect(matchNodes(nodes, "message")).toEqual(["push_1"]);
    expect(matchNodes(nodes, "first investment")).toEqual(["gift"]);
  });
  it("knows a kind by the registry's label in either language", () => {
    expect(matchNodes(nodes, "奖励")).toEqual(["gift"]);
    expect(matchNodes(nodes, "消息")).toEqual(["push_1"]);
  });
  it("needs every word to match, and an empty query matches nothing", () => {
    expect(matchNodes(nodes, "coupon push")).toEqual([]);
    expect(matchNodes(nodes, "   ")).toEqual([]);
  });
});
