/**
 * What a message node sent to each person of a simulated sample stream: the text the engine
 * rendered (shared's renderTemplate, with the person's profile, event and last reward; money through
 * `| money` in the journey's currency) and the reward granted to them just before it.
 */
import type { ApiSchemas } from "@lifeloop/client";

type EffectRecord = ApiSchemas["EffectRecord"];
type MessageEffect = Extract<EffectRecord, { kind: "message" }>;
type RewardEffect = Extract<EffectRecord, { kind: "reward" }>;

export interface PreviewedMessage {
  userId: string;
  at: string;
  channel: string;
  title: string | null;
  text: string;
  /** The last reward this person was granted in this journey before the message, if any. */
  lastReward: RewardEffect["reward"] | null;
}

/** Each message this node sent in the run, in run order, with the person's last reward before it. */
export function messagesAt(effects: readonly EffectRecord[], journeyId: string, nodeId: string): PreviewedMessage[] {
  const lastReward = new Map<string, RewardEffect["reward"]>();
  const out: PreviewedMessage[] = [];
  for (const e of effects) {
    if (e.journeyId !== journeyId) continue;
    if (e.kind === "reward") lastReward.set(e.userId, e.reward);
    if (e.kind === "message" && e.nodeId === nodeId) {
      const m: MessageEffect = e;
      out.push({
        userId: m.userId,
        at: m.at,
        channel: m.channel,
        title: m.title,
        text: m.text,
        lastReward: lastReward.get(m.userId) ?? null,
      });
    }
  }
  return out;
}
