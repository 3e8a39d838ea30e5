/**
 * The contract as an integrator meets it, checked with tools nobody here wrote:
 * - the checked-in generated types are what openapi-typescript makes of the live documents now;
 * - those types, and a small client over them with openapi-fetch, pass `tsc` under `strict`
 *   without `skipLibCheck` (a recursive schema once made them fail with TS2502, or turn into any);
 * - Redocly's recommended rules and @seriousme/openapi-schema-validator (OpenAPI 3.1's own JSON
 *   Schema) find nothing wrong with either document.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineDocument, fetchDocument, GENERATED, typesOf, withApi, type Json } from "./documents.ts";

const require = createRequire(import.meta.url);
let documents: { api: Json; engine: Json };
let types: { api: string; engine: string };

beforeAll(async () => {
  const api = await withApi((url) => fetchDocument(`${url}/openapi.json`));
  documents = { api, engine: engineDocument() };
  types = {
    api: await typesOf(api, "the API's /openapi.json"),
    engine: await typesOf(documents.engine, "the engine sidecar's /openapi.json"),
  };
}, 120_000);

describe("the generated client types", () => {
  it.each(["api", "engine"] as const)(
    "%s: the checked-in file is what the live document gives (else: pnpm --filter @lifeloop/client generate)",
    (name) => {
      expect(readFileSync(GENERATED[name], "utf8")).toBe(types[name]);
    },
  );

  describe("compile under strict, without skipLibCheck, with a client over them", () => {
    const dir = mkdtempSync(join(tmpdir(), "lifeloop-client-tsc-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("has no diagnostic", () => {
      writeFileSync(join(dir, "api.d.ts"), types.api);
      writeFileSync(join(dir, "engine.d.ts"), types.engine);
      copyFileSync(fileURLToPath(new URL("./fixture/client.ts", import.meta.url)), join(dir, "client.ts"));
      const fetchPackage = dirname(require.resolve("openapi-fetch/package.json"));
      const tsconfig = {
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          target: "ES2022",
          module: "ESNext",
          moduleResolution: "Bundler",
          lib: ["ES2022", "DOM"],
          types: [],
          // The temp folder has no node_modules: openapi-fetch is this package's.
          paths: { "openapi-fetch": [join(fetchPackage, "dist/index.d.mts")] },
        },
        files: ["client.ts", "api.d.ts", "engine.d.ts"],
      };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
      const tsc = require.resolve("typescript/bin/tsc");
      const run = spawnSync(process.execPath, [tsc, "-p", dir, "--pretty", "false"], {
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(run.error).toBeUndefined();
      expect(`${run.stdout}${run.stderr}`).toBe("");
      expect(run.status).toBe(0);
    }, 120_000);

    it("types free JSON as one recursive JsonValue, and effects as a union discriminated by kind", () => {
      expect(types.api).toMatch(
        new RegExp(
          String.raw`JsonValue: string \| number \| boolean \| null \| unknown\[\] \| ` +
            String.raw`\{\s*\[key: string\]: components\["schemas"\]\["JsonValue"\];`,
        ),
      );
      expect(types.api).not.toMatch(/Shared\d/);
      const schemas = (documents.api.components as { schemas: Record<string, Json> }).schemas;
      expect(schemas.EffectRecord!.discriminator).toMatchObject({
        propertyName: "kind",
        mapping: { enter: "#/components/schemas/EnterEffect", reward: "#/components/schemas/RewardEffect" },
      });
      expect(schemas.TraceRecord!.properties).toMatchObject({ kind: { const: "trace" } });
      expect(types.api).toMatch(/effects: components\["schemas"\]\["EffectRecord"\]\[\];/);
      expect(types.api).toMatch(/summary: components\["schemas"\]\["SimulationSummary"\]\[\];/);
    });
  });
});

describe("the OpenAPI documents, linted", () => {
  it.each(["api", "engine"] as const)("%s: Redocly's recommended rules find nothing", async (name) => {
    // info-license off: the project declares no license yet, and the document says none rather than invent one.
    const config = await createConfig({ extends: ["recommended"], rules: { "info-license": "off" } });
    const problems = await lintFromString({
      source: JSON.stringify(documents[name]),
      absoluteRef: join(tmpdir(), `${name}.openapi.json`),
      config,
    });
    // The engine's probes (/healthz, /readyz) take no input and need no token: no 4XX can come from
    // them, and listing one would be a promise the route never keeps. Only those two are let off.
    const probe = (pointer: string) =>
      name === "engine" && /^#\/paths\/~1(healthz|readyz)\/get\/responses$/.test(pointer);
    expect(
      problems
        .filter((p) => !(p.ruleId === "operation-4xx-response" && probe(p.location[0]?.pointer ?? "")))
        .map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ""}: ${p.message}`),
    ).toEqual([]);
  });

  it.each(["api", "engine"] as const)(
    "%s: valid against the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator)",
    async (name) => {
      const result = await new Validator().validate(documents[name]);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
    },
  );
});
