import { decodeTimelineRow } from "../effects/timeline-row.ts";
import { poolKey, type UserState } from "../core/index.ts";
import type {
  CouponPoolCount,
  DeliveryRow,
  EventLogQuery,
  EventLogRow,
  GrantRow,
  LedgerEntry,
  LedgerQuery,
  MessageQuery,
  WalletTotals,
} from "./port.ts";

/** A ledger row's columns as GrantRow names them (quoted: PostgreSQL folds unquoted aliases). */
export const LEDGER_ROW =
  `seq, grant_key AS "grantKey", entry, user_id AS "userId", journey_id AS "journeyId", version, ` +
  `node_id AS "nodeId", type, amount, code, unit, budget_id AS "budgetId", at`;
/** A points row's columns as PointsLedgerRow names them (a wallet seeded from the ledger). */
export const POINTS_ROW =
  `user_id AS "userId", grant_key AS "grantKey", entry, journey_id AS "journeyId", version, ` +
  `node_id AS "nodeId", amount, at`;

/**
 * The sidecar's read queries, written once for both stores: `?` placeholders (the PostgreSQL
 * adapter numbers them) and quoted camelCase aliases (PostgreSQL folds unquoted ones).
 */
export interface SqlReader {
  all<T>(sql: string, args: unknown[]): Promise<T[]>;
}

/**
 * `xid`: how the store names an event's appending transaction — a column on PostgreSQL, the constant 0 on SQLite (one
 * writer, seq is the applied order).
 */
export function readsOver(db: SqlReader, dialect: { xid: "xid" | "0" }) {
  const one = async <T>(sql: string, args: unknown[]): Promise<T | undefined> => (await db.all<T>(sql, args))[0];
  return {
    /** Every coupon pool: its codes and how many were handed out (its counter), by name. */
    async couponPools(): Promise<CouponPoolCount[]> {
      const rows = await db.all<{ pool: string; codes: number | string; handed: number | string | null }>(
        "SELECT p.pool AS pool, p.n AS codes, c.used AS handed FROM (SELECT pool, count(*) AS n FROM " +
          "coupon_pool_codes GROUP BY pool) p LEFT JOIN counters c ON c.key = ? || p.pool ORDER BY p.pool",
        // The counter of pool "" is the prefix every pool's counter starts with.
        [poolKey("")],
      );
      return rows.map((r) => ({ pool: r.pool, codes: Number(r.codes), handed: Number(r.handed ?? 0) }));
    },
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
    /** A person's points ledger summed per entry kind: what their wallet's balance is derived from. */
    async walletTotals(userId: string): Promise<WalletTotals> {
      const rows = await db.all<{ entry: string; n: number | string }>(
        "SELECT entry, coalesce(sum(amount), 0) AS n FROM ledger WHERE user_id = ? AND unit = 'points' GROUP BY entry",
        [userId],
      );
      const of = (entry: LedgerEntry) => Number(rows.find((r) => r.entry === entry)?.n ?? 0);
      return { granted: of("grant"), spent: of("spend"), expired: of("expire") };
    },
    // The ledger's and the outbox's ids are as the engine wrote them (parsed at its edges, branded
    // in the core), so typing the rows as GrantRow and DeliveryRow is safe.
    ledger(q: LedgerQuery): Promise<Array<GrantRow & { seq: number }>> {
      const { clause, args } = whereOf([
        ["user_id = ?", q.userId],
        ["journey_id = ?", q.journeyId],
        ["node_id = ?", q.nodeId],
        ["seq > ?", q.after],
      ]);
      return db.all(`SELECT ${LEDGER_ROW} FROM ledger ${clause} ORDER BY seq LIMIT ?`, [...args, q.limit]);
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
    async eventLog(q: EventLogQuery): Promise<EventLogRow[]> {
      const xid = dialect.xid;
      // SQLite would read `ORDER BY 0` as "the 0th column": order by seq alone there (xid is constant).
      const order = xid === "0" ? "seq" : "xid, seq";
      const rows = await db.all<{
        seq: number | string;
        xid: number | string;
        id: string;
        userId: string;
        type: string;
        at: number | string;
        props: string;
      }>(
        `SELECT seq, ${xid} AS xid, id, user_id AS "userId", type, at, props FROM events ` +
          `WHERE at >= ? AND at < ? AND (${xid}, seq) > (?, ?) ORDER BY ${order} LIMIT ?`,
        [q.since, q.until, q.after.xid, q.after.seq, q.limit],
      );
      // PostgreSQL answers a bigint as a string. Props were an object when the event was stored.
      return rows.map((r) => ({
        seq: Number(r.seq),
        xid: Number(r.xid),
        id: r.id,
        userId: r.userId,
        type: r.type,
        at: Number(r.at),
        props: JSON.parse(r.props) as Record<string, unknown>,
      }));
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
