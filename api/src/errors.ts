/**
 * The one error shape every response uses: `{ error: { code, message, issues?, ... } }`. Handlers
 * throw ApiError; the app's error handler turns it, framework errors and anything unexpected into
 * that shape. Clients never see a stack trace: unexpected errors are logged here and answered with
 * a generic message.
 */
import type { z } from "zod";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  ErrorBody,
  ErrorIssue,
  InputError,
  schemaProblems,
  toJsonPath,
  type Issue,
  type JsonValue,
} from "@lifeloop/shared";
import { databaseUnavailable } from "./db/unavailable.ts";

// The shapes themselves are wire types, shared with the engine and the editor.
export { ErrorBody, ErrorIssue };

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: {
      issues?: ErrorIssue[];
      current?: JsonValue;
      failure?: ErrorBody["error"]["failure"];
      headers?: Record<string, string>;
      /** Members beside `error` in the body (a refused redemption's `balance` and `points`). */
      fields?: Record<string, JsonValue>;
    } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, "not_found", `${what} was not found`);

export function badRequest(code: string, message: string, issues?: ErrorIssue[]): ApiError {
  return new ApiError(400, code, message, issues ? { issues } : {});
}

/** The compiler's issues as the error shape lists them. */
export function fromCompilerIssues(issues: readonly Issue[], prefix?: (path: string) => string): ErrorIssue[] {
  return issues.map((i) => ({
    path: prefix ? prefix(i.path) : i.path,
    ...(i.nodeId !== undefined ? { nodeId: i.nodeId } : {}),
    ...(i.field !== undefined ? { field: i.field } : {}),
    message: i.message,
    code: i.code,
    severity: i.severity,
  }));
}

/** Untrusted JSON refused by shared's parser: too large is 413, the rest 400, each saying where. */
export function fromInputError(e: InputError, where = "request body"): ApiError {
  if (e.code === "too_large") return new ApiError(413, "payload_too_large", `${where}: ${e.message}`);
  const code = e.code === "not_json" ? "invalid_json" : e.code;
  return new ApiError(400, code, `${where}: ${e.message}`, {
    issues: [{ path: e.path, message: e.message, code: e.code }],
  });
}

function errorJson(
  c: Context,
  status: ContentfulStatusCode,
  body: ErrorBody,
  headers: Record<string, string> = {},
): Response {
  return c.json(body, status, headers);
}

const FRAMEWORK_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/**
 * 503 with Retry-After: the database cannot answer now (restarting, down, locked, full). The request may be retried as
 * it is.
 */
function unavailable(reason: string, retryAfter: number): ApiError {
  return new ApiError(503, "unavailable", `the database is unavailable: ${reason}; try again in ${retryAfter} s`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}

export type Logger = (message: string, error?: unknown) => void;

/** app.onError: every thrown thing becomes the one shape. */
export function handleError(log: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ApiError) {
      const { issues, current, failure, headers, fields } = err.extra;
      return errorJson(
        c,
        err.status,
        {
          error: {
            code: err.code,
            message: err.message,
            ...(issues ? { issues } : {}),
            ...(current !== undefined ? { current } : {}),
            ...(failure ? { failure } : {}),
          },
          ...fields,
        },
        headers,
      );
    }
    if (err instanceof InputError) return handleError(log)(fromInputError(err), c);
    const down = databaseUnavailable(err);
    if (down) {
      // One line, no stack: during an outage every request lands here.
      log(`${c.req.method} ${c.req.path}: 503, ${down.reason} (${down.detail})`);
      return handleError(log)(unavailable(down.reason, down.retryAfter), c);
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Raised by Hono and zod-openapi themselves: a 415 from the media-type gate, a 400 for malformed JSON.
      const status = err.status as ContentfulStatusCode;
      return errorJson(c, status, {
        error: { code: FRAMEWORK_CODES[status] ?? "bad_request", message: err.message || "bad request" },
      });
    }
    log(`${c.req.method} ${c.req.path} failed`, err);
    return errorJson(c, 500, {
      error: { code: "internal", message: "the server could not complete this request; it has been logged" },
    });
  };
}

export function notFoundHandler(c: Context): Response {
  return errorJson(c, 404, { error: { code: "not_found", message: `no route ${c.req.method} ${c.req.path}` } });
}

export function methodNotAllowedResponse(c: Context, methods: string[]): Response {
  return errorJson(
    c,
    405,
    {
      error: {
        code: "method_not_allowed",
        message: `${c.req.method} is not allowed on ${c.req.path}; allowed: ${methods.join(", ")}`,
      },
    },
    { Allow: methods.join(", ") },
  );
}

/** zod issues (from request validation) in the error shape, under a location prefix; an unknown key at its own path. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], base: string): ErrorIssue[] {
  return schemaProblems(issues).map((p) => ({ path: toJsonPath(p.path, base), message: p.message, code: p.code }));
}
