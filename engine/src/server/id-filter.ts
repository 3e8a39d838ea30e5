/** What idFilter needs of an id schema (shared's JourneyId, NodeId): the engine does not import zod itself. */
interface IdSchema<T> {
  safeParse(raw: string): { success: true; data: T } | { success: false };
}

/**
 * A journey or node id a request filters by (`?journeyId=`, `?nodeId=`, a re-drive's `journeyId`),
 * parsed at this edge: undefined when none is given, null when the text is no such id. Every stored
 * row carries an id the engine parsed, so a null filter matches nothing and the route answers with
 * no rows, as it did when the text went to the query unparsed.
 */
export function idFilter<T>(schema: IdSchema<T>, raw: string | undefined): T | null | undefined {
  if (!raw) return undefined;
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
