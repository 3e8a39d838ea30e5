/**
 * Errors that mean "the database cannot take this right now", not "this request is wrong": a full
 * disk, a lock another process holds, an I/O error, a read-only file, or a PostgreSQL server that is
 * restarting, unreachable or out of resources. Nothing of the transaction was committed; the same
 * request is worth retrying, so clients get 503 with Retry-After instead of 500.
 */
/** What node-postgres says when the connection went away under a query (the server restarted, the network). */
const LOST_CONNECTION = new RegExp(
  [
    "Connection terminated",
    "connection error",
    "not queryable",
    "timeout exceeded when trying to connect",
    "Connection ended",
  ].join("|"),
  "i",
);

export function unavailableReason(e: unknown): string | null {
  if (e === null || typeof e !== "object") return null;
  const code = typeof (e as { code?: unknown }).code === "string" ? (e as { code: string }).code : "";
  const message = e instanceof Error ? e.message : "";
  // better-sqlite3: SQLITE_* result codes (extended ones too, e.g. SQLITE_IOERR_WRITE).
  if (/^SQLITE_(FULL|BUSY|LOCKED|IOERR|READONLY|CANTOPEN|PROTOCOL|NOLFS)/.test(code)) {
    if (code.startsWith("SQLITE_FULL")) return "the disk is full";
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
      return "the database is locked by another process";
    if (code.startsWith("SQLITE_READONLY")) return "the database file is read-only";
    return `the database cannot be written (${code})`;
  }
  // PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources (53100 disk
  // full), 57P01–57P03 shutdown / cannot connect now, 58 system error (I/O).
  if (/^(08|53|58)/.test(code) || /^57P0[1-3]$/.test(code))
    return `the database is unavailable (${code}${message ? `: ${message}` : ""})`;
  // The network under node-postgres, and its own connection errors (no code).
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code))
    return `the database cannot be reached (${code})`;
  if (LOST_CONNECTION.test(message)) return `the database connection was lost (${message})`;
  // ENOSPC / EROFS from the file system itself (a WAL file that cannot grow).
  if (code === "ENOSPC") return "the disk is full";
  if (code === "EROFS" || code === "EACCES") return `the database file cannot be written (${code})`;
  return null;
}

/** Seconds a client should wait before retrying after a 503 from an unavailable store. */
export const RETRY_AFTER_SECONDS = 2;
