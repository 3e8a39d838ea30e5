/**
 * The pause a background loop takes between two of its batches (an applier batch, a timer pass, a
 * scheduled trigger's slice of its audience, a delivery pass, a fold of the report projector) so that
 * the requests waiting meanwhile are answered.
 *
 * One turn of the event loop is not enough for clients that open connections. Node's libuv (1.45 on,
 * Node 20 on) accepts one connection a turn (libuv#3696), and reads a new connection's first request
 * on the turn after. With a batch of ~10 ms between two turns, 40 connections opened at once waited
 * up to 470 ms to be answered (a host's pool growing when a cohort's waits all end). Between
 * batches there are therefore {@link TURNS} turns. A turn with nothing to do costs ~2 µs, 16 of them
 * ~35 µs a batch. The same 40 connections were answered within 55 ms (`turns.test.ts` has the
 * accepts; `docs/engine.md` the figures).
 */

/** Turns of the loop between two background batches: up to this many new connections accepted. */
export const TURNS = 16;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Gives the event loop {@link TURNS} turns: requests, new connections and timers run meanwhile. */
export async function yieldToRequests(): Promise<void> {
  for (let i = 0; i < TURNS; i++) await turn();
}
