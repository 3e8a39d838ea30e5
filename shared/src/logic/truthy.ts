/**
 * JSON-logic truthiness (https://jsonlogic.com/truthy): JavaScript's, except that an empty array is
 * falsy, so rules mean the same thing in every JSON-logic implementation.
 */
export function truthy(value: unknown): boolean {
  if (typeof value === "object" && value !== null && Array.isArray(value)) return value.length !== 0;
  return !!value;
}
