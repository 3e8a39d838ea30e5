/**
 * The sidecar takes events and answers with ledgers, messages and timelines: without a token, anyone
 * who reaches its port can do both. On loopback only this machine can; on any other address the
 * sidecar refuses to start without a token rather than serve a network openly.
 */
import { isIP } from "node:net";

/** Whether `host` only ever reaches this machine: 127.0.0.0/8, ::1 (or its IPv4-mapped form), localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) !== 6) return false;
  // The URL parser writes every IPv6 spelling one way: ::1 for loopback, ::ffff:7fXX:XXXX for 127/8 mapped.
  const canonical = new URL(`http://[${h}]/`).hostname;
  return canonical === "[::1]" || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}

/** Thrown by startSidecar before anything is opened; main.ts prints the message and exits 2. */
export class UnguardedListenError extends Error {
  override name = "UnguardedListenError";
}

export function refuseUnguardedListen(host: string, token: string | undefined): void {
  if (token || isLoopbackHost(host)) return;
  throw new UnguardedListenError(
    `refusing to listen on ${host === "" ? "every address" : `"${host}"`} without a token: anyone who can ` +
      `reach the port could post events and read ledgers, messages and timelines. ` +
      `Set --token (or LIFELOOP_SIDECAR_TOKEN) so clients must send "Authorization: Bearer <token>", or ` +
      `listen on a loopback address (127.0.0.1, ::1, localhost).`,
  );
}
