import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { Text } from "../schema/common.ts";
import { defineKind, NEXT_OPTIONAL, pick, text } from "./types.ts";

export const CHANNELS = ["push", "sms", "email", "in_app", "webhook"] as const;

export const MessageParams = strictObject({
  channel: z.enum(CHANNELS),
  /**
   * Text with {{variables}}: {{profile.nickname}}, {{event.props.amount}}, {{reward.code}};
   * "{{profile.name | friend}}" gives a fallback, "{{reward.amount | money}}" shows ¥180.00.
   */
  template: strictObject({
    title: Text(200).optional(),
    body: Text()
      .min(1, "a message needs a body")
      .meta({ ui: { widget: "multiline" } }),
  }),
  /** Held until quiet hours end (journey settings) instead of sent at night. */
  respectQuietHours: z.boolean().default(true),
  /** Held back by the journey's frequency cap and the engine's cap for its channel across journeys. */
  respectFrequencyCap: z.boolean().default(true),
  /**
   * Promotes an investment product: the message must carry the workspace's risk notice
   * ("理财有风险，投资需谨慎"), checked by the compiler's wording lint.
   */
  investmentPromotion: z.boolean().default(false),
});

const CHANNEL_LABEL = {
  push: ["Push", "推送"],
  sms: ["SMS", "短信"],
  email: ["Email", "邮件"],
  in_app: ["In-app", "站内信"],
  webhook: ["Webhook", "Webhook"],
} as const;

export const message = defineKind({
  kind: "message",
  params: MessageParams,
  meta: {
    label: text("Message", "消息"),
    description: text(
      "Push, SMS, email, in-app or webhook, respecting quiet hours and frequency caps",
      "推送、短信、邮件、站内信或 Webhook，遵守免打扰时段与频次上限",
    ),
    icon: "✉️",
    color: "#2563eb",
    category: "action",
  },
  defaults: () => ({ channel: "push" as const, template: { body: "Hi {{profile.nickname | there}}" } }),
  handles: () => [NEXT_OPTIONAL],
  summary: (p, lang) => {
    const [en, zh] = CHANNEL_LABEL[p.channel];
    const body = p.template.title ?? p.template.body;
    const short = body.length > 40 ? `${body.slice(0, 39)}…` : body;
    return pick(lang, `${en}: ${short}`, `${zh}：${short}`);
  },
  compile: (p, ctx) => {
    const title = p.template.title === undefined ? null : ctx.template(p.template.title, "template.title");
    const body = ctx.template(p.template.body, "template.body");
    if (p.investmentPromotion) ctx.riskNotice([p.template.title ?? "", p.template.body], "template.body");
    if (!p.respectQuietHours && (p.channel === "push" || p.channel === "sms")) {
      ctx.warning(
        "message_quiet_hours_off",
        "respectQuietHours",
        `this ${p.channel} ignores quiet hours: it may wake people at night`,
      );
    }
    return {
      channel: p.channel,
      template: { title, body },
      respectQuietHours: p.respectQuietHours,
      respectFrequencyCap: p.respectFrequencyCap,
    };
  },
});
