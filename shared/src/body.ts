/**
 * Reading a request body from outside within a limit, on web-standard streams only (the API and
 * the engine sidecar both use it; it does no I/O of its own).
 *
 * A body over `maxBytes` is still read to its end, up to `discardBytes`, and dropped, so the client
 * gets to read its 413: a server that answers and closes while the client is still sending makes
 * most HTTP clients (undici, Python's) report "connection reset" instead of the status, and retry
 * the same request. Past `discardBytes` (or a Content-Length that says so) the body is not worth
 * reading: the caller answers 413 with `Connection: close` and the socket goes.
 */
export type BoundedBody = { ok: true; bytes: Uint8Array } | { ok: false; size: number; drained: boolean };

export async function readBoundedBody(req: Request, maxBytes: number, discardBytes: number): Promise<BoundedBody> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > discardBytes) return { ok: false, size: declared, drained: false };
  if (req.body === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > discardBytes) {
      await reader.cancel();
      return { ok: false, size: total, drained: false };
    }
    // Past the limit, keep reading (and dropping) so the answer can be read.
    if (total <= maxBytes) chunks.push(value);
  }
  if (total > maxBytes) return { ok: false, size: total, drained: true };
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const out = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return { ok: true, bytes: out };
}

/** How much of an oversized body a server reads and drops before answering 413 (see readBoundedBody). */
export const DISCARD_BODY_BYTES = 32 * 1024 * 1024;
