import type { JourneyId } from "@lifeloop/shared";
import type { StepContext } from "../context.ts";
import type { LoadedJourney, World } from "../journeys.ts";

/**
 * Journey groups: journeys that must not collide (two newcomer gifts) share a group, and a person is
 * in at most one journey of a group at a time. Two rules, both read from the person's state and the
 * step alone, so simulate and live decide the same:
 * - someone with a run in a journey of the group does not enter another one until that run ends;
 * - when one input enters several journeys of a group at one instant, they are tried highest
 *   priority first (ties: the lower journey id) and the first that enters wins; the others are
 *   refused even when the winner's run ended at once (a trigger → reward → exit path);
 * - with a period (`groupPeriod`, e.g. 30d), an entry into another journey of the group keeps the
 *   person out of this one for that long after it, ended or not: the entry memo keeps when.
 */

const groupOf = (journey: LoadedJourney) => journey.exe.group ?? null;

/**
 * The live journeys in the order entries are tried: each group's journeys are re-ordered among the
 * places they hold (highest priority first, then journey id); journeys in no group keep their place,
 * so a world without groups runs exactly as before.
 */
export function groupEntryOrder(live: readonly LoadedJourney[]): LoadedJourney[] {
  const order = [...live];
  const slots = new Map<string, number[]>();
  live.forEach((j, i) => {
    const g = groupOf(j);
    if (g) slots.set(g.id, [...(slots.get(g.id) ?? []), i]);
  });
  for (const places of slots.values()) {
    const members = places.map((i) => live[i]!).sort(byPriority);
    places.forEach((place, k) => {
      order[place] = members[k]!;
    });
  }
  return order;
}

function byPriority(a: LoadedJourney, b: LoadedJourney): number {
  const pa = groupOf(a)?.priority ?? 0;
  const pb = groupOf(b)?.priority ?? 0;
  if (pa !== pb) return pb - pa;
  return a.journeyId < b.journeyId ? -1 : a.journeyId > b.journeyId ? 1 : 0;
}

/**
 * Which journey of each group this step entered the person into, and when (see claimGroup). Kept
 * beside the step's context rather than in it, so the gate stays one module with a small call site.
 */
const claims = new WeakMap<StepContext, Map<string, { journeyId: JourneyId; at: number }>>();

/** Why the group keeps this person out of `journey`, naming the journey that holds them; null lets them in. */
export function groupRefusal(ctx: StepContext, journey: LoadedJourney): string | null {
  const group = groupOf(journey);
  if (!group) return null;
  const claim = claims.get(ctx)?.get(group.id);
  if (claim && claim.at === ctx.now && claim.journeyId !== journey.journeyId) {
    const winner = ctx.world.liveVersion(claim.journeyId);
    const priority = winner ? (groupOf(winner)?.priority ?? 0) : 0;
    return (
      `group ${group.id}: ${claim.journeyId} (priority ${priority}) won this entry ` +
      `over this journey (priority ${group.priority})`
    );
  }
  const holder = activeIn(ctx, group.id, journey.journeyId);
  if (holder !== null) return `group ${group.id}: already in ${holder} until it ends`;
  return group.periodMs === undefined ? null : enteredWithin(ctx, group.id, group.periodMs, journey.journeyId);
}

/**
 * Another journey of the group the person entered less than `periodMs` ago, worded as the refusal. The
 * entry memo is per journey across versions, so the group is the one its live version declares now.
 */
function enteredWithin(ctx: StepContext, group: string, periodMs: number, except: JourneyId): string | null {
  for (const other of entryOrderOf(ctx.world)) {
    if (other.journeyId === except || groupOf(other)?.id !== group) continue;
    const memo = ctx.state.entries[other.journeyId];
    if (memo && memo.count > 0 && ctx.now < memo.lastAt + periodMs) {
      const [at, until] = [memo.lastAt, memo.lastAt + periodMs].map((t) => new Date(t).toISOString());
      return `group ${group}: entered ${other.journeyId} at ${at}, one per period until ${until}`;
    }
  }
  return null;
}

/** Records that the person entered `journey` now: other journeys of its group refuse them at this instant. */
export function claimGroup(ctx: StepContext, journey: LoadedJourney): void {
  const group = groupOf(journey);
  if (!group) return;
  const mine = claims.get(ctx) ?? new Map<string, { journeyId: JourneyId; at: number }>();
  claims.set(ctx, mine);
  if (!mine.has(group.id) || mine.get(group.id)!.at !== ctx.now)
    mine.set(group.id, { journeyId: journey.journeyId, at: ctx.now });
}

/** Another journey of the group this person has a run in (the group of the version the run is on). */
function activeIn(ctx: StepContext, group: string, except: JourneyId): JourneyId | null {
  for (const run of ctx.state.runs) {
    if (run.journeyId === except) continue;
    const version = ctx.world.version(run.journeyId, run.version);
    if (version && groupOf(version)?.id === group) return run.journeyId;
  }
  return null;
}

/** The world's entry order, computed once per world (a world never changes once built). */
const orders = new WeakMap<World, LoadedJourney[]>();
export function entryOrderOf(world: World): LoadedJourney[] {
  let order = orders.get(world);
  if (!order) {
    order = groupEntryOrder(world.live);
    orders.set(world, order);
  }
  return order;
}
