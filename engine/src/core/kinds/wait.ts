import { localDateTime, nextLocalTime } from "../clock.ts";
import type { KindBehaviour } from "./types.ts";

export const wait: KindBehaviour<"wait"> = {
  visit: ({ ctx, node, params: p, journey }) => {
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
    const handle = p.mode !== "event" ? "next" : cause === "event" ? "event" : "timeout";
    ctx.emit(journey, node.id, { kind: "resume", handle });
    return { go: handle };
  },
};
