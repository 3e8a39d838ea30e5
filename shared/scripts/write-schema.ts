// Regenerates shared/journey.schema.json from the zod schemas; a test fails when it is stale.
import { writeFileSync } from "node:fs";
import { journeyJsonSchema } from "../src/schema/json-schema.ts";

const target = new URL("../journey.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(journeyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
