import { periodStart, type IdentifierCap, type JourneyId, type NodeId } from "@lifeloop/shared";
import type { StepContext } from "./context.ts";

/** Longest identifier value counted: longer ones are refused, so a counter's key stays small. */
const MAX_IDENTIFIER = 128;

/**
 * The counters of a cap per identifier are not one person's state: every account whose event
 * carries the same device id shares them. They are shared counters like budgets, keyed by journey,
 * node, period start and value, so the store guards them the same way on SQLite and PostgreSQL
 * (`used + amount <= limit` in the grant's transaction) and simulate keeps them in its map.
 */
const counterKey = (journeyId: JourneyId, nodeId: NodeId, start: number, value: string, what: "count" | "amount") =>
  `idcap/${journeyId}/${nodeId}/${start}/${what}/${value}`;

export type IdentifierCapCheck =
  | { refuse: string }
  | {
      /** The most the grant may be (the amount asked, or what is left of an amount cap). */
      amount: number;
      /** The guarded spends of a grant of `amount`, made once every other check has passed. */
      spend: (ctx: StepContext, amount: number) => void;
    };

/**
 * Checks a grant of `amount` against the cap counted per value of `cap.key` in the event that
 * reached the node. An amount cap clips what can be clipped; `whole` amounts (a coupon's value, a
 * red packet's claim) are granted as they are or refused, as with the per-person cap.
 */
export function checkIdentifierCap(
  ctx: StepContext,
  where: { journeyId: JourneyId; nodeId: NodeId; timeZone: string },
  cap: IdentifierCap,
  props: Record<string, unknown> | undefined,
  amount: number,
  whole: boolean,
  money: (minor: number) => string,
): IdentifierCapCheck {
  const value = readIdentifier(props, cap.key);
  if (value === null)
    return {
      refuse:
        `the event has no usable "${cap.key}" to count this cap by ` +
        `(a non-empty text of at most ${MAX_IDENTIFIER} characters, or a whole number)`,
    };
  const start = cap.period === "lifetime" ? 0 : periodStart(ctx.now, where.timeZone, cap.period);
  const countKey = counterKey(where.journeyId, where.nodeId, start, value, "count");
  const amountKey = counterKey(where.journeyId, where.nodeId, start, value, "amount");
  const per = cap.period === "lifetime" ? "in all" : `this ${cap.period}`;
  const count = ctx.used(countKey);
  if (cap.count !== undefined && count >= cap.count)
    return { refuse: `${cap.key} ${value}: ${count} of ${cap.count} grants used ${per}` };
  let allowed = amount;
  if (cap.amount !== undefined) {
    const used = ctx.used(amountKey);
    const left = cap.amount - used;
    if (left <= 0 || (amount > left && whole))
      return { refuse: `${cap.key} ${value}: ${money(used)} of ${money(cap.amount)} used ${per}` };
    allowed = Math.min(amount, left);
  }
  return {
    amount: allowed,
    spend: (c, granted) => {
      if (cap.count !== undefined) c.spend(countKey, 1, cap.count);
      if (cap.amount !== undefined) c.spend(amountKey, granted, cap.amount);
    },
  };
}

/** The identifier at a dotted path of the event's properties: a non-empty string or a whole number. */
function readIdentifier(props: Record<string, unknown> | undefined, path: string): string | null {
  let v: unknown = props;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, part)) return null;
    // Checked just above to be a plain object that has this property.
    v = (v as Record<string, unknown>)[part];
  }
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  return typeof v === "string" && v !== "" && v.length <= MAX_IDENTIFIER ? v : null;
}
