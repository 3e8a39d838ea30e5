/**
 * Which failures mean "the database cannot answer right now" rather than "this request is wrong" or
 * "the code is wrong": a PostgreSQL server that is restarting, down or out of connections or disk; a
 * SQLite file that is locked by another process, full, read-only or failing I/O. The API answers
 * those with 503 and Retry-After (errors.ts), and stays up: the next request may find it back.
 */

export interface Unavailable {
  /** What a client reads in the 503's message (no connection strings, no secrets). */
  reason: string;
  /** Seconds a client should wait before trying again. */
  retryAfter: number;
  /** The driver's own message (for the log: drizzle's wrapper message would also hold the query's parameters). */
  detail: string;
}

/** SQLite result codes (better-sqlite3's `code`; extended codes start with these). */
const SQLITE: Array<[prefix: string, reason: string, retryAfter: number]> = [
  ["SQLITE_BUSY", "the database is locked by another writer", 1],
  ["SQLITE_LOCKED", "the database is locked by another writer", 1],
  ["SQLITE_FULL", "the disk holding the database is full", 5],
  ["SQLITE_IOERR", "the disk holding the database failed to read or write", 5],
  ["SQLITE_READONLY", "the database can only be read right now", 5],
];

/** PostgreSQL SQLSTATE classes and codes that say the server, not the request, is the problem. */
const PG_CLASSES: Record<string, string> = {
  "08": "the connection to PostgreSQL failed",
  "53": "PostgreSQL is out of resources (connections, memory or disk)",
  "58": "PostgreSQL had a system error",
};
const PG_CODES: Record<string, string> = {
  "57P01": "PostgreSQL is shutting down or restarting",
  "57P02": "PostgreSQL is recovering from a crash",
  "57P03": "PostgreSQL is starting up or shutting down",
  "25006": "PostgreSQL only accepts reads right now",
};

/** Socket errors from node: the server is not there, or went away mid-conversation. */
const NET = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * node-postgres's own messages when the connection breaks or cannot be had in time (it sets no code
 * on these): a server closing the socket, a client already broken, the pool's connection timeout.
 */
const PG_MESSAGES = [/^Connection terminated/, /not queryable/, /^timeout exceeded when trying to connect/];

type Coded = { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };

/**
 * Unavailable when `error` (or anything in its cause chain, drizzle wraps driver errors) is one of the above; null
 * otherwise.
 */
export function databaseUnavailable(error: unknown): Unavailable | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as Coded;
    const detail = `${typeof code === "string" ? `${code}: ` : ""}${typeof message === "string" ? message : ""}`;
    if (typeof code === "string") {
      const sqlite = SQLITE.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`));
      if (sqlite) return { reason: sqlite[1], retryAfter: sqlite[2], detail };
      const pg = PG_CODES[code] ?? (/^[0-9A-Z]{5}$/.test(code) ? PG_CLASSES[code.slice(0, 2)] : undefined);
      if (pg) return { reason: pg, retryAfter: 2, detail };
      if (NET.has(code)) return { reason: "PostgreSQL cannot be reached", retryAfter: 2, detail };
    }
    if (typeof message === "string" && PG_MESSAGES.some((m) => m.test(message)))
      return { reason: "the connection to PostgreSQL was lost", retryAfter: 2, detail };
    queue.push(cause);
    // node's AggregateError (a connect that tried IPv4 and IPv6) keeps the socket errors here.
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return null;
}
