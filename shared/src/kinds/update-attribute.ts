import { z } from "zod";
import { strictObject } from "../schema/strict.ts";
import { defineKind, NEXT_OPTIONAL, pick, text } from "./types.ts";

const Attribute = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "an attribute name: letters, digits and '_'")
  .refine((a) => !["__proto__", "constructor", "prototype", "tags"].includes(a), "this attribute name is reserved");
const Tag = z.string().regex(/^[A-Za-z0-9_:-]{1,64}$/, "1-64 letters, digits, '_', ':' or '-'");

export const UpdateAttributeParams = z.discriminatedUnion("op", [
  strictObject({
    op: z.literal("set"),
    attribute: Attribute,
    value: z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]),
  }),
  /** Whole steps only: counters and balances never go through floats. */
  strictObject({ op: z.literal("increment"), attribute: Attribute, by: z.number().int() }),
  strictObject({ op: z.literal("tag"), tag: Tag }),
  strictObject({ op: z.literal("untag"), tag: Tag }),
]);

export const updateAttribute = defineKind({
  kind: "update-attribute",
  params: UpdateAttributeParams,
  meta: {
    label: text("Update attribute", "更新属性"),
    description: text(
      "Set or increment a profile attribute, or add / remove a tag",
      "设置或累加用户属性，或添加 / 移除标签",
    ),
    icon: "🏷️",
    color: "#9333ea",
    category: "action",
  },
  defaults: () => ({ op: "set" as const, attribute: "tier", value: "VIP" }),
  handles: () => [NEXT_OPTIONAL],
  summary: (p, lang, names) => {
    switch (p.op) {
      case "set":
        return `${names.attribute(p.attribute)} = ${JSON.stringify(p.value)}`;
      case "increment":
        return `${names.attribute(p.attribute)} ${p.by >= 0 ? "+" : "−"}= ${Math.abs(p.by)}`;
      case "tag":
        return pick(lang, `Tag ${p.tag}`, `添加标签 ${p.tag}`);
      case "untag":
        return pick(lang, `Remove tag ${p.tag}`, `移除标签 ${p.tag}`);
    }
  },
  compile: (p) => ({ ...p }),
});
