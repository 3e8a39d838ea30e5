import type { OutboxRecord } from "../store/port.ts";

/** How a delivery went: delivered, worth retrying, or never going to work (dead-lettered at once). */
export type Delivery = { ok: true } | { ok: false; retry: boolean; error: string };

/** A way out of the outbox: to the host platform over HTTP, or into the queryable delivery log. */
export interface Channel {
  name: string;
  /** Who is on the other end (a host:port, or "log"): one circuit and one metric label per receiver. Never a secret. */
  receiver: string;
  deliver(row: OutboxRecord): Promise<Delivery>;
}
