/**
 * API keys: `Authorization: Bearer <key>`. A key is 32 random bytes shown once; only its sha-256 is
 * stored, so a copy of the database does not hand out access. Roles: viewer < editor < publisher
 * (each can do what the one before can); approver, which reads as a viewer does and decides publish
 * requests; engine, which can only read the feed; key-admin, which manages keys and the workspace's
 * compliance policy.
 *
 * key-admin ranks beside the others, not above them. The editor's key lives in a browser, where any
 * script on the page can use it; if it could mint keys, one injected script would own the workspace
 * for good. So managing keys is a separate role that no browser key holds, and it does no journey work
 * (least privilege: a leaked admin key can mint a publisher key, which the audit log records, but it
 * publishes nothing by itself).
 *
 * approver is the second pair of eyes of four-eyes publishing: it ranks as a viewer (it must read the
 * version it approves) and can approve or reject a publish request, but cannot edit or publish, so
 * an approver key cannot both write a version and let it through. The policy that says approval is
 * required, and the wording lint's phrases, are key-admin's: a publisher who could switch approval
 * off or delete a forbidden phrase would need no second person. key-admin can mint any key anyway,
 * so holding the policy gives it no power it lacked.
 */
import { createHash } from "node:crypto";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Store } from "./db/open.ts";
import { ApiError } from "./errors.ts";
import { iso, type Actor, type AppEnv, type Deps, type Role } from "./context.ts";

/**
 * Who may call a route: a minimum rank, the engine feed (engine or publisher), key management and
 * the workspace policy (key-admin), deciding publish requests (approver), or anyone.
 */
export type Access = "viewer" | "editor" | "publisher" | "feed" | "keys" | "approve" | "public";

/** Journey work by rank; engine and key-admin have none; approver reads as a viewer does. */
const RANK: Record<Role, number> = { viewer: 1, editor: 2, publisher: 3, approver: 1, engine: 0, "key-admin": 0 };

export function allows(access: Access, role: Role): boolean {
  if (access === "public") return true;
  if (access === "feed") return role === "engine" || role === "publisher";
  if (access === "keys") return role === "key-admin";
  if (access === "approve") return role === "approver";
  return RANK[role] >= RANK[access];
}

const hashKey = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

export interface KeyRecord {
  id: string;
  name: string;
  role: Role;
  source: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

/** Creates a key and returns its token: the only time the token exists outside the caller. */
export async function createKey(
  deps: { db: Store } & Pick<Deps, "clock" | "random">,
  input: { name: string; role: Role; source: string; createdBy: string; token?: string },
): Promise<{ token: string; key: KeyRecord }> {
  const token = input.token ?? `ll_${deps.random(32).toString("base64url")}`;
  const row = {
    id: `key_${deps.random(6).toString("hex")}`,
    name: input.name,
    role: input.role,
    hash: hashKey(token),
    source: input.source,
    createdAt: iso(deps.clock()),
    createdBy: input.createdBy,
    revokedAt: null,
  };
  await deps.db.q.insert(deps.db.t.apiKeys).values(row);
  const { hash: _hash, ...key } = row;
  return { token, key };
}

export async function listKeys(db: Store): Promise<KeyRecord[]> {
  const { apiKeys } = db.t;
  return db.q
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      role: apiKeys.role,
      source: apiKeys.source,
      createdAt: apiKeys.createdAt,
      createdBy: apiKeys.createdBy,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(apiKeys.createdAt, apiKeys.id);
}

/**
 * A key given in the environment at start: its variable, the name it is stored under, its role. The
 * editor's key goes to a browser, so it is a publisher key and never a key-admin one.
 */
const ENV_KEYS = {
  engine: { variable: "LIFELOOP_ENGINE_KEY", name: "engine (LIFELOOP_ENGINE_KEY)", role: "engine", source: "env" },
  editor: {
    variable: "LIFELOOP_EDITOR_KEY",
    name: "editor (LIFELOOP_EDITOR_KEY)",
    role: "publisher",
    source: "env-editor",
  },
  admin: { variable: "LIFELOOP_ADMIN_KEY", name: "admin (LIFELOOP_ADMIN_KEY)", role: "key-admin", source: "env-admin" },
} as const satisfies Record<string, { variable: string; name: string; role: Role; source: string }>;

export interface EnvKeys {
  /** LIFELOOP_ENGINE_KEY: the engine sidecar's key (engine role: the feed only). */
  engineKey?: string | undefined;
  /** LIFELOOP_EDITOR_KEY: the key `npm start` hands the editor in its URL (publisher role). */
  editorKey?: string | undefined;
  /** LIFELOOP_ADMIN_KEY: the operator's key-management key `npm start` keeps in data/.admin-key (key-admin role). */
  adminKey?: string | undefined;
}

/**
 * At start: registers LIFELOOP_ENGINE_KEY as an engine key, LIFELOOP_EDITOR_KEY as a publisher key
 * and LIFELOOP_ADMIN_KEY as a key-admin key, each revoking an earlier key from the same variable that
 * differs, so rotating a variable and restarting retires the old key. Then, when no key-admin key is
 * active (a first start, or a database from before the role existed), creates one for the person
 * running the server and returns its token to print once.
 */
export async function bootstrapKeys(
  deps: Pick<Deps, "db" | "clock" | "random">,
  envKeys: EnvKeys = {},
): Promise<{ adminToken: string | null }> {
  const { apiKeys } = deps.db.t;
  const given = {
    engine: envKeys.engineKey || undefined,
    editor: envKeys.editorKey || undefined,
    admin: envKeys.adminKey || undefined,
  };
  const names = Object.entries(given).filter(([, v]) => v !== undefined);
  for (const [i, [a, token]] of names.entries()) {
    const twin = names.slice(i + 1).find(([, other]) => other === token);
    if (twin)
      throw new Error(
        `${ENV_KEYS[a as keyof typeof ENV_KEYS].variable} ` +
          `and ${ENV_KEYS[twin[0] as keyof typeof ENV_KEYS].variable} must differ: one key cannot have two ` +
          `roles`,
      );
  }
  return deps.db.transaction(async (tx) => {
    const d = { ...deps, db: tx };
    for (const which of ["engine", "editor", "admin"] as const) {
      const token = given[which];
      if (token === undefined) continue;
      const spec = ENV_KEYS[which];
      const hash = hashKey(token);
      const now = iso(deps.clock());
      await tx.q
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.source, spec.source), isNull(apiKeys.revokedAt), ne(apiKeys.hash, hash)));
      const existing = (await tx.q.select().from(apiKeys).where(eq(apiKeys.hash, hash)).limit(1))[0];
      if (!existing)
        await createKey(d, { name: spec.name, role: spec.role, source: spec.source, createdBy: "system", token });
      else if (existing.revokedAt !== null || existing.role !== spec.role || existing.source !== spec.source) {
        await tx.q
          .update(apiKeys)
          .set({ revokedAt: null, role: spec.role, source: spec.source, name: spec.name })
          .where(eq(apiKeys.id, existing.id));
      }
    }
    const admins = await tx.q
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.role, "key-admin"), isNull(apiKeys.revokedAt)))
      .limit(1);
    const adminToken =
      admins.length === 0
        ? (await createKey(d, { name: "admin", role: "key-admin", source: "bootstrap", createdBy: "system" })).token
        : null;
    return { adminToken };
  });
}

/**
 * Reads the bearer key, if any, and sets the actor. A key that is present but unknown or revoked is
 * refused here; a missing key is left to each route's access check, so public routes stay public
 * and unknown paths still answer 404/405.
 */
export function authenticate(deps: Pick<Deps, "db">): MiddlewareHandler<AppEnv> {
  const { db } = deps;
  const { apiKeys } = db.t;
  const query = (hash: string | ReturnType<typeof sql.placeholder<"hash">>) =>
    db.q
      .select({ id: apiKeys.id, name: apiKeys.name, role: apiKeys.role })
      .from(apiKeys)
      .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)));
  // Prepared once on SQLite (most of the cost of a request otherwise); PostgreSQL queries each time.
  const prepared = db.dialect === "sqlite" ? query(sql.placeholder("hash")).prepare() : null;
  const lookup = async (hash: string) => (prepared ? prepared.get({ hash }) : (await query(hash))[0]);
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw unauthorized('the Authorization header must be "Bearer <key>"');
      const row = await lookup(hashKey(m[1]!));
      if (!row) throw unauthorized("this API key is unknown or revoked");
      c.set("actor", row satisfies Actor);
    }
    await next();
  };
}

export function requireAccess(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access !== "public") {
      const actor = c.get("actor");
      if (!actor) throw unauthorized('this route needs an API key: send "Authorization: Bearer <key>"');
      if (!allows(access, actor.role)) {
        const need =
          access === "feed"
            ? "the engine or publisher role"
            : access === "keys"
              ? "the key-admin role (managing keys and the workspace policy needs an admin key; no other role can)"
              : access === "approve"
                ? "the approver role (a publish request is decided by a second person; no other role can)"
                : `the ${access} role or higher`;
        throw new ApiError(
          403,
          "forbidden",
          `this key (${actor.name}) has the ${actor.role} role; this route needs ${need}`,
        );
      }
    }
    await next();
  };
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, "unauthorized", message, { headers: { "WWW-Authenticate": 'Bearer realm="lifeloop"' } });
}

/** The calling actor; routes behind requireAccess always have one. */
export function actorOf(c: { get(key: "actor"): Actor | undefined }): Actor {
  const a = c.get("actor");
  if (!a) throw unauthorized("this route needs an API key");
  return a;
}
