import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "@lifeloop/shared";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ limits: { workspaceBytes: 3 * 1024 * 1024 } });
});
afterAll(async () => s?.close());

const upload = (text: string, name = "journey.json") => {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "application/json" }), name);
  return form;
};

/** `{"a":{"a":…}}` nested `depth` deep, as raw text (the parser must refuse it before JSON.parse). */
const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe("export", () => {
  it("downloads the draft as a journey file with schemaVersion, as an attachment", async () => {
    await s.call("POST", "/v1/journeys", { json: journeyDoc("exported") });
    const r = await s.call("GET", "/v1/journeys/exported/export", { key: s.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="exported.json"');
    expect(r.text.endsWith("}\n")).toBe(true);
    expect(r.body).toMatchObject({ schemaVersion: 1, id: "exported", nodes: journeyDoc().nodes });
    expect((await s.call("GET", "/v1/journeys/exported/export?version=1")).status).toBe(404);
    expect((await s.call("GET", "/v1/journeys/nope/export")).status).toBe(404);
  });
});

describe("import", () => {
  it("takes a JSON body or a multipart file, re-maps a taken id and says so", async () => {
    const json = await s.call("POST", "/v1/journeys/import", { json: journeyDoc("imported"), key: s.keys.editor });
    expect(json.status).toBe(201);
    expect(json.body).toMatchObject({
      remapped: null,
      migratedFrom: null,
      journey: { id: "imported", status: "draft", createdBy: "test editor" },
    });

    const again = await s.call("POST", "/v1/journeys/import", {
      body: upload(JSON.stringify(journeyDoc("imported"))),
      key: s.keys.editor,
    });
    expect(again.status).toBe(201);
    expect(again.body.remapped).toEqual({ from: "imported", to: "imported-2" });
    expect(again.body.journey.document.id).toBe("imported-2");
    expect(again.headers.get("location")).toBe("/v1/journeys/imported-2");

    const strict = await s.call("POST", "/v1/journeys/import?onConflict=fail", { json: journeyDoc("imported") });
    expect(strict.status).toBe(409);
  });

  it("refuses a newer schemaVersion and a file that is not a journey, storing nothing", async () => {
    const before = await s.counts();
    const newer = await s.call("POST", "/v1/journeys/import", { json: { ...journeyDoc("future"), schemaVersion: 2 } });
    expect(newer.status).toBe(400);
    expect(newer.body.error.issues[0]).toMatchObject({ path: "$.schemaVersion" });
    const missing = await s.call("POST", "/v1/journeys/import", { json: { id: "x", nodes: [] } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues[0].path).toBe("$.schemaVersion");
    const noFile = new FormData();
    noFile.append("other", "x");
    const wrongField = await s.call("POST", "/v1/journeys/import", { body: noFile });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.code).toBe("missing_file");
    expect(await s.counts()).toEqual(before);
  });

  describe("hostile files are refused and nothing is stored", () => {
    const cases: Array<
      [string, () => { body?: RequestInit["body"]; json?: unknown; headers?: Record<string, string> }, number, string]
    > = [
      [
        "65 levels of nesting (JSON body)",
        () => ({
          body: JSON.stringify({ ...journeyDoc("deep"), description: "x" }).replace('"x"', deep(65)),
          headers: { "content-type": "application/json" },
        }),
        400,
        "too_deep",
      ],
      [
        "65 levels of nesting (uploaded file)",
        () => ({ body: upload(JSON.stringify(journeyDoc("deep")).replace('"Welcome gift"', deep(70))) }),
        400,
        "too_deep",
      ],
      [
        "a __proto__ key",
        () => ({
          body: JSON.stringify(journeyDoc("proto")).replace('"name":', '"__proto__":{"polluted":true},"name":'),
          headers: { "content-type": "application/json" },
        }),
        400,
        "forbidden_key",
      ],
      [
        "a __proto__ key inside a node's params",
        () => ({
          body: upload(
            JSON.stringify(journeyDoc("proto2")).replace(
              '"mode":"event","event":"registered"',
              '"mode":"event","event":"registered","__proto__":{"x":1}',
            ),
          ),
        }),
        400,
        "forbidden_key",
      ],
      [
        "a 5 MB JSON body",
        () => ({
          body: JSON.stringify({ ...journeyDoc("huge"), description: "x".repeat(5 * 1024 * 1024) }),
          headers: { "content-type": "application/json" },
        }),
        413,
        "payload_too_large",
      ],
      [
        "a 5 MB uploaded file",
        () => ({ body: upload(JSON.stringify({ ...journeyDoc("huge"), description: "x".repeat(5 * 1024 * 1024) })) }),
        413,
        "payload_too_large",
      ],
      [
        "a file just over the document limit",
        () => ({
          body: upload(JSON.stringify({ ...journeyDoc("big"), description: "x".repeat(LIMITS.maxDocumentBytes) })),
        }),
        413,
        "payload_too_large",
      ],
      ["not JSON", () => ({ body: "{nope", headers: { "content-type": "application/json" } }), 400, "invalid_json"],
      [
        "invalid UTF-8",
        () => ({ body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { "content-type": "application/json" } }),
        400,
        "invalid_encoding",
      ],
    ];
    for (const [name, make, status, code] of cases) {
      it(name, async () => {
        const before = await s.counts();
        const r = await s.call("POST", "/v1/journeys/import", make());
        expect(r.status, r.text.slice(0, 300)).toBe(status);
        expect(r.body.error.code).toBe(code);
        expect(r.text).not.toMatch(/at .*\.ts:\d+/);
        expect(await s.counts()).toEqual(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  });
});

describe("workspace export and import", () => {
  it("round-trips every journey and segment into a fresh database, identically", async () => {
    await s.call("POST", "/v1/segments", {
      json: { id: "vip", name: "VIP", condition: { "==": [{ var: "profile.tier" }, "vip"] } },
    });
    await s.call("POST", "/v1/segments", {
      json: {
        id: "vip-active",
        name: "Active VIP",
        condition: { and: [{ in_segment: ["vip"] }, { ">=": [{ agg_count: ["login", "7d"] }, 1] }] },
      },
    });
    const file = await s.call("GET", "/v1/workspace/export", { key: s.keys.viewer });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="lifeloop-workspace-2026-11-23.json"');
    expect(file.body).toMatchObject({
      format: "lifeloop.workspace/1",
      schemaVersion: 1,
      exportedAt: "2026-11-23T08:00:00.000Z",
    });
    expect(file.body.journeys.map((j: { id: string }) => j.id)).toEqual(["exported", "imported", "imported-2"]);
    expect(file.body.segments.map((x: { id: string }) => x.id)).toEqual(["vip", "vip-active"]);

    const other = await startServer();
    try {
      const r = await other.call("POST", "/v1/workspace/import", {
        body: upload(file.text, "workspace.json"),
        key: other.keys.editor,
      });
      expect(r.status, r.text).toBe(201);
      expect(r.body.journeys).toEqual([{ id: "exported" }, { id: "imported" }, { id: "imported-2" }]);
      const back = await other.call("GET", "/v1/workspace/export");
      expect({ ...back.body, exportedAt: null }).toEqual({ ...file.body, exportedAt: null });

      // Importing the same file again re-maps everything, and references follow renamed segments.
      const twice = await other.call("POST", "/v1/workspace/import", { json: file.body });
      expect(twice.status).toBe(201);
      expect(twice.body.segments).toEqual([
        { id: "vip-2", from: "vip" },
        { id: "vip-active-2", from: "vip-active" },
      ]);
      expect(twice.body.journeys.map((j: { id: string; from: string }) => [j.from, j.id])).toEqual([
        ["exported", "exported-2"],
        ["imported", "imported-3"],
        ["imported-2", "imported-2-2"],
      ]);
      const renamed = await other.call("GET", "/v1/segments/vip-active-2");
      expect(renamed.body.condition.and[0]).toEqual({ in_segment: ["vip-2"] });
      const audit = await other.call("GET", "/v1/audit?action=workspace.import");
      expect(audit.body.entries).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it("checks the whole file first: one bad journey or segment anywhere and nothing is stored", async () => {
    const before = await s.counts();
    const bad = {
      format: "lifeloop.workspace/1",
      schemaVersion: 1,
      journeys: [
        journeyDoc("fine-1"),
        { ...journeyDoc("broken"), entry: { reentry: "sometimes" } },
        journeyDoc("fine-2"),
        journeyDoc("fine-1"),
      ],
      segments: [
        { id: "ok", name: "ok", condition: true },
        { id: "nope", name: "nope", condition: { "==": [{ var: "event.type" }, "x"] } },
      ],
    };
    const r = await s.call("POST", "/v1/workspace/import", { json: bad });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_workspace");
    const paths = r.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "$.journeys[1].entry.reentry",
        "$.journeys[3].id",
        '$.segments[1].condition["=="][0].var',
      ]),
    );
    expect(await s.counts()).toEqual(before);
  });

  it("refuses hostile and oversized workspace files with nothing stored", async () => {
    const before = await s.counts();
    const proto = await s.call("POST", "/v1/workspace/import", {
      body:
        `{"format":"lifeloop.workspace/1","schemaVersion":1,"journeys":[],"segments":[],` +
        `"__proto__":{"admin":true}}`,
      headers: { "content-type": "application/json" },
    });
    expect(proto.status).toBe(400);
    expect(proto.body.error.code).toBe("forbidden_key");
    const tooDeep = await s.call("POST", "/v1/workspace/import", {
      body: upload(`{"format":"lifeloop.workspace/1","journeys":[${deep(80)}]}`),
    });
    expect(tooDeep.body.error.code).toBe("too_deep");
    const big = await s.call("POST", "/v1/workspace/import", {
      body: JSON.stringify({ format: "lifeloop.workspace/1", pad: "x".repeat(5 * 1024 * 1024) }),
      headers: { "content-type": "application/json" },
    });
    expect(big.status).toBe(413);
    const oneTooBig = await s.call("POST", "/v1/workspace/import", {
      json: {
        format: "lifeloop.workspace/1",
        schemaVersion: 1,
        journeys: [{ ...journeyDoc("fat"), description: "x".repeat(LIMITS.maxDocumentBytes) }],
      },
    });
    expect(oneTooBig.status).toBe(400);
    expect(oneTooBig.body.error.issues[0].path).toBe("$.journeys[0]");
    expect(await s.counts()).toEqual(before);
  });
});
