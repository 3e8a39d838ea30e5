/**
 * Revoking keys on PostgreSQL, where the revocation locks the key-admin rows (SELECT … FOR UPDATE,
 * db/open.ts forUpdate) so two revocations at once cannot both leave no key-admin key. keys.test.ts
 * reads the SQLite file directly and stays SQLite-only; this is its revocation path on PostgreSQL.
 */
import { expect, it } from "vitest";
import { startServer } from "../testing/harness.ts";
import { postgresForThisFile } from "../testing/postgres.ts";

if (postgresForThisFile("key revocation on PostgreSQL")) {
  it("revokes a key-admin key on PostgreSQL, and refuses the last one, whichever of two goes first", async () => {
    const s = await startServer();
    try {
      expect(s.dialect).toBe("postgres");
      const asAdmin = (method: string, path: string, json?: unknown) =>
        s.call(method, path, { key: s.keys["key-admin"], ...(json !== undefined ? { json } : {}) });
      const second = await asAdmin("POST", "/v1/keys", { name: "deputy", role: "key-admin" });
      expect(second.status).toBe(201);
      const keys = (await asAdmin("GET", "/v1/keys")).body.items as Array<{ id: string; role: string; name: string }>;
      const first = keys.find((k) => k.role === "key-admin" && k.name === "admin")!;
      // Each key revokes the other at once: the row locks order them, so one goes and the other is
      // refused (409, the last key-admin key; or 401, when its own key was revoked before it got in).
      const [a, b] = await Promise.all([
        s.call("DELETE", `/v1/keys/${second.body.apiKey.id}`, { key: s.keys["key-admin"] }),
        s.call("DELETE", `/v1/keys/${first.id}`, { key: second.body.key }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses[0]).toBe(204);
      expect([401, 409]).toContain(statuses[1]);
      const survivor = a.status === 204 ? s.keys["key-admin"] : second.body.key;
      const after = (await s.call("GET", "/v1/keys", { key: survivor })).body.items as Array<{
        role: string;
        revokedAt: string | null;
      }>;
      expect(after.filter((k) => k.role === "key-admin" && k.revokedAt === null)).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
}
