/**
 * Reads a request body up to `maxBytes`. A larger body is still read to its end (up to
 * `discardBytes`) and thrown away, so the client gets to read its 413: a server that answers and
 * closes while the client is still sending makes most HTTP clients report "connection reset"
 * instead of the status, and retry the same batch. Past `discardBytes` the work is not worth it:
 * the caller answers 413 with `Connection: close` and the socket goes.
 */
export type BodyRead = { ok: true; text: string } | { ok: false; bytes: number; drained: boolean };

export async function readBoundedBody(req: Request, maxBytes: number, discardBytes: number): Promise<BodyRead> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > discardBytes) return { ok: false, bytes: declared, drained: false };
  if (!req.body) return { ok: true, text: "" };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > discardBytes) {
      await reader.cancel();
      return { ok: false, bytes, drained: false };
    }
    // Past the limit, keep reading (and dropping) so the answer can be read by the client.
    if (bytes <= maxBytes) chunks.push(value);
  }
  if (bytes > maxBytes) return { ok: false, bytes, drained: true };
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}
