import type { JsonValue } from "../json.ts";
import type { KindBehaviour } from "./types.ts";

export const updateAttribute: KindBehaviour<"update-attribute"> = {
  visit: ({ ctx, node, params: p, journey }) => {
    const profile = ctx.state.profile;
    let name: string;
    let value: JsonValue;
    switch (p.op) {
      case "set":
        name = p.attribute;
        value = p.value;
        break;
      case "increment": {
        name = p.attribute;
        const current = profile[name];
        value = (typeof current === "number" && Number.isSafeInteger(current) ? current : 0) + p.by;
        break;
      }
      case "tag":
      case "untag": {
        name = "tags";
        const tags = Array.isArray(profile.tags) ? profile.tags.filter((t): t is string => typeof t === "string") : [];
        const next =
          p.op === "tag" ? (tags.includes(p.tag) ? tags : [...tags, p.tag]) : tags.filter((t) => t !== p.tag);
        value = next;
        ctx.emit(journey, node.id, { kind: "attribute", op: p.op, name, value: p.tag });
        profile.tags = value;
        return { go: "next" };
      }
    }
    profile[name] = value;
    ctx.emit(journey, node.id, { kind: "attribute", op: p.op, name, value });
    return { go: "next" };
  },
};
