/** Writes samples/events/ab-onboarding-month.jsonl from the deterministic generator (engine/src/testing/month.ts). */
import { writeFileSync } from "node:fs";
import { abOnboardingMonth, toJsonl } from "../src/testing/month.ts";

const file = new URL("../../samples/events/ab-onboarding-month.jsonl", import.meta.url);
const text = toJsonl(abOnboardingMonth());
writeFileSync(file, text);
console.log(`wrote ${file.pathname}: ${text.split("\n").length - 1} events, ${Buffer.byteLength(text)} bytes`);
