/**
 * Event streams from outside (simulation uploads, profile ingest): JSONL, a JSON array, or a
 * multipart file holding either. Validated whole against shared's EventEnvelope before anything
 * uses them; every bad line is reported with its position, so one upload shows every mistake.
 * Repeated ids are allowed: ids make ingest idempotent, and a stream may show that on purpose.
 */
import { EventEnvelope, schemaProblems, toJsonPath } from "@lifeloop/shared";
import { fileText, parseJsonText } from "./body.ts";
import type { ParsedBody } from "./context.ts";
import { ApiError, type ErrorIssue } from "./errors.ts";

const MAX_REPORTED = 50;

export async function eventsFromBody(body: ParsedBody, maxBytes: number, maxEvents: number): Promise<EventEnvelope[]> {
  let values: unknown[];
  if (body.kind === "ndjson") values = parseLines(body.text, maxBytes);
  else if (body.kind === "multipart") {
    const text = await fileText(body.form, "file", maxBytes);
    values = text.trimStart().startsWith("[")
      ? asArray(parseJsonText(text, maxBytes, 'uploaded file "file"'))
      : parseLines(text, maxBytes);
  } else if (body.kind === "json") values = asArray(body.value);
  else
    throw new ApiError(
      400,
      "body_required",
      'send events as JSONL (application/x-ndjson), a JSON array, or a multipart file field "file"',
    );
  return checkEvents(values, maxEvents);
}

export function parseLines(text: string, maxBytes: number): unknown[] {
  const out: unknown[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    out.push(parseJsonText(line, maxBytes, `line ${i + 1}`));
  });
  return out;
}

function asArray(v: unknown): unknown[] {
  if (!Array.isArray(v))
    throw new ApiError(400, "invalid_events", "a JSON body of events must be an array of events", {
      issues: [{ path: "$", message: "not an array" }],
    });
  return v;
}

export function checkEvents(values: unknown[], maxEvents: number): EventEnvelope[] {
  if (values.length > maxEvents) {
    throw new ApiError(413, "too_many_events", `${values.length} events in one stream; the limit is ${maxEvents}`);
  }
  const events: EventEnvelope[] = [];
  const issues: ErrorIssue[] = [];
  values.forEach((v, i) => {
    const r = EventEnvelope.safeParse(v);
    if (!r.success) {
      // One issue per unknown key, at the key's own path, with the field it is probably meant to be.
      for (const p of schemaProblems(r.error.issues))
        issues.push({
          path: toJsonPath(p.path, `$[${i}]`),
          message: `event ${i + 1}: ${p.message}`,
          code: "invalid_event",
        });
      return;
    }
    events.push(r.data);
  });
  if (issues.length > 0) {
    throw new ApiError(
      400,
      "invalid_events",
      `${issues.length} problem${issues.length === 1 ? "" : "s"} in the event stream; nothing was used`,
      { issues: issues.slice(0, MAX_REPORTED) },
    );
  }
  return events;
}
