/** Reading the evaluation env, with one clear error when the engine did not provide what an operator needs. */
import { isValidTimeZone } from "../../time.ts";
import { LogicError } from "../errors.ts";
import type { Ctx } from "../types.ts";

const WHAT: Record<string, string> = {
  now: "env.now (epoch milliseconds)",
  timeZone: 'env.timeZone (an IANA zone such as "Asia/Shanghai")',
  aggregate: "env.aggregate (the engine's windowed aggregates)",
};

export function missingEnv(op: string, field: "now" | "timeZone" | "aggregate", path: string, detail = ""): LogicError {
  return new LogicError(
    "missing_env",
    `"${op}" needs ${WHAT[field]}, which this evaluation was not given${detail}; evaluate with the env the ` +
      `engine provides`,
    path,
  );
}

export function envNow(c: Ctx, op: string, path: string): number {
  const now = c.env?.now;
  if (typeof now !== "number" || !Number.isFinite(now)) throw missingEnv(op, "now", path);
  return now;
}

export function envTimeZone(c: Ctx, op: string, path: string): string {
  const tz = c.env?.timeZone;
  if (typeof tz !== "string") throw missingEnv(op, "timeZone", path);
  if (!isValidTimeZone(tz)) throw missingEnv(op, "timeZone", path, ` (got unknown zone "${tz}")`);
  return tz;
}
