/** Writes samples/events/stages-month.jsonl from the deterministic generator (engine/src/testing/stages-month.ts). */
import { writeFileSync } from "node:fs";
import { toJsonl } from "../src/testing/month.ts";
import { stagesMonth } from "../src/testing/stages-month.ts";

const file = new URL("../../samples/events/stages-month.jsonl", import.meta.url);
const text = toJsonl(stagesMonth());
writeFileSync(file, text);
console.log(`wrote ${file.pathname}: ${text.split("\n").length - 1} events, ${Buffer.byteLength(text)} bytes`);
