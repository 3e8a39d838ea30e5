import type { CoreEvent, Spend, UserState } from "../core/index.ts";

/** A grant as the ledger keeps it. */
export interface GrantRow {
  grantKey: string;
  userId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  type: string;
  amount: number | null;
  code: string | null;
  unit: string;
  budgetId: string | null;
  at: number;
}

export interface OutboxRow {
  key: string;
  kind: "message" | "reward";
  userId: string;
  journeyId: string;
  nodeId: string;
  channel: string;
  payload: string;
  createdAt: number;
}

/**
 * What the durable runtime needs from storage inside one transaction. Every method runs in the
 * caller's transaction: all of a batch commits, or none of it.
 */
export interface StoreTx {
  /** False when the id was seen before (idempotent ingest). */
  insertEvent(e: CoreEvent, receivedAt: number): boolean;
  markEventFailed(id: string, error: string): void;
  loadState(userId: string): UserState | null;
  saveState(state: UserState, now: number): void;
  replaceTimers(userId: string, due: Map<string, number>): void;
  counterUsed(key: string): number;
  /** Applies `used += amount` only if it stays within `limit`; false means nothing changed. */
  applySpend(spend: Spend): boolean;
  /** False when the grant key is already in the ledger. */
  insertGrant(row: GrantRow): boolean;
  insertOutbox(row: OutboxRow): void;
  appendTimeline(userId: string, at: number, record: string): void;
  /** Moves all of a person's timers to `until` (after a failed step). */
  postponeTimers(userId: string, until: number): void;
}

export interface DueUser {
  userId: string;
  dueAt: number;
}

export interface Store {
  transaction<T>(fn: (tx: StoreTx) => T): T;
  /** People with a timer due at or before `now`, earliest first, skipping paused journeys. */
  /** People due now, earliest first (each once), and whether more rows were due than the limit. */
  dueUsers(now: number, paused: readonly string[], limit: number): DueUser[];
  close(): void;
}
