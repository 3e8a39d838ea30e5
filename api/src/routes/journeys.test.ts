import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.close());

describe("creating journeys", () => {
  it("stores a whole document as a draft, with the compiler's issues, and serves it back with its ETag", async () => {
    const r = await s.call("POST", "/v1/journeys", { json: journeyDoc("create-doc"), key: s.keys.editor });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: "create-doc",
      status: "draft",
      revision: 1,
      etag: "r1",
      createdBy: "test editor",
      liveVersion: null,
      issues: [],
      nodeCount: 5,
    });
    expect(r.body.cost).toEqual({ points: { perEntry: 100, perUser: 100 } });
    const read = await s.call("GET", "/v1/journeys/create-doc", { key: s.keys.viewer });
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe('"r1"');
    expect(read.body.document).toEqual(r.body.document);
  });

  it("starts a journey from just a name: a slug id made unique, one trigger from the registry's defaults", async () => {
    const a = await s.call("POST", "/v1/journeys", { json: { name: "Win-back: 15 days" } });
    const b = await s.call("POST", "/v1/journeys", { json: { name: "Win-back: 15 days" } });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.id, b.body.id]).toEqual(["win-back-15-days", "win-back-15-days-2"]);
    expect(a.body.document).toMatchObject({
      timeZone: "UTC",
      entry: { reentry: "once" },
      nodes: [{ id: "start", kind: "trigger" }],
    });
    // Just begun: one journey-level problem (the next thing to do), no node blamed.
    expect(a.body.issues.map((i: { code: string }) => i.code)).toEqual(["journey_empty"]);
  });

  it("refuses a taken id, a malformed document, and a body that is neither", async () => {
    const taken = await s.call("POST", "/v1/journeys", { json: journeyDoc("create-doc") });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("already_exists");

    const malformed = await s.call("POST", "/v1/journeys", {
      json: { ...journeyDoc("bad"), timeZone: "Mars/Olympus", nodes: "none" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_document");
    const paths = malformed.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["$.timeZone", "$.nodes"]));

    const neither = await s.call("POST", "/v1/journeys", { json: { title: "x" } });
    expect(neither.status).toBe(400);
    expect(neither.body.error.issues[0].path).toBe("$.name");
    expect((await s.call("GET", "/v1/journeys/bad")).status).toBe(404);
  });
});

describe("saving drafts with optimistic concurrency", () => {
  it(
    "needs If-Match, and gives the second of two editors with " + "the same ETag a 409 with the current version",
    async () => {
      const created = await s.call("POST", "/v1/journeys", { json: journeyDoc("shared") });
      const etag = created.headers.get("etag")!;

      const missing = await s.call("PUT", "/v1/journeys/shared/draft", {
        json: journeyDoc("shared"),
        key: s.keys.editor,
      });
      expect(missing.status).toBe(428);
      expect(missing.body.error.code).toBe("precondition_required");

      const alice = await s.call("PUT", "/v1/journeys/shared/draft", {
        json: journeyDoc("shared", { name: "Alice's version" }),
        key: s.keys.editor,
        headers: { "if-match": etag },
      });
      const bob = await s.call("PUT", "/v1/journeys/shared/draft", {
        json: journeyDoc("shared", { name: "Bob's version" }),
        key: s.keys.publisher,
        headers: { "if-match": etag },
      });
      expect(alice.status).toBe(200);
      expect(alice.headers.get("etag")).toBe('"r2"');
      expect(bob.status).toBe(409);
      expect(bob.body.error.code).toBe("conflict");
      expect(bob.headers.get("etag")).toBe('"r2"');
      expect(bob.body.error.current).toMatchObject({
        id: "shared",
        revision: 2,
        etag: "r2",
        name: "Alice's version",
        updatedBy: "test editor",
      });
      expect(bob.body.error.current.document.name).toBe("Alice's version");

      const stored = await s.call("GET", "/v1/journeys/shared");
      expect(stored.body.document.name).toBe("Alice's version");

      const retry = await s.call("PUT", "/v1/journeys/shared/draft", {
        json: journeyDoc("shared", { name: "Bob's version" }),
        key: s.keys.publisher,
        headers: { "if-match": '"r2"' },
      });
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ revision: 3, name: "Bob's version", updatedBy: "test publisher" });

      const overwrite = await s.call("PUT", "/v1/journeys/shared/draft", {
        json: journeyDoc("shared"),
        headers: { "if-match": "*" },
      });
      expect(overwrite.status).toBe(200);
    },
  );

  it("answers 304 to If-None-Match with the current ETag", async () => {
    const r = await s.call("GET", "/v1/journeys/shared", { headers: { "if-none-match": '"r4"' } });
    expect(r.status).toBe(304);
    expect(r.text).toBe("");
    expect((await s.call("GET", "/v1/journeys/shared", { headers: { "if-none-match": '"r1"' } })).status).toBe(200);
  });

  it("saves a draft with compile errors, reporting them with paths and nodes; refuses a changed id", async () => {
    const doc = journeyDoc("shared");
    doc.edges = doc.edges.slice(1);
    const r = await s.call("PUT", "/v1/journeys/shared/draft", { json: doc, headers: { "if-match": "*" } });
    expect(r.status).toBe(200);
    expect(r.body.problems.errors).toBeGreaterThan(0);
    expect(r.body.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "handle_unconnected", nodeId: "start", path: "$.nodes[0]" }),
      ]),
    );

    const moved = await s.call("PUT", "/v1/journeys/shared/draft", {
      json: journeyDoc("elsewhere"),
      headers: { "if-match": "*" },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error).toMatchObject({ code: "id_mismatch", issues: [{ path: "$.id" }] });
    expect(
      (await s.call("PUT", "/v1/journeys/nobody/draft", { json: journeyDoc("nobody"), headers: { "if-match": "*" } }))
        .status,
    ).toBe(404);
  });
});

describe("listing", () => {
  beforeAll(async () => {
    for (const [id, name] of [
      ["list-a", "Alpha rebate"],
      ["list-b", "beta check-in"],
      ["list-c", "Gamma 100%_off"],
    ] as const) {
      s.clock.advance(1000);
      await s.call("POST", "/v1/journeys", { json: journeyDoc(id, { name }) });
    }
    await s.call("POST", "/v1/journeys/list-b/publish", { json: {} });
    await s.call("POST", "/v1/journeys/list-c/archive");
  });

  it("filters by status, hides archived unless asked, and searches name, id and description literally", async () => {
    const live = await s.call("GET", "/v1/journeys?status=live", { key: s.keys.viewer });
    expect(live.body.items.map((j: { id: string }) => j.id)).toEqual(["list-b"]);
    const all = await s.call("GET", "/v1/journeys?limit=100");
    expect(all.body.items.map((j: { id: string }) => j.id)).not.toContain("list-c");
    const archived = await s.call("GET", "/v1/journeys?status=archived,live");
    expect(archived.body.items.map((j: { id: string }) => j.id).sort()).toEqual(["list-b", "list-c"]);
    const search = await s.call("GET", `/v1/journeys?status=archived&q=${encodeURIComponent("100%_")}`);
    expect(search.body.items.map((j: { id: string }) => j.id)).toEqual(["list-c"]);
    const none = await s.call("GET", `/v1/journeys?q=${encodeURIComponent("%")}&status=draft`);
    expect(none.body.total).toBe(0);
    const bad = await s.call("GET", "/v1/journeys?status=running");
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toMatch(/^query\.status/);
  });

  it("pages with a cursor without skipping or repeating, in each sort order", async () => {
    for (const sort of ["updated", "created", "name"]) {
      const all = await s.call("GET", `/v1/journeys?sort=${sort}&limit=100`);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null; total: number } } = await s.call(
          "GET",
          `/v1/journeys?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        expect(page.body.total).toBe(all.body.total);
        seen.push(...page.body.items.map((j) => j.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.body.items.map((j: { id: string }) => j.id));
    }
    const byName = await s.call("GET", "/v1/journeys?sort=name&q=list");
    expect(byName.body.items.map((j: { id: string }) => j.id)).toEqual(["list-a", "list-b"]);
    const newest = await s.call("GET", "/v1/journeys?sort=created&q=list");
    expect(newest.body.items.map((j: { id: string }) => j.id)).toEqual(["list-b", "list-a"]);
    expect((await s.call("GET", "/v1/journeys?cursor=garbage")).body.error.code).toBe("invalid_cursor");
  });
});

describe("duplicate, archive, delete", () => {
  it("duplicates the draft or a version into a new draft journey", async () => {
    const copy = await s.call("POST", "/v1/journeys/list-b/duplicate", { key: s.keys.editor });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ id: "list-b-copy", name: "beta check-in (copy)", status: "draft", revision: 1 });
    const again = await s.call("POST", "/v1/journeys/list-b/duplicate", { json: { version: 1, name: "From v1" } });
    expect(again.body).toMatchObject({ id: "list-b-copy-2", name: "From v1" });
    const named = await s.call("POST", "/v1/journeys/list-b/duplicate", { json: { id: "chosen" } });
    expect(named.body.id).toBe("chosen");
    expect((await s.call("POST", "/v1/journeys/list-b/duplicate", { json: { version: 7 } })).status).toBe(404);
    expect((await s.call("POST", "/v1/journeys/list-b/duplicate", { json: { id: "no spaces" } })).status).toBe(400);
  });

  it("archives: leaves the list, refuses edits; a published one needs a publisher and comes back paused", async () => {
    const editorTry = await s.call("POST", "/v1/journeys/list-b/archive", { key: s.keys.editor });
    expect(editorTry.status).toBe(403);
    const archived = await s.call("POST", "/v1/journeys/list-b/archive", { key: s.keys.publisher });
    expect(archived.body).toMatchObject({ status: "archived" });
    expect(archived.body.archivedAt).not.toBeNull();
    const edit = await s.call("PUT", "/v1/journeys/list-b/draft", {
      json: journeyDoc("list-b"),
      headers: { "if-match": "*" },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe("archived");
    const back = await s.call("POST", "/v1/journeys/list-b/unarchive", { key: s.keys.publisher });
    expect(back.body).toMatchObject({ status: "paused", paused: true, archivedAt: null });

    const draftOnly = await s.call("POST", "/v1/journeys/list-a/archive", { key: s.keys.editor });
    expect(draftOnly.body.status).toBe("archived");
    expect((await s.call("POST", "/v1/journeys/list-a/unarchive", { key: s.keys.editor })).body.status).toBe("draft");
  });

  it("deletes a never-published draft, and only that", async () => {
    const before = await s.counts();
    const gone = await s.call("DELETE", "/v1/journeys/chosen", { key: s.keys.editor });
    expect(gone.status).toBe(204);
    expect((await s.counts()).journeys).toBe(before.journeys - 1);
    expect((await s.call("GET", "/v1/journeys/chosen")).status).toBe(404);
    expect((await s.call("DELETE", "/v1/journeys/chosen")).status).toBe(404);
    const published = await s.call("DELETE", "/v1/journeys/list-b");
    expect(published.status).toBe(409);
    expect(published.body.error.code).toBe("published");
    const stale = await s.call("DELETE", "/v1/journeys/list-a", { headers: { "if-match": '"r9"' } });
    expect(stale.status).toBe(409);
  });
});

describe("validate", () => {
  it("compiles a posted document without storing it, malformed ones included", async () => {
    const before = await s.counts();
    const ok = await s.call("POST", "/v1/validate", { json: journeyDoc("not-stored"), key: s.keys.viewer });
    expect(ok.body).toEqual({ ok: true, issues: [], cost: { points: { perEntry: 100, perUser: 100 } } });
    const bad = await s.call("POST", "/v1/validate", { json: { schemaVersion: 1 }, key: s.keys.viewer });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toContain("$.id");
    const newer = await s.call("POST", "/v1/validate", { json: { ...journeyDoc(), schemaVersion: 99 } });
    expect(newer.body.issues[0]).toMatchObject({ path: "$.schemaVersion", code: "schema_version" });
    expect(await s.counts()).toEqual(before);
  });
});
