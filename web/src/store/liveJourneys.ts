/**
 * The other live journeys, as the overlap warning needs them (the events they enter on, whether
 * they reward, their group: one of the same group is no overlap), read from their published
 * versions when the editor opens a journey. The compiler sees one journey; this is what lets the
 * problems list and the publish dialog warn that another live gift takes the same `registered`.
 */
import { create } from "zustand";
import { entryRewardFacts, type LiveJourneyFacts } from "@lifeloop/shared";
import { api } from "../api/client.ts";

export const useLiveJourneys = create<{ facts: LiveJourneyFacts[] }>(() => ({ facts: [] }));

/** At most this many live journeys are read (a page of the list): the warning is a help, not a guarantee. */
const MOST = 100;

/** Reads the live journeys but `except` (the one being edited) and keeps their facts. */
export async function loadLiveJourneys(except: string): Promise<void> {
  const page = await api.listJourneys("", { status: ["live"] });
  const live = page.items.filter((j) => j.id !== except && j.liveVersion !== null).slice(0, MOST);
  const facts = await Promise.all(
    live.map(async (j): Promise<LiveJourneyFacts> => {
      const v = await api.version(j.id, j.liveVersion!);
      return { id: j.id, name: j.name, ...entryRewardFacts(v.document) };
    }),
  );
  useLiveJourneys.setState({ facts });
}
