import {
  periodStart,
  renderTemplate,
  type AggregateSpec,
  type CompiledParams,
  type HandleIdOf,
} from "@lifeloop/shared";
import { quietUntil } from "../clock.ts";
import { channelCapRefusal, countChannelSend } from "../gates/channel-cap.ts";
import type { KindBehaviour, Outcome, Visit } from "./types.ts";

/**
 * Queues a message in the outbox. Inside quiet hours the run waits at this node until they end,
 * then sends; over the journey's frequency cap, or the engine's cap for its channel across journeys,
 * the message is skipped (saying which cap) and the run goes on.
 */
function send({
  ctx,
  run,
  node,
  params: p,
  journey,
}: Visit<CompiledParams<"message">>): Outcome<HandleIdOf<"message">> {
  const settings = journey.exe.settings;
  const tz = journey.exe.timeZone;
  if (p.respectQuietHours) {
    const until = quietUntil(ctx.now, tz, settings.quietHours);
    if (until !== null) {
      ctx.emit(journey, node.id, { kind: "hold", reason: "quiet_hours", until });
      return { pause: { kind: "quiet", until } };
    }
  }
  const cap = settings.frequencyCap;
  const start = cap ? periodStart(ctx.now, tz, cap.period) : 0;
  const sent = ctx.state.sent[journey.journeyId];
  const use = sent && sent.start === start ? sent : { start, count: 0, amount: 0 };
  if (cap && p.respectFrequencyCap && use.count >= cap.count) {
    ctx.emit(journey, node.id, {
      kind: "suppress",
      reason: "frequency_cap",
      detail: `${use.count} of ${cap.count} messages this ${cap.period}`,
    });
    return { go: "next" };
  }
  // The engine's cap per channel counts every journey's messages; a message that does not respect
  // caps (a receipt, say) is neither held back by it nor spared from the count.
  const overChannel = channelCapRefusal(ctx, p.channel);
  if (overChannel !== null && p.respectFrequencyCap) {
    ctx.emit(journey, node.id, { kind: "suppress", reason: "channel_cap", detail: overChannel });
    return { go: "next" };
  }
  if (cap) ctx.state.sent[journey.journeyId] = { ...use, count: use.count + 1 };
  countChannelSend(ctx, p.channel);
  const data = ctx.data(run);
  const env = ctx.env(journey);
  // Aggregates in the text read the same series rules read: simulate and live render the same figures.
  const aggregate = (spec: AggregateSpec) => env.aggregate?.(spec) ?? null;
  const visit = run.visits[node.id] ?? 1;
  ctx.emit(journey, node.id, {
    kind: "message",
    channel: p.channel,
    title: p.template.title === null ? null : renderTemplate(p.template.title, data, aggregate),
    text: renderTemplate(p.template.body, data, aggregate),
    template: p.template.body,
    outboxKey:
      `${run.journeyId}@${run.version}/${node.id}` +
      `/${ctx.state.userId}/${run.entry}` +
      `${visit > 1 ? `/${visit}` : ""}`,
  });
  return { go: "next" };
}

export const message: KindBehaviour<"message"> = { visit: send, resume: (v) => send(v) };
