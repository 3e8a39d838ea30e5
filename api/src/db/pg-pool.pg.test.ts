/**
 * The PostgreSQL store when a connection breaks at the worst moment: while BEGIN is on the wire. A
 * TCP relay on loopback between the store and the run's PostgreSQL server cuts the connection when
 * it sees BEGIN go by. Each such transaction fails as "unavailable" (503 to a client), and its broken
 * client goes back to the pool to be discarded: more failures than the pool has connections, and
 * the next transaction still gets one at once.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { inject, expect, it, afterAll } from "vitest";
import { createDatabase } from "@lifeloop/engine/testing";
import { postgresForThisFile } from "../testing/postgres.ts";
import { openDatabase, type OpenDatabase } from "./open.ts";
import { databaseUnavailable } from "./unavailable.ts";

/**
 * Relays to `target`; while `cutOnBegin` > 0, the first BEGIN a client sends ends that connection (and counts down).
 */
async function relay(
  target: URL,
): Promise<{ url(database: string): string; armed: { cutOnBegin: number; cut: number }; close(): Promise<void> }> {
  const armed = { cutOnBegin: 0, cut: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(downstream).add(upstream);
    const end = () => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on("data", (chunk: Buffer) => {
      // A simple-protocol Query message ('Q', length, text): drizzle sends "begin" that way.
      if (armed.cutOnBegin > 0 && chunk[0] === 0x51 && /^begin/i.test(chunk.subarray(5).toString("utf8"))) {
        armed.cutOnBegin--;
        armed.cut++;
        end();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => downstream.write(chunk));
    for (const s of [downstream, upstream]) {
      s.on("error", end);
      s.on("close", () => {
        sockets.delete(s);
        end();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    armed,
    url(database) {
      const u = new URL(target);
      u.port = String(port);
      u.pathname = `/${database}`;
      return u.toString();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

if (postgresForThisFile("the PostgreSQL store when a connection breaks")) {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it(
    "answers a transaction whose BEGIN met a broken connection as unavailable, and never runs out of " +
      "connections for it",
    async () => {
      const db = await createDatabase(inject("pgUrl")!, "lifeloop_api_pool");
      cleanups.push(() => db.drop());
      const proxy = await relay(new URL(db.url));
      cleanups.push(() => proxy.close());
      const database: OpenDatabase = await openDatabase(proxy.url(new URL(db.url).pathname.slice(1)));
      cleanups.push(() => database.close());
      const { readiness } = database.db.t;

      // More broken BEGINs than the pool's ten connections.
      proxy.armed.cutOnBegin = 15;
      for (let i = 0; i < 15; i++) {
        const failed = await database.db
          .transaction(async (tx) => tx.q.select().from(readiness))
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(failed, `transaction ${i}`).not.toBeNull();
        expect(databaseUnavailable(failed), String(failed)).not.toBeNull();
      }
      expect(proxy.armed.cut).toBe(15);

      // The pool still has connections to give: this one does not wait for the 2 s connect timeout.
      const t = performance.now();
      await database.db.transaction(async (tx) => tx.q.insert(readiness).values({ id: 1, checkedAt: "after" }));
      expect(await database.db.q.select().from(readiness)).toEqual([{ id: 1, checkedAt: "after" }]);
      expect(performance.now() - t).toBeLessThan(1_500);
    },
  );
}
