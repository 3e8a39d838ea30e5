/** The failed-step scenario of step-failed.test.ts on PostgreSQL: same records as SQLite and simulate(). */
import { expect, it } from "vitest";
import { PgStore } from "../store/pg/store.ts";
import { describePostgres } from "../store/pg/testing/suite.ts";
import { expectFailedSteps, runFailingStream } from "../testing/failed-steps.ts";

describePostgres("a failed step on PostgreSQL", (db) => {
  it("leaves the person as they were, writes step_failed, drops the failing timer, commits the rest", async () => {
    const store = await PgStore.open({ url: db() });
    try {
      const count = async (sql: string, ...args: unknown[]) => Number((await store.pool.query(sql, args)).rows[0].n);
      const run = await runFailingStream(store, (userId) =>
        count("SELECT count(*) AS n FROM timers WHERE user_id = $1", userId),
      );
      await expectFailedSteps(run);
      expect((await store.pool.query("SELECT error FROM events WHERE id = 'later'")).rows[0].error).toContain(
        "limit_steps",
      );
      expect((await store.userState("u1"))!.runs.map((r) => r.nodeId)).toEqual(["w"]);
    } finally {
      await store.close();
    }
  });
});
