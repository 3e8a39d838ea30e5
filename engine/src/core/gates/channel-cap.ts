import { CHANNELS, isValidTimeZone, Period, periodStart } from "@lifeloop/shared";
import type { StepContext } from "../context.ts";

/**
 * A frequency cap across every journey for one channel: at most `count` messages on `channel` per
 * person per calendar `period` in `timeZone` (e.g. 3 pushes a day). It is the engine's setting, not a
 * journey's: simulate takes the same list as the sidecar, so both refuse the same messages.
 */
export interface ChannelCap {
  channel: (typeof CHANNELS)[number];
  count: number;
  period: Period;
  timeZone: string;
}

/**
 * Where the person's count for a channel is kept in `UserState.sent`, beside the per-journey counts
 * (journey ids cannot hold a "/", so the keys never meet).
 */
const sentKey = (channel: string) => `channel/${channel}`;

function capOf(ctx: StepContext, channel: string): ChannelCap | undefined {
  return ctx.channelCaps.find((c) => c.channel === channel);
}

function useOf(ctx: StepContext, cap: ChannelCap) {
  const start = periodStart(ctx.now, cap.timeZone, cap.period);
  const sent = ctx.state.sent[sentKey(cap.channel)];
  return sent && sent.start === start ? sent : { start, count: 0, amount: 0 };
}

/** Why a message on `channel` is over the cross-journey cap now, or null when it may go. */
export function channelCapRefusal(ctx: StepContext, channel: string): string | null {
  const cap = capOf(ctx, channel);
  if (!cap) return null;
  const use = useOf(ctx, cap);
  if (use.count < cap.count) return null;
  return `${use.count} of ${cap.count} ${channel} messages this ${cap.period} across all journeys`;
}

/** Counts a message sent on `channel` (whether or not it respected the cap: the person got it). */
export function countChannelSend(ctx: StepContext, channel: string): void {
  const cap = capOf(ctx, channel);
  if (!cap) return;
  const use = useOf(ctx, cap);
  ctx.state.sent[sentKey(channel)] = { ...use, count: use.count + 1 };
}

/**
 * The engine's setting as an operator writes it: `push:3/day,sms:1/week` (one cap per channel), with
 * one time zone for all of them. Throws, naming the part, on anything else.
 */
export function parseChannelCaps(text: string, timeZone: string): ChannelCap[] {
  if (!isValidTimeZone(timeZone)) throw new Error(`channel caps: "${timeZone}" is not an IANA time zone`);
  const caps: ChannelCap[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const m = /^([a-z_]+):([1-9][0-9]{0,5})\/([a-z]+)$/.exec(part);
    const channel = CHANNELS.find((c) => c === m?.[1]);
    const period = Period.safeParse(m?.[3]);
    if (!m || !channel || !period.success)
      throw new Error(
        `channel caps: "${part}" is not channel:count/period (channels ${CHANNELS.join(", ")}; day, week or month)`,
      );
    if (caps.some((c) => c.channel === channel)) throw new Error(`channel caps: ${channel} is capped twice`);
    caps.push({ channel, count: Number(m[2]), period: period.data, timeZone });
  }
  return caps;
}
