/** What the journeys list and its dialogs do with the API's answers: a key it no longer knows signs out. */
import { ApiFailure, setKey } from "../api/client.ts";

/** A key the API no longer knows: forget it and show the sign-in again. */
export function signOut(): void {
  setKey(null);
  window.location.reload();
}

export const isUnauthorized = (e: unknown): boolean => e instanceof ApiFailure && e.status === 401;
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
