/**
 * Ids people did not choose: a slug from a name, and a free variant of an id that is taken
 * (imports and duplicates re-map "welcome" to "welcome-2" rather than overwrite or fail).
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

/** `base` if free, else `base-2`, `base-3`… cut so the result stays a valid id (≤ 64 characters). */
export async function uniqueId(base: string, taken: (id: string) => boolean | Promise<boolean>): Promise<string> {
  if (!(await taken(base))) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${base.slice(0, MAX - suffix.length)}${suffix}`;
    if (!(await taken(id))) return id;
  }
}
