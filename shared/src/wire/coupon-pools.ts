/**
 * Coupon pools: codes imported as a file, each handed out once by a reward whose coupon names the
 * pool. The API takes the file (CSV with a `code` column, one code per line, or a JSON array of
 * strings), reads it with `parseCouponFile` and forwards the codes to the engine, which keeps them.
 */
import { z } from "zod";
import { InputError, parseUntrustedJson } from "../json.ts";
import { Slug } from "../schema/common.ts";

/** The most codes one import carries; a pool grows by imports. */
export const MAX_POOL_IMPORT = 100_000;
/** The most bytes a pool file may have (100,000 codes of up to 64 characters, with separators). */
export const MAX_POOL_FILE_BYTES = 7 * 1024 * 1024;

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.:#-]{0,63}$/;
/** A coupon code: 1-64 letters, digits and `_ . : # -`, starting with a letter or a digit. */
export const CouponCode = z
  .string()
  .regex(CODE, "1-64 letters, digits or '_ . : # -', starting with a letter or digit");

export const PoolName = Slug.meta({ description: "The pool's name, as a reward's coupon `pool` names it." });

/** POST /v1/coupon-pools/{pool}/codes on the engine: the codes, in the order they are handed out. */
export const CouponPoolCodes = z
  .strictObject({ codes: z.array(CouponCode).min(1).max(MAX_POOL_IMPORT) })
  .meta({ description: "Codes to append to a pool, in the order grants take them." });
export type CouponPoolCodes = z.infer<typeof CouponPoolCodes>;

const Count = z.number().int().min(0);

/** A pool as the engine counts it. */
export const CouponPool = z.object({
  pool: z.string(),
  codes: Count.meta({ description: "Codes imported." }),
  handed: Count.meta({ description: "Codes handed out by grants." }),
  remaining: Count.meta({ description: "Codes still free: what the next grants take." }),
});
export type CouponPool = z.infer<typeof CouponPool>;

/** 200: what an import did. */
export const CouponPoolImported = CouponPool.extend({
  added: Count.meta({ description: "Codes new to the pool." }),
  duplicates: Count.meta({ description: "Codes the pool already had, or the file had twice: skipped." }),
});
export type CouponPoolImported = z.infer<typeof CouponPoolImported>;

export const CouponPoolList = z.object({ pools: z.array(CouponPool) });
export type CouponPoolList = z.infer<typeof CouponPoolList>;

/** A problem with a pool file, by where it is: `$[3]` (JSON), `line 4` (CSV or lines). */
export interface CouponFileIssue {
  path: string;
  message: string;
}

/**
 * The codes of a pool file, in file order: a JSON array of strings; a CSV whose header has a `code`
 * column (other columns ignored, fields may be quoted); or one code per line. Blank lines are
 * skipped; anything else that is not a code is an issue, at most 20 of them reported.
 */
export function parseCouponFile(text: string): CouponFileRead {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trimStart().startsWith("[")) {
    let json: unknown;
    try {
      json = parseUntrustedJson(body, { maxBytes: MAX_POOL_FILE_BYTES, maxDepth: 2 });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return { issues: [{ path: e.path, message: `not JSON: ${e.message}` }] };
    }
    return couponCodesOf(json);
  }
  const { codes, issues, add } = collector();
  {
    const lines = body.split(/\r?\n/);
    const header = splitCsv(lines[0] ?? "").map((h) => h.trim().toLowerCase());
    const column = header.length > 1 || header[0] === "code" ? header.indexOf("code") : -1;
    if (header.length > 1 && column < 0)
      return { issues: [{ path: "line 1", message: 'a CSV pool file needs a "code" column' }] };
    lines.forEach((line, i) => {
      if ((column >= 0 && i === 0) || line.trim() === "") return;
      add(column >= 0 ? (splitCsv(line)[column] ?? "").trim() : line.trim(), `line ${i + 1}`);
    });
  }
  return finish(codes, issues);
}

type CouponFileRead = { codes: string[] } | { issues: CouponFileIssue[] };

/** The codes of a parsed JSON pool file: an array of strings (`$[i]` names what is not a code). */
export function couponCodesOf(json: unknown): CouponFileRead {
  if (!Array.isArray(json)) return { issues: [{ path: "$", message: "a JSON pool file is an array of codes" }] };
  const { codes, issues, add } = collector();
  json.forEach((v, i) => add(v, `$[${i}]`));
  return finish(codes, issues);
}

function collector() {
  const issues: CouponFileIssue[] = [];
  const codes: string[] = [];
  const add = (value: unknown, path: string) => {
    if (issues.length >= 20) return;
    const parsed = CouponCode.safeParse(value);
    if (parsed.success) codes.push(parsed.data);
    else issues.push({ path, message: `not a coupon code: ${parsed.error.issues[0]!.message}` });
  };
  return { codes, issues, add };
}

function finish(codes: string[], issues: CouponFileIssue[]): CouponFileRead {
  if (issues.length > 0) return { issues };
  if (codes.length === 0) return { issues: [{ path: "$", message: "the file has no codes" }] };
  if (codes.length > MAX_POOL_IMPORT)
    return {
      issues: [{ path: "$", message: `at most ${MAX_POOL_IMPORT} codes per import, the file has ${codes.length}` }],
    };
  return { codes };
}

/** One CSV line's fields; a quoted field may hold commas and doubled quotes. */
function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}
