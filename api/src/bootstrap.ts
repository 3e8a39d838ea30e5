/**
 * What happens once per start, before serving: the workspace row, the keys from the environment
 * (engine, editor, admin), a key-admin key when none is active, the samples (on a new database).
 */
import { bootstrapKeys } from "./auth.ts";
import type { Deps } from "./context.ts";
import { loadSamples, type SamplesMode } from "./samples.ts";
import { ensureWorkspace } from "./workspace.ts";

export interface StartOptions {
  engineKey?: string | undefined;
  editorKey?: string | undefined;
  adminKey?: string | undefined;
  samples: SamplesMode;
}

export async function initialize(deps: Deps, opts: StartOptions) {
  const { created } = await ensureWorkspace(deps);
  const { adminToken } = await bootstrapKeys(deps, {
    engineKey: opts.engineKey,
    editorKey: opts.editorKey,
    adminKey: opts.adminKey,
  });
  const samples = await loadSamples(deps, opts.samples);
  return { newDatabase: created, adminToken, samples };
}
