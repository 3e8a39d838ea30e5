import type { z } from "zod";
import { strictObject } from "./strict.ts";
import { Name, Rule, SegmentId, Text } from "./common.ts";

/**
 * A named condition over a person: profile attributes and windowed aggregates, e.g. high value =
 * {"agg_sum": ["transaction", "amount", "month"]} ≥ 500000. The engine re-evaluates membership when
 * a person's data changes and emits enter / leave, which triggers can listen to.
 */
export const Segment = strictObject({
  id: SegmentId,
  name: Name,
  description: Text()
    .meta({ ui: { widget: "multiline" } })
    .default(""),
  condition: Rule,
});
export type Segment = z.infer<typeof Segment>;
