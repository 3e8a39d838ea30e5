import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * How the test receiver behaves: takes deliveries (200), refuses connections (its port closed),
 * answers 503, or hangs (reads the request and never answers).
 */
export type ReceiverMode = "ok" | "closed" | "503" | "hang";

/**
 * A host platform's webhook endpoint on 127.0.0.1 (node:http, a real port), switchable between
 * outage modes. It counts every request it reads and, per Idempotency-Key, the deliveries it
 * acknowledged with a 2xx — what "exactly once per key" is checked against.
 */
export class Receiver {
  /** Every request read, with when it arrived (performance.now(): the monotonic clock, for gaps only). */
  readonly requests: Array<{ key: string; mode: ReceiverMode; arrivedMs: number }> = [];
  /** Idempotency key → how many times it was acknowledged (2xx sent). */
  readonly acknowledged = new Map<string, number>();
  /** Bodies whose `key` was not their Idempotency-Key header (should stay empty). */
  readonly mismatched: string[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server: Server;
  private current: ReceiverMode = "ok";

  private constructor(
    readonly port: number,
    server: Server,
  ) {
    this.server = server;
  }

  static async start(): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const receiver = new Receiver((server.address() as { port: number }).port, server);
    receiver.attach(server);
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/lifeloop`;
  }

  get mode(): ReceiverMode {
    return this.current;
  }

  /** Requests that reached the receiver (a closed port gets none: the connection is refused). */
  get attempts(): number {
    return this.requests.length;
  }

  /**
   * Keys sent again sooner than `minGapMs` after their previous request: a second delivery while the
   * first was still in flight. Retries after a timeout are at-least-once and allowed; these are not.
   */
  overlapping(minGapMs: number): string[] {
    const last = new Map<string, number>();
    const out: string[] = [];
    for (const r of this.requests) {
      const before = last.get(r.key);
      if (before !== undefined && r.arrivedMs - before < minGapMs) out.push(r.key);
      last.set(r.key, r.arrivedMs);
    }
    return out;
  }

  /** Switches behaviour; "closed" closes the port (connections refused), leaving it reopens the same port. */
  async set(mode: ReceiverMode): Promise<void> {
    if (mode === this.current) return;
    const was = this.current;
    this.current = mode;
    if (was === "hang") this.releaseHanging();
    if (mode === "closed") {
      this.releaseHanging();
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    } else if (was === "closed") {
      const server = createServer();
      this.attach(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(this.port, "127.0.0.1", () => resolve());
      });
      this.server = server;
    }
  }

  async close(): Promise<void> {
    this.releaseHanging();
    if (this.current === "closed") return;
    this.current = "closed";
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private attach(server: Server): void {
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const key = String(req.headers["idempotency-key"] ?? "");
        const mode = this.current;
        this.requests.push({ key, mode, arrivedMs: performance.now() });
        if (mode === "hang") {
          this.hanging.add(res);
          res.on("close", () => this.hanging.delete(res));
          return;
        }
        if (mode === "503") {
          res.statusCode = 503;
          res.end();
          return;
        }
        // Acknowledged only once the answer is on its way: the engine cannot see a 2xx that was never sent.
        const bodyKey = (JSON.parse(body) as { key?: unknown }).key;
        if (bodyKey !== key) this.mismatched.push(`${String(bodyKey)} ≠ ${key}`);
        res.statusCode = 200;
        res.end(() => this.acknowledged.set(key, (this.acknowledged.get(key) ?? 0) + 1));
      });
    });
  }

  /** Hung requests are dropped (the socket destroyed), never answered late with a 2xx. */
  private releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }
}
