/** Writes samples/events/holdout-month.jsonl from the deterministic generator (engine/src/testing/holdout-month.ts). */
import { writeFileSync } from "node:fs";
import { holdoutMonth } from "../src/testing/holdout-month.ts";
import { toJsonl } from "../src/testing/month.ts";

const file = new URL("../../samples/events/holdout-month.jsonl", import.meta.url);
const text = toJsonl(holdoutMonth());
writeFileSync(file, text);
console.log(`wrote ${file.pathname}: ${text.split("\n").length - 1} events, ${Buffer.byteLength(text)} bytes`);
