import pg from "pg";
import { unavailableReason } from "../unavailable.ts";

/**
 * The PostgreSQL pool and checkouts that survive the server going away (a restart, a failover, a
 * network cut). node-postgres emits 'error' on a client when the server ends its connection — an
 * idle one in the pool, or one checked out between two queries — and an 'error' event nobody
 * listens to kills the process. So every client has a listener for its whole life (the pool's
 * 'connect' hook: the projector and the migrations check clients out too), each checkout made here
 * notes the break so the client is released with it (the pool then discards it instead of handing
 * a dead connection to the next caller), and an error from a broken connection that node-postgres
 * does not label is labelled, so the sidecar answers 503 with Retry-After rather than 500.
 */

/**
 * How long a caller waits for a connection (a new one, or a free slot in the pool) before the store counts as
 * unavailable.
 */
const CONNECT_TIMEOUT_MS = 2_500;

/**
 * The connection broke under a checkout and what node-postgres threw says nothing about it.
 * SQLSTATE 08006 (connection failure), so `unavailableReason` classifies it as "retry later".
 */
class ConnectionLost extends Error {
  readonly code = "08006";
  constructor(cause: unknown) {
    super(`the connection to PostgreSQL was lost: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "ConnectionLost";
  }
}

export interface PoolOptions {
  url: string;
  max: number;
  connectTimeoutMs?: number;
  /** A connection failed outside any caller's query (idle in the pool, or between queries). Never throws. */
  onConnectionError: (e: Error) => void;
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    // A request gets its 503 within a few seconds while the server is down or not answering,
    // instead of waiting for the operating system's connect timeout (minutes).
    connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    // A connection to a host that vanished without closing it (no FIN, no RST) is found dead by TCP
    // keepalive probes from 10 s of silence on (then the OS's probe interval), not after hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle connection that breaks: the pool has already dropped it; the next checkout reconnects.
  pool.on("error", (e) => options.onConnectionError(e));
  // Every client, whoever checks it out and whether or not they listen: no unhandled 'error'.
  pool.on("connect", (client) => client.on("error", (e) => options.onConnectionError(e)));
  return pool;
}

/** A client checked out with a listener for its whole checkout; `release` returns it, or discards it when it broke. */
export interface Checkout {
  client: pg.PoolClient;
  /** The error the connection broke with during this checkout, if it did. */
  readonly broken: Error | undefined;
  /** Returns the client to the pool; with an error (or when it broke), the pool closes and discards it. Once. */
  release(err?: Error): void;
  /** `e` as the caller should see it: labelled unavailable when the connection broke under it. */
  explain(e: unknown): unknown;
}

export async function checkout(pool: pg.Pool): Promise<Checkout> {
  const client = await pool.connect();
  let broken: Error | undefined;
  let released = false;
  const onError = (e: Error) => {
    broken ??= e;
  };
  client.on("error", onError);
  return {
    client,
    get broken() {
      return broken;
    },
    release(err?: Error) {
      if (released) return;
      released = true;
      client.removeListener("error", onError);
      client.release(broken ?? err);
    },
    explain(e: unknown) {
      if (unavailableReason(e) !== null) return e;
      return broken ? new ConnectionLost(e) : e;
    },
  };
}

/**
 * Runs `fn` on a checked-out client and releases it: discarded when the connection broke or an
 * "unavailable" error came out of it (its state is unknown), returned to the pool otherwise.
 */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await checkout(pool);
  try {
    const result = await fn(c.client);
    c.release();
    return result;
  } catch (e) {
    const explained = c.explain(e);
    c.release(unavailableReason(explained) !== null ? (explained as Error) : undefined);
    throw explained;
  }
}
