import { localDateTime, nextLocalTime } from "../clock.ts";
import { openCouponOf } from "../coupons.ts";
import type { KindBehaviour } from "./types.ts";

export const wait: KindBehaviour<"wait"> = {
  visit: ({ ctx, run, node, params: p, journey }) => {
    const tz = journey.exe.timeZone;
    let until: number;
    switch (p.mode) {
      case "duration":
        until = ctx.now + p.ms;
        break;
      case "until_time":
        until = nextLocalTime(ctx.now, tz, p.time, p.weekdays);
        break;
      case "until_date":
        until = localDateTime(p.at, tz);
        break;
      case "event": {
        const deadline = p.timeoutMs === null ? null : ctx.now + p.timeoutMs;
        ctx.emit(journey, node.id, { kind: "wait", until: deadline, event: p.event });
        return { pause: { kind: "event", event: p.event, until: deadline } };
      }
      case "coupon": {
        // The coupon this entry got last and still holds; none (never granted, or closed already): no wait.
        const coupon = openCouponOf(ctx.state, run);
        if (!coupon) {
          ctx.emit(journey, node.id, { kind: "resume", handle: "timeout" });
          return { go: "timeout" };
        }
        // A coupon that lapses before the timeout cannot be redeemed after: the wait ends with it.
        const timeout = ctx.now + p.timeoutMs;
        const deadline = coupon.expiresAt === null ? timeout : Math.min(timeout, coupon.expiresAt);
        ctx.emit(journey, node.id, { kind: "wait", until: deadline, event: coupon.event });
        return { pause: { kind: "event", event: coupon.event, until: deadline, coupon: coupon.key } };
      }
    }
    // A date already past lets the run through at once, saying so in the timeline.
    if (until <= ctx.now) {
      ctx.emit(journey, node.id, { kind: "resume", handle: "next" });
      return { go: "next" };
    }
    ctx.emit(journey, node.id, { kind: "wait", until, event: null });
    return { pause: { kind: "time", until } };
  },
  resume: ({ ctx, node, params: p, journey }, cause) => {
    const handle = p.mode !== "event" && p.mode !== "coupon" ? "next" : cause === "event" ? "event" : "timeout";
    ctx.emit(journey, node.id, { kind: "resume", handle });
    return { go: handle };
  },
};
