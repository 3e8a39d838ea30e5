import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, findBinaries, startServer, type TestServer } from "../store/pg/testing/server.ts";
import { startEngine } from "./crash-scenario.ts";

/**
 * A worker that starts before its database (a deploy, a failover, a machine booting) waits for it
 * instead of exiting: a real engine process is started while this test's own PostgreSQL server is
 * stopped, keeps trying with backoff and one log line, and serves as soon as the server is up.
 */
let binaries: string | null = null;
let missing = "";
try {
  binaries = findBinaries();
} catch (e) {
  missing = (e as Error).message;
}
const suite = binaries ? describe : process.env.CI ? describe : describe.skip;
if (!binaries)
  console.warn(`\n!!!! SKIPPED: the late-start test needs PostgreSQL server binaries of its own: ${missing} !!!!\n`);

suite("an engine started before its database", () => {
  let server: TestServer | null = null;
  afterAll(() => server?.stop());

  it("waits for PostgreSQL, then serves without a restart", async () => {
    if (!binaries) throw new Error(`needs PostgreSQL server binaries: ${missing}`);
    server = await startServer({ fast: true, synchronousCommit: true });
    const db = (await createDatabase(server.url, "lifeloop_late")).url;
    await server.halt("fast");
    // While the server is down, its port answers like a server going away: each connection is
    // accepted and dropped at once. Counting them shows the engine really tried, and kept trying.
    const port = Number(new URL(db).port);
    let attempts = 0;
    const gone = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => gone.listen(port, "127.0.0.1", resolve));
    const starting = startEngine(db);
    starting.catch(() => {}); // awaited below; this only keeps Node from calling it unhandled meanwhile
    for (const deadline = performance.now() + 30_000; attempts < 3; ) {
      if (performance.now() > deadline) throw new Error(`the engine tried ${attempts} time(s) in 30 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const up = performance.now();
    await server.start();
    const engine = await starting;
    const servingMs = performance.now() - up;
    const log = engine.stdout();
    expect(log).toMatch(/connecting to PostgreSQL at start failing: .*; waiting for it/);
    expect(log).toMatch(/connecting to PostgreSQL at start works again/);
    expect(log.match(/connecting to PostgreSQL at start failing/g)).toHaveLength(1);
    expect((await fetch(`${engine.url}/readyz`)).status).toBe(200);
    const res = await fetch(`${engine.url}/v1/events?wait=applied`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        id: "late-1",
        userId: "u1",
        type: "invite_accepted",
        at: "2026-11-20T00:00:00Z",
        props: { inviteeId: "f1" },
      }),
    });
    expect(res.status).toBe(202);
    console.log(
      `late start: the engine waited for PostgreSQL and was serving ${servingMs.toFixed(0)} ms after the ` +
        `server started`,
    );
    engine.proc.kill("SIGTERM");
    await engine.exited;
  }, 60_000);
});
