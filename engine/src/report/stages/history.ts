/**
 * Each person's lifecycle history over a replayed stream: their stage after every change (from the
 * segment records the core emits for the stage watcher), and the few facts the KPIs read from the
 * events themselves (registration, investments, referrals, activity, the profile at the window's end).
 */
import { parseInstant, type EventEnvelope, type Segment } from "@lifeloop/shared";
import type { StageKpiEvents } from "@lifeloop/shared";
import { simulate } from "../../simulate.ts";
import { stageWatcher, WATCHER_ID } from "./watcher.ts";

const IDENTIFY = "identify";

export interface PersonHistory {
  userId: string;
  /** The person's first event: from then on the engine knows them. */
  firstAt: number;
  /** The stage after each change, in time order (null: in no stage). */
  changes: Array<{ at: number; stage: string | null }>;
  registeredAt: number | null;
  investments: number[];
  referrals: number[];
  /** Events that show the person active: any but identify and the registration. */
  activity: number[];
  /** Profile attributes as identify events set them, up to the window's end. */
  profile: Record<string, unknown>;
}

/** The stage a person is in at `t`: undefined before the engine knew them, null in no stage. */
export function stageAt(p: PersonHistory, t: number): string | null | undefined {
  if (p.firstAt > t) return undefined;
  let stage: string | null = null;
  for (const c of p.changes) {
    if (c.at > t) break;
    stage = c.stage;
  }
  return stage;
}

/**
 * Replays `events` (time-ordered, none after `to`) through the stage watcher up to `to`: the core's
 * own segment evaluation, so a stage here is what a live journey on these segments sees.
 */
export function stageHistories(
  stages: Segment[],
  timeZone: string,
  kpi: StageKpiEvents,
  events: EventEnvelope[],
  to: number,
): PersonHistory[] {
  const watcher = stageWatcher(stages, timeZone);
  const order = stages.map((s) => String(s.id));
  const people = new Map<string, PersonHistory>();
  for (const e of events) {
    const at = parseInstant(e.at)!;
    let p = people.get(e.userId);
    if (!p) {
      p = {
        userId: e.userId,
        firstAt: at,
        changes: [],
        registeredAt: null,
        investments: [],
        referrals: [],
        activity: [],
        profile: {},
      };
      people.set(e.userId, p);
    }
    p.firstAt = Math.min(p.firstAt, at);
    if (e.type === IDENTIFY) Object.assign(p.profile, e.props);
    else if (e.type === kpi.registration) p.registeredAt = Math.min(p.registeredAt ?? at, at);
    else p.activity.push(at);
    if (e.type === kpi.investment) p.investments.push(at);
    if (e.type === kpi.referral) p.referrals.push(at);
  }
  for (const p of people.values())
    for (const list of [p.investments, p.referrals, p.activity]) list.sort((a, b) => a - b);

  const result = simulate({ journeys: [{ executable: watcher }], events, until: to, onRuleFailure: "record" });
  const member = new Map<string, Set<string>>();
  for (const r of result.effects) {
    if (r.kind !== "segment" || r.journeyId !== WATCHER_ID) continue;
    const p = people.get(r.userId);
    if (!p) continue;
    const set = member.get(r.userId) ?? new Set<string>();
    member.set(r.userId, set);
    if (r.change === "enter") set.add(r.segment);
    else set.delete(r.segment);
    // A person is in the first stage that holds, in the stages' order.
    const stage = order.find((id) => set.has(id)) ?? null;
    const at = parseInstant(r.at)!;
    const last = p.changes.at(-1);
    if (last && last.at === at) last.stage = stage;
    else if ((last?.stage ?? null) !== stage) p.changes.push({ at, stage });
  }
  for (const p of people.values()) {
    // Changes within one instant collapse to its last; drop the ones that changed nothing.
    p.changes = p.changes.filter((c, i, all) => (i === 0 ? c.stage !== null : all[i - 1]!.stage !== c.stage));
  }
  return [...people.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}
