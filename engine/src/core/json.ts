/** Plain JSON, as stored and as rules see it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
