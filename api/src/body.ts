/**
 * Reading request bodies, which all come from outside: the media type is checked against what the
 * route accepts (415), the size while reading (413, after reading the rest of an oversized body up to
 * a bound, so clients read the answer instead of a reset; shared's readBoundedBody), and JSON goes through shared's
 * untrusted parser
 * (depth before parsing, no "__proto__" keys) before any other code walks it.
 */
import type { MiddlewareHandler } from "hono";
import { DISCARD_BODY_BYTES, InputError, parseUntrustedJson, readBoundedBody } from "@lifeloop/shared";
import { ApiError, fromInputError } from "./errors.ts";
import type { AppEnv, ParsedBody } from "./context.ts";

type BodyKind = "json" | "multipart" | "ndjson" | "text";

const MEDIA_TYPES: Record<BodyKind, readonly string[]> = {
  json: ["application/json"],
  multipart: ["multipart/form-data"],
  ndjson: ["application/x-ndjson", "application/jsonl", "application/x-jsonlines"],
  text: ["text/csv", "text/plain"],
};

export interface BodyOptions {
  accept: readonly BodyKind[];
  maxBytes: number;
  /** A route whose body is optional reads an empty body as kind "none". */
  required?: boolean;
}

export function readBody(opts: BodyOptions): MiddlewareHandler<AppEnv> {
  const accepted = opts.accept.flatMap((k) => MEDIA_TYPES[k].map((t) => [t, k] as const));
  const list = accepted.map(([t]) => t).join(", ");
  return async (c, next) => {
    const contentType = c.req.header("content-type");
    const essence = contentType?.split(";")[0]?.trim().toLowerCase();
    const kind = essence === undefined ? undefined : accepted.find(([t]) => t === essence)?.[1];
    if (essence !== undefined && kind === undefined) {
      throw new ApiError(415, "unsupported_media_type", `this route accepts ${list}, not ${essence}`, CLOSE);
    }
    const read = await readBoundedBody(c.req.raw, opts.maxBytes, Math.max(DISCARD_BODY_BYTES, opts.maxBytes));
    // Read to its end: the connection can stay. Refused unread (past the discard bound): it closes.
    if (!read.ok) throw tooLarge(read.size, opts.maxBytes, read.drained ? undefined : CLOSE);
    const bytes = read.bytes;
    // The stream is consumed now; anything reading the body later (zod-openapi's media-type gate and
    // validators) goes through Hono's cache, which these entries fill.
    // Hono keeps promises in this cache, though its type says values.
    c.req.bodyCache.arrayBuffer = Promise.resolve(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    ) as unknown as ArrayBuffer;
    if (bytes.byteLength === 0) {
      if (opts.required) throw new ApiError(400, "body_required", `this route needs a request body (${list})`);
      c.set("body", { kind: "none" });
      return next();
    }
    if (kind === undefined)
      throw new ApiError(415, "unsupported_media_type", `send a Content-Type header: this route accepts ${list}`);

    c.set("body", await parse(kind, bytes, contentType!, opts.maxBytes));
    const body = c.get("body");
    // A promise again, as Hono keeps it (its bodyCache type says a value).
    if (body.kind === "json") c.req.bodyCache.text = Promise.resolve(decodeUtf8(bytes)) as unknown as string;
    await next();
  };
}

async function parse(kind: BodyKind, bytes: Uint8Array, contentType: string, maxBytes: number): Promise<ParsedBody> {
  switch (kind) {
    case "json":
      return { kind, value: parseJsonText(decodeUtf8(bytes), maxBytes, "request body"), bytes: bytes.byteLength };
    case "ndjson":
    case "text":
      return { kind, text: decodeUtf8(bytes), bytes: bytes.byteLength };
    case "multipart": {
      let form: FormData;
      try {
        // The bytes are ArrayBuffer-backed; saying so keeps this compiling under the DOM's BodyInit too (web/e2e
        // imports the API).
        form = await new Response(bytes as Uint8Array<ArrayBuffer>, {
          headers: { "content-type": contentType },
        }).formData();
      } catch (e) {
        throw new ApiError(400, "invalid_multipart", `the multipart body could not be read: ${(e as Error).message}`);
      }
      return { kind, form, bytes: bytes.byteLength };
    }
  }
}

/** JSON text from outside, through shared's checks; refusals become the error shape with where. */
export function parseJsonText(text: string, maxBytes: number, where: string): unknown {
  try {
    return parseUntrustedJson(text, { maxBytes });
  } catch (e) {
    if (e instanceof InputError) throw fromInputError(e, where);
    throw e;
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ApiError(400, "invalid_encoding", "the request body is not valid UTF-8");
  }
}

/**
 * Refusals made before the body is read to its end close the connection: the client may still be
 * sending, and a kept-alive socket with half a body in it is useless to both sides.
 */
const CLOSE = { headers: { Connection: "close" } };

function tooLarge(bytes: number, max: number, options?: typeof CLOSE): ApiError {
  return new ApiError(
    413,
    "payload_too_large",
    `the request body is ${bytes} bytes or more; the limit for this route is ${max} bytes`,
    options,
  );
}

/** The JSON a route was sent: the body itself, or the `file` field of a multipart upload. */
export async function jsonFromBody(body: ParsedBody, maxBytes: number, field = "file"): Promise<unknown> {
  if (body.kind === "json") return body.value;
  if (body.kind === "multipart") {
    const text = await fileText(body.form, field, maxBytes);
    return parseJsonText(text, maxBytes, `uploaded file "${field}"`);
  }
  throw new ApiError(
    400,
    "body_required",
    'send the JSON document as the body (application/json) or as a multipart file field "file"',
  );
}

/** Text of a multipart file (or plain field) named `field`, within `maxBytes`. */
export async function fileText(form: FormData, field: string, maxBytes: number): Promise<string> {
  const part = form.get(field);
  if (part === null) {
    throw new ApiError(400, "missing_file", `the multipart body has no field "${field}"`, {
      issues: [{ path: `form.${field}`, message: "missing" }],
    });
  }
  if (typeof part === "string") {
    if (Buffer.byteLength(part, "utf8") > maxBytes) throw tooLarge(Buffer.byteLength(part, "utf8"), maxBytes);
    return part;
  }
  if (part.size > maxBytes) throw tooLarge(part.size, maxBytes);
  return decodeUtf8(new Uint8Array(await part.arrayBuffer()));
}
