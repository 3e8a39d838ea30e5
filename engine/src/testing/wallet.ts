import { edge, exitNode, journey, node, trigger } from "@lifeloop/shared/testing";

/** The wallet's tests' journey: a sign-up gift of 500 points that expire 3 days on, in Shanghai. */
export const giftJourney = journey({
  id: "signup-points",
  nodes: [
    trigger("start", "registered"),
    node("gift", "reward", {
      reward: { type: "points", amount: 500 },
      cap: { count: 1, period: "lifetime" },
      expires: { after: 3, unit: "day" },
    }),
    exitNode("end"),
  ],
  edges: [edge("start", "gift"), edge("gift", "end")],
});
