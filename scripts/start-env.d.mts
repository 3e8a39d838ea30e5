// Types for start-env.mjs (plain JavaScript: `npm start` runs it with node, before anything is compiled).
export declare function secretFrom(file: string, prefix: string): string;
export declare const SECRET_FILES: { engineKey: string; editorKey: string; adminKey: string; sidecarToken: string };
export declare function startEnv(
  servers: readonly string[],
  given: Readonly<Record<string, string | undefined>>,
  dataDir?: string,
): { env: Record<string, string | undefined>; apiUrl: string; editorUrl: string };
