import { decodeTimelineRow } from "../effects/timeline-row.ts";
import type { UserState } from "../core/index.ts";
import type { DeliveryRow, GrantRow, LedgerQuery, MessageQuery } from "./port.ts";

/**
 * The sidecar's read queries, written once for both stores: `?` placeholders (the PostgreSQL
 * adapter numbers them) and quoted camelCase aliases (PostgreSQL folds unquoted ones).
 */
export interface SqlReader {
  all<T>(sql: string, args: unknown[]): Promise<T[]>;
}

export function readsOver(db: SqlReader) {
  const one = async <T>(sql: string, args: unknown[]): Promise<T | undefined> => (await db.all<T>(sql, args))[0];
  return {
    async userState(userId: string): Promise<UserState | null> {
      const row = await one<{ state: string }>("SELECT state FROM users WHERE user_id = ?", [userId]);
      return row ? (JSON.parse(row.state) as UserState) : null;
    },
    async timelineRows(userId: string, limit: number): Promise<Array<Array<Record<string, unknown>>>> {
      const rows = await db.all<{ record: string; at: number | string }>(
        "SELECT record, at FROM timeline WHERE user_id = ? ORDER BY seq DESC LIMIT ?",
        [userId, limit],
      );
      // PostgreSQL answers a bigint as a string.
      return rows.map((r) => decodeTimelineRow(r.record, userId, Number(r.at)));
    },
    ledger(q: LedgerQuery): Promise<Array<GrantRow & { seq: number }>> {
      const { clause, args } = whereOf([
        ["user_id = ?", q.userId],
        ["journey_id = ?", q.journeyId],
        ["node_id = ?", q.nodeId],
        ["seq > ?", q.after],
      ]);
      return db.all(
        `SELECT seq, grant_key AS "grantKey", user_id AS "userId", journey_id AS "journeyId", version, ` +
          `node_id AS "nodeId", type, amount, code, unit, budget_id AS "budgetId", at FROM ledger ${clause} ` +
          `ORDER BY seq LIMIT ?`,
        [...args, q.limit],
      );
    },
    messages(q: MessageQuery): Promise<DeliveryRow[]> {
      const { clause, args } = whereOf([
        ["user_id = ?", q.userId],
        ["journey_id = ?", q.journeyId],
        ["status = ?", q.status],
        ["kind = ?", q.kind],
        ["seq > ?", q.after],
      ]);
      return db.all<DeliveryRow>(
        `SELECT seq, key, kind, user_id AS "userId", journey_id AS "journeyId", node_id AS "nodeId", ` +
          `channel, payload, status, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError", ` +
          `created_at AS "createdAt", delivered_at AS "deliveredAt", redriven_at AS "redrivenAt" FROM ` +
          `outbox ${clause} ORDER BY seq LIMIT ?`,
        [...args, q.limit],
      );
    },
    async timerStats(): Promise<{ pending: number; oldest: number | null }> {
      const row = await one<{ pending: number; oldest: number | null }>(
        "SELECT count(*) AS pending, min(due_at) AS oldest FROM timers",
        [],
      );
      return {
        pending: Number(row?.pending ?? 0),
        oldest: row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest),
      };
    },
    /** The newest `limit` events in the log, newest first: their types and props (JSON text). */
    recentEvents(limit: number): Promise<Array<{ type: string; props: string }>> {
      return db.all("SELECT type, props FROM events ORDER BY seq DESC LIMIT ?", [limit]);
    },
    async outboxDepth(): Promise<Array<{ status: string; n: number }>> {
      return (
        await db.all<{ status: string; n: number }>("SELECT status, count(*) AS n FROM outbox GROUP BY status", [])
      ).map((r) => ({ status: r.status, n: Number(r.n) }));
    },
  };
}

/** A WHERE clause of the conditions whose value is given (a falsy value leaves its condition out). */
function whereOf(conditions: Array<[sql: string, value: unknown]>): { clause: string; args: unknown[] } {
  const given = conditions.filter(([, value]) => value);
  return {
    clause: given.length ? `WHERE ${given.map(([sql]) => sql).join(" AND ")}` : "",
    args: given.map(([, value]) => value),
  };
}
