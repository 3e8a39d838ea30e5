/**
 * Writes client/src/generated/{api,engine}.ts from the live OpenAPI documents (see documents.ts).
 * Run after changing a route or a wire schema: `pnpm --filter @lifeloop/client generate`.
 * client/scripts/generated.test.ts fails while the checked-in files differ from what this writes.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GENERATED, generatedTypes } from "./documents.ts";

const types = await generatedTypes();
for (const [name, url] of Object.entries(GENERATED) as Array<[keyof typeof GENERATED, URL]>) {
  writeFileSync(url, types[name]);
  process.stdout.write(`wrote ${fileURLToPath(url)} (${types[name].length} characters)\n`);
}
