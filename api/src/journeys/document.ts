/**
 * A journey document from outside, checked by the same compiler the editor and the engine's CLI use.
 * A draft may have errors (it is saved, with its issues); it may not be malformed at the outer
 * level (no id, no nodes array…), because then there is nothing coherent to store.
 */
import { compileJourney, type CompileResult, type DraftJourney, type WordingPolicy } from "@lifeloop/shared";
import { ApiError, fromCompilerIssues } from "../errors.ts";

export interface CheckedDocument extends CompileResult {
  document: DraftJourney;
  /** The document as stored and served: JSON text of the parsed document, defaults filled. */
  text: string;
}

/** `wording`: the workspace's policy, so a saved draft's issues are those publishing will find. */
export function checkDocument(
  value: unknown,
  where = "the journey document",
  wording?: WordingPolicy,
): CheckedDocument {
  const result = compileJourney(value, wording ? { wording } : {});
  if (result.document === null) {
    const issues = fromCompilerIssues(result.issues);
    throw new ApiError(
      400,
      "invalid_document",
      `${where} is not a journey document: ${issues[0]?.path ?? "$"}: ${issues[0]?.message ?? "malformed"}`,
      { issues },
    );
  }
  return { ...result, document: result.document, text: JSON.stringify(result.document) };
}
