import {
  periodStart,
  renderTemplate,
  type AggregateSpec,
  type CompiledParams,
  type HandleIdOf,
} from "@lifeloop/shared";
import { quietUntil } from "../clock.ts";
import type { KindBehaviour, Outcome, Visit } from "./types.ts";

/**
 * Queues a message in the outbox. Inside quiet hours the run waits at this node until they end,
 * then sends; over the journey's frequency cap the message is skipped and the run goes on.
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
  if (cap) {
    const start = periodStart(ctx.now, tz, cap.period);
    const sent = ctx.state.sent[journey.journeyId];
    const use = sent && sent.start === start ? sent : { start, count: 0, amount: 0 };
    if (p.respectFrequencyCap && use.count >= cap.count) {
      ctx.emit(journey, node.id, {
        kind: "suppress",
        reason: "frequency_cap",
        detail: `${use.count} of ${cap.count} messages this ${cap.period}`,
      });
      return { go: "next" };
    }
    ctx.state.sent[journey.journeyId] = { ...use, count: use.count + 1 };
  }
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
