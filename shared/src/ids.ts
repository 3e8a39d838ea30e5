/**
 * Ids people did not choose: a slug from a name, and a free variant of an id that is taken
 * (imports and duplicates re-map "welcome" to "welcome-2" rather than overwrite or fail). Shared so
 * the API and the editor make the same ids.
 */
const MAX = 64;

export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return slug.length > 0 ? slug : fallback;
}

/** `base`, then `base-2`, `base-3`… each cut so it stays a valid id (≤ 64 characters). */
export function* idCandidates(base: string): Generator<string> {
  yield base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    yield `${base.slice(0, MAX - suffix.length)}${suffix}`;
  }
}

/** The first of `idCandidates(base)` that is not taken. */
export function uniqueId(base: string, taken: (id: string) => boolean): string {
  for (const id of idCandidates(base)) if (!taken(id)) return id;
  throw new Error("unreachable: idCandidates never ends");
}

/** The same, when asking whether an id is taken means asking a database. */
export async function uniqueIdAsync(base: string, taken: (id: string) => boolean | Promise<boolean>): Promise<string> {
  for (const id of idCandidates(base)) if (!(await taken(id))) return id;
  throw new Error("unreachable: idCandidates never ends");
}
