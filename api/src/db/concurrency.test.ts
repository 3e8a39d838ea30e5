/**
 * What SQLite's single writer gave for free, on PostgreSQL's concurrent connections: two saves with
 * one ETag, two publishes of one journey, feed revisions bumped at once. Real requests over HTTP
 * (and, for version numbering, the store functions on their own pool) against a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../context.ts";
import { checkDocument } from "../journeys/document.ts";
import { publishDraft } from "../journeys/publish.ts";
import { lockJourney, writeDraft } from "../journeys/store.ts";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";
import { postgresForThisFile } from "../testing/postgres.ts";
import { openDatabase } from "./open.ts";

const ROUNDS = 8;

if (postgresForThisFile("API concurrency on PostgreSQL")) {
  describe("API concurrency on PostgreSQL", () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer();
    });
    afterAll(async () => s?.close());

    it("runs on PostgreSQL", () => {
      expect(s.dialect).toBe("postgres");
    });

    it("two saves with the same ETag at once: one 200, one 409, every round", async () => {
      const created = await s.call("POST", "/v1/journeys", { json: journeyDoc("race") });
      let etag = created.headers.get("etag")!;
      for (let round = 0; round < ROUNDS; round++) {
        const save = (name: string) =>
          s.call("PUT", "/v1/journeys/race/draft", {
            json: journeyDoc("race", { name }),
            headers: { "if-match": etag },
          });
        const replies = await Promise.all([save(`alice ${round}`), save(`bob ${round}`)]);
        expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
        const winner = replies.find((r) => r.status === 200)!;
        const loser = replies.find((r) => r.status === 409)!;
        expect(loser.body.error.code).toBe("conflict");
        expect(loser.headers.get("etag")).toBe(winner.headers.get("etag"));
        etag = winner.headers.get("etag")!;
      }
      const read = await s.call("GET", "/v1/journeys/race");
      expect(read.body.revision).toBe(ROUNDS + 1);
    });

    it("two publishes of one draft at once: one version, the other told it is unchanged, never a 500", async () => {
      await s.call("POST", "/v1/journeys", { json: journeyDoc("twice") });
      const replies = await Promise.all(
        [0, 1].map(() => s.call("POST", "/v1/journeys/twice/publish", { json: { note: "go" } })),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(replies.find((r) => r.status === 409)!.body.error.code).toBe("unchanged");
      const versions = await s.call("GET", "/v1/journeys/twice/versions");
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    });

    it("two edit-and-publish transactions at once: versions N+1 and N+2, never two N+1", async () => {
      await s.call("POST", "/v1/journeys", { json: journeyDoc("numbered") });
      expect((await s.call("POST", "/v1/journeys/numbered/publish", { json: { note: "v1" } })).status).toBe(201);
      const a = await openDatabase(s.dbFile);
      const b = await openDatabase(s.dbFile);
      try {
        const now = new Date(s.clock.now);
        const editAndPublish = (db: typeof a.db, name: string) =>
          db.transaction(async (tx) => {
            const row = await lockJourney(tx, "numbered");
            const next = await writeDraft(tx, row, checkDocument(journeyDoc("numbered", { name })), SYSTEM, now);
            return (await publishDraft(tx, next, SYSTEM, now, { note: name, inFlight: "keep" })).version.version;
          });
        for (let round = 0; round < ROUNDS / 2; round++) {
          const got = await Promise.all([editAndPublish(a.db, `a${round}`), editAndPublish(b.db, `b${round}`)]);
          expect(got.sort()).toEqual([2 + 2 * round, 3 + 2 * round]);
        }
      } finally {
        await a.close();
        await b.close();
      }
      const versions = await s.call("GET", "/v1/journeys/numbered/versions");
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual(
        Array.from({ length: ROUNDS + 1 }, (_, i) => ROUNDS + 1 - i),
      );
    });

    it("publishes of different journeys at once each move the feed: its revision counts every one", async () => {
      const before = (await s.call("GET", "/v1/engine/feed", { key: s.keys.engine })).headers.get("etag")!;
      const ids = ["f1", "f2", "f3", "f4", "f5", "f6"];
      for (const id of ids) await s.call("POST", "/v1/journeys", { json: journeyDoc(id) });
      const replies = await Promise.all(
        ids.map((id) => s.call("POST", `/v1/journeys/${id}/publish`, { json: { note: "go" } })),
      );
      expect(replies.map((r) => r.status)).toEqual(ids.map(() => 201));
      const after = await s.call("GET", "/v1/engine/feed", { key: s.keys.engine });
      const revision = (etag: string) => Number(/-(\d+)"?$/.exec(etag)![1]);
      expect(revision(after.headers.get("etag")!) - revision(before)).toBe(ids.length);
      expect(after.body.journeys.map((j: { journeyId: string }) => j.journeyId)).toEqual(expect.arrayContaining(ids));
    });
  });
}
