import type { IncomingMessage } from "node:http";
import { type BoundedBody, readBoundedBody } from "@lifeloop/shared";

/**
 * A request body, bounded like shared's readBoundedBody, read straight from Node's request when
 * the app is served by @hono/node-server (`c.env.incoming`). Asking Hono for `c.req.raw.body`
 * builds a web Request and a ReadableStream around the socket first: ~8 % of the sidecar's CPU
 * per single-event POST. Without a Node request (app.request() in tests) it reads the web body.
 */
export async function readRequestBody(
  raw: Request,
  env: unknown,
  maxBytes: number,
  discardBytes: number,
): Promise<BoundedBody> {
  const incoming = incomingOf(env);
  if (!incoming) return readBoundedBody(raw, maxBytes, discardBytes);
  const declared = Number(incoming.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > discardBytes) return { ok: false, size: declared, drained: false };
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (result: BoundedBody) => {
      incoming.off("data", onData).off("end", onEnd).off("error", onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > discardBytes) {
        // Stop reading; the 413 goes out with "connection: close" and the socket closes after it.
        incoming.pause();
        done({ ok: false, size: total, drained: false });
        return;
      }
      // Past the limit, keep reading (and dropping) so the answer can be read.
      if (total <= maxBytes) chunks.push(chunk);
    };
    const onEnd = () => {
      if (total > maxBytes) done({ ok: false, size: total, drained: true });
      else done({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) });
    };
    const onError = (e: Error) => {
      incoming.off("data", onData).off("end", onEnd).off("error", onError);
      reject(e);
    };
    incoming.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

function incomingOf(env: unknown): IncomingMessage | null {
  if (typeof env !== "object" || env === null || !("incoming" in env)) return null;
  const incoming = (env as { incoming: unknown }).incoming;
  return typeof incoming === "object" && incoming !== null && "headers" in incoming && "on" in incoming
    ? // Checked above: the object @hono/node-server passes as `incoming` is Node's IncomingMessage.
      (incoming as IncomingMessage)
    : null;
}
