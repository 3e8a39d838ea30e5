import { SCHEMA_VERSION } from "./schema/journey.ts";

/**
 * Upgrades a journey file written by an older Lifeloop to the current format, one version at a
 * time. Each step takes a document of version N and returns version N + 1; steps are added here
 * when the format changes, and never edited afterwards.
 */
const STEPS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export type MigrationResult =
  | { ok: true; document: unknown; from: number }
  | { ok: false; path: string; message: string };

export function migrateDocument(input: unknown): MigrationResult {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, path: "$", message: "a journey file holds one JSON object" };
  }
  const doc = input as Record<string, unknown>;
  const version = doc.schemaVersion;
  if (version === undefined) {
    return {
      ok: false,
      path: "$.schemaVersion",
      message: `schemaVersion is missing (this Lifeloop writes ${SCHEMA_VERSION})`,
    };
  }
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    return { ok: false, path: "$.schemaVersion", message: "schemaVersion must be a positive whole number" };
  }
  if (version > SCHEMA_VERSION) {
    return {
      ok: false,
      path: "$.schemaVersion",
      message:
        `schemaVersion ${version} is newer than this Lifeloop understands (${SCHEMA_VERSION}); upgrade ` +
        `Lifeloop to read it`,
    };
  }
  let current = doc;
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = STEPS[v];
    if (!step) return { ok: false, path: "$.schemaVersion", message: `no migration from schemaVersion ${v}` };
    current = { ...step(current), schemaVersion: v + 1 };
  }
  return { ok: true, document: current, from: version };
}
