import { EventId, UserId } from "@lifeloop/shared";
import pg from "pg";
import { expect, it } from "vitest";
import { unavailableReason } from "../unavailable.ts";
import { checkout, createPool } from "./connection.ts";
import { PgStore } from "./store.ts";
import { describePostgres } from "./testing/suite.ts";

/**
 * The server ending connections, as in a restart, without restarting the server other test files
 * share: `pg_terminate_backend` ends one session (the client gets 57P01, as in `pg_ctl restart -m
 * fast`). The whole restart under load is server/pg-restart.pg.test.ts.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; !(await probe()); i++) {
    if (i > 200) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describePostgres("PostgreSQL connections the server ends", (db) => {
  const terminate = async (pid: number) => {
    const admin = new pg.Client({ connectionString: db() });
    await admin.connect();
    try {
      expect((await admin.query("SELECT pg_terminate_backend($1) AS ok", [pid])).rows[0].ok).toBe(true);
    } finally {
      await admin.end();
    }
  };

  it(
    "a checked-out client the server ends between queries neither " + "crashes the process nor goes back to the pool",
    async () => {
      const seen: Error[] = [];
      const pool = createPool({ url: db(), max: 2, onConnectionError: (e) => seen.push(e) });
      try {
        const c = await checkout(pool);
        const pid = (await c.client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
        // Checked out and idle: node-postgres emits 'error' on the client. Without a listener, the process would die
        // here.
        await terminate(pid);
        await until("the client to notice", () => c.broken !== undefined);
        expect((c.broken as Error & { code?: string }).code).toBe("57P01");
        const failed = await c.client.query("SELECT 1").then(
          () => null,
          (e: unknown) => c.explain(e),
        );
        expect(failed, "the next query on the dead client fails").not.toBeNull();
        expect(unavailableReason(failed)).not.toBeNull();
        c.release();
        // Discarded, not pooled: the next checkout is a fresh connection.
        expect(pool.totalCount).toBe(0);
        const next = await checkout(pool);
        expect((await next.client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid).not.toBe(pid);
        next.release();
        expect(seen.length).toBeGreaterThan(0);
      } finally {
        await pool.end();
      }
    },
  );

  it("an idle pooled connection the server ends is dropped and replaced, and the process lives", async () => {
    const seen: Error[] = [];
    const pool = createPool({ url: db(), max: 1, onConnectionError: (e) => seen.push(e) });
    try {
      const pid = (await pool.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
      expect(pool.idleCount).toBe(1);
      await terminate(pid);
      await until("the pool to drop it", () => pool.totalCount === 0);
      expect(seen.some((e) => (e as Error & { code?: string }).code === "57P01")).toBe(true);
      expect((await pool.query("SELECT 1 AS one")).rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it(
    "a transaction whose connection is ended mid-way fails as unavailable, commits nothing, and the store goes " + "on",
    async () => {
      const logged: string[] = [];
      const store = await PgStore.open({ url: db(), log: (l) => logged.push(l) });
      try {
        await store.pool.query("TRUNCATE events");
        const ev = (id: string) => ({ id: EventId.parse(id), userId: UserId.parse("u1"), type: "x", at: 1, props: {} });
        let attempts = 0;
        const failure = await store
          .transaction(async (tx) => {
            attempts++;
            await tx.insertEvents([ev(`lost-${attempts}`)], 1);
            // The server ends this session before COMMIT (every attempt: the bounded quick retry gives up too).
            const pid = (
              await store.pool.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
              )
            ).rows[0].pid as number;
            await terminate(pid);
            await tx.insertEvents([ev(`lost-more-${attempts}`)], 1);
          })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(unavailableReason(failure), String(failure)).not.toBeNull();
        expect(attempts, "one quick retry, then the error").toBe(2);
        expect(
          Number((await store.pool.query("SELECT count(*) AS n FROM events")).rows[0].n),
          "nothing half-applied",
        ).toBe(0);
        // One line for the outage, not one per failure; and one when it works again.
        expect(logged.filter((l) => /PostgreSQL failing/.test(l))).toHaveLength(1);
        await store.transaction(async (tx) => void (await tx.insertEvents([ev("after")], 1)));
        expect((await store.pool.query("SELECT id FROM events")).rows.map((r) => r.id)).toEqual(["after"]);
        expect(logged.filter((l) => /PostgreSQL works again/.test(l))).toHaveLength(1);
      } finally {
        await store.close();
      }
    },
  );

  it("a connection that died since its last use costs the transaction one quick retry, not a 503", async () => {
    const store = await PgStore.open({ url: db(), poolSize: 2, log: () => {} });
    try {
      await store.pool.query("TRUNCATE events");
      const ev = (id: string) => ({ id: EventId.parse(id), userId: UserId.parse("u1"), type: "x", at: 1, props: {} });
      let attempts = 0;
      await store.transaction(async (tx) => {
        attempts++;
        if (attempts === 1) {
          const pid = (
            await store.pool.query(
              "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
            )
          ).rows[0].pid as number;
          await terminate(pid);
        }
        await tx.insertEvents([ev("kept")], 1);
      });
      expect(attempts).toBe(2);
      expect((await store.pool.query("SELECT id FROM events")).rows.map((r) => r.id)).toEqual(["kept"]);
    } finally {
      await store.close();
    }
  });
});
