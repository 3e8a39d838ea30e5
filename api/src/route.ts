/**
 * How a route is declared: zod-openapi's createRoute plus who may call it and how its body is read.
 * The access rule is both enforced (middleware) and written into the OpenAPI document, from one
 * place, so the reference page cannot disagree with the server.
 */
import { createRoute, OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import { requireAccess, type Access } from "./auth.ts";
import { readBody, type BodyOptions } from "./body.ts";
import type { AppEnv } from "./context.ts";
import { ApiError, fromZodIssues } from "./errors.ts";
import { ACCESS_KEY } from "./openapi.ts";

const LOCATION: Record<string, string> = {
  json: "$",
  query: "query",
  param: "path",
  header: "header",
  form: "form",
  cookie: "cookie",
};

/** A router whose request validation failures become the one error shape, with where. */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where = LOCATION[result.target] ?? result.target;
        const issues = fromZodIssues(result.error.issues, where);
        const first = issues[0];
        throw new ApiError(
          400,
          "invalid_request",
          first ? `${first.path}: ${first.message}` : "the request is not valid",
          { issues },
        );
      }
    },
  });
}

export function route<const R extends Omit<RouteConfig, "middleware">>(access: Access, config: R, body?: BodyOptions) {
  return createRoute({
    ...config,
    [ACCESS_KEY]: access,
    middleware: [requireAccess(access), ...(body ? [readBody(body)] : [])],
  } as R & { middleware: ReturnType<typeof requireAccess>[] });
}

/** True when an If-None-Match header names this (unquoted) tag, weakly compared as RFC 9110 says for GET. */
export function noneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((t) => {
    const v = t.trim().replace(/^W\//, "");
    return v === "*" || v === `"${tag}"`;
  });
}

/**
 * A JSON response whose text was assembled from stored JSON (see detailJson): no re-serialising.
 * Typed as a JSON response of the declared status so it satisfies the route's response types.
 */
export function jsonText<S extends 200 | 201>(
  text: string,
  status: S,
  headers: Record<string, string> = {},
): Response & TypedResponse<never, S, "json"> {
  return new Response(text, { status, headers: { "content-type": "application/json", ...headers } }) as Response &
    TypedResponse<never, S, "json">;
}

/** The JSON content entry of a route declaration. */
export const json = <S>(schema: S) => ({ content: { "application/json": { schema } } });
