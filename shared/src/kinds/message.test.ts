import { describe, expect, it } from "vitest";
import { compileJourney } from "../compile/compile.ts";
import { around } from "../testing/builders.ts";
import { message, MessageParams } from "./message.ts";
import { RAW_NAMES } from "./types.ts";

const compileMessage = (params: unknown) => compileJourney(around({ id: "m", kind: "message", params }, ["next"]));

describe("message", () => {
  it("compiles with quiet hours and frequency cap respected by default", () => {
    const r = compileMessage({
      channel: "push",
      template: { title: "Hi", body: "Hello {{profile.nickname | friend}}" },
    });
    expect(r.ok).toBe(true);
    expect(r.executable!.nodes.m!.params).toEqual({
      channel: "push",
      template: { title: "Hi", body: "Hello {{profile.nickname | friend}}" },
      respectQuietHours: true,
      respectFrequencyCap: true,
    });
  });

  it("checks template variables and syntax, naming the field", () => {
    const r = compileMessage({
      channel: "sms",
      template: { title: "{{ nope.x }}", body: "Amount {{event.props.amount}} {{" },
    });
    expect(r.issues).toContainEqual(
      expect.objectContaining({
        code: "unknown_variable",
        path: "$.nodes[1].params.template.title",
        field: "params.template.title",
        nodeId: "m",
      }),
    );
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: "template_syntax", path: "$.nodes[1].params.template.body" }),
    );
  });

  it("may use the reward just granted", () => {
    expect(compileMessage({ channel: "in_app", template: { body: "Code {{reward.code}}" } }).ok).toBe(true);
  });

  it("refuses an unknown channel and an empty body", () => {
    expect(MessageParams.safeParse({ channel: "pigeon", template: { body: "x" } }).error?.issues[0]?.path).toEqual([
      "channel",
    ]);
    expect(MessageParams.safeParse({ channel: "push", template: { body: "" } }).error?.issues[0]?.path).toEqual([
      "template",
      "body",
    ]);
  });

  it("summarises channel and text", () => {
    const p = MessageParams.parse({ channel: "push", template: { body: "A".repeat(60) } });
    expect(message.summary(p, "en", RAW_NAMES)).toBe(`Push: ${"A".repeat(39)}…`);
    expect(message.summary(p, "zh-CN", RAW_NAMES).startsWith("推送：")).toBe(true);
  });
});
