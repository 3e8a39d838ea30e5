/**
 * Four-eyes publishing and the wording lint over HTTP against a SQLite file: a publish request
 * waits for a second person with the approver role; forbidden phrases and a missing risk notice
 * block publishing (and approval) with the compiler's issues.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journeyDoc, startServer, type TestServer } from "../testing/harness.ts";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => s?.close());

/** The welcome journey with a message after the gift. */
function withMessage(id: string, body: string, investmentPromotion = false) {
  const d = journeyDoc(id);
  d.nodes.push({
    id: "msg",
    kind: "message",
    position: { x: 500, y: 0 },
    params: { channel: "push", template: { body }, investmentPromotion },
  });
  for (const e of d.edges) if (e.target === "done") e.target = "msg";
  d.edges.push({ id: "e_msg", source: "msg", sourceHandle: "next", target: "done" });
  return d;
}

const admin = () => s.keys["key-admin"];

async function createJourney(doc: ReturnType<typeof withMessage>) {
  const r = await s.call("POST", "/v1/journeys", { json: doc, key: s.keys.editor });
  expect(r.status).toBe(201);
  return r;
}

async function setApproval(requireApproval: boolean) {
  const r = await s.call("PUT", "/v1/workspace/settings", {
    key: admin(),
    json: { requireApproval, riskNotice: "理财有风险，投资需谨慎" },
  });
  expect(r.status).toBe(200);
}

describe("the compliance policy", () => {
  it("starts with the Chinese financial-promotion defaults; everyone reads it, only key-admin changes it", async () => {
    const policy = await s.call("GET", "/v1/workspace/policy", { key: s.keys.approver });
    expect(policy.status).toBe(200);
    expect(policy.body.requireApproval).toBe(false);
    expect(policy.body.riskNotice).toBe("理财有风险，投资需谨慎");
    expect(policy.body.forbidden.map((f: { phrase: string }) => f.phrase)).toEqual(
      expect.arrayContaining(["保本", "稳赚", "零风险", "收益率保证", "guaranteed returns"]),
    );
    for (const role of ["publisher", "approver", "editor"] as const) {
      const r = await s.call("PUT", "/v1/workspace/settings", {
        key: s.keys[role],
        json: { requireApproval: false, riskNotice: null },
      });
      expect(r.status, role).toBe(403);
    }
    const denied = await s.call("POST", "/v1/workspace/forbidden-phrases", {
      key: s.keys.publisher,
      json: { phrase: "x", rule: "y" },
    });
    expect(denied.status).toBe(403);
  });

  it("keeps the phrase list (create, rename, delete, duplicates refused), each change audited", async () => {
    const made = await s.call("POST", "/v1/workspace/forbidden-phrases", {
      key: admin(),
      json: { phrase: "躺赚", rule: "不得承诺收益" },
    });
    expect(made.status).toBe(201);
    const again = await s.call("POST", "/v1/workspace/forbidden-phrases", {
      key: admin(),
      json: { phrase: "躺赚", rule: "重复" },
    });
    expect(again.status).toBe(409);
    const id = made.body.id as string;
    const renamed = await s.call("PUT", `/v1/workspace/forbidden-phrases/${id}`, {
      key: admin(),
      json: { phrase: "躺着赚", rule: "不得承诺收益" },
    });
    expect(renamed.body).toMatchObject({ id, phrase: "躺着赚" });
    expect((await s.call("DELETE", `/v1/workspace/forbidden-phrases/${id}`, { key: admin() })).status).toBe(204);
    expect((await s.call("DELETE", `/v1/workspace/forbidden-phrases/${id}`, { key: admin() })).status).toBe(404);
    const audit = await s.call("GET", "/v1/audit?subjectType=workspace", { key: s.keys.viewer });
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["wording.create", "wording.edit", "wording.delete"]));
  });

  it("blocks publishing on a forbidden phrase hidden by spacing, and on a missing risk notice", async () => {
    await createJourney(withMessage("lint", "本产品稳　赚不赔"));
    const refused = await s.call("POST", "/v1/journeys/lint/publish", {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([
      expect.objectContaining({
        code: "wording_forbidden",
        severity: "error",
        nodeId: "msg",
        path: "$.nodes[5].params.template.body",
      }),
    ]);
    // The saved draft carries the same verdict, so the problems list agrees with publishing.
    const draft = await s.call("GET", "/v1/journeys/lint");
    expect(draft.body.issues.map((i: { code: string }) => i.code)).toContain("wording_forbidden");

    await createJourney(withMessage("promo", "新品理财年化 3.2%", true));
    const noNotice = await s.call("POST", "/v1/journeys/promo/publish", {});
    expect(noNotice.status).toBe(422);
    expect(noNotice.body.error.issues.map((i: { code: string }) => i.code)).toEqual(["risk_notice_missing"]);
  });
});

describe("four-eyes publishing", () => {
  it("a publish request waits; only a different approver publishes it, and the log says who and when", async () => {
    await setApproval(true);
    await createJourney(withMessage("vip", "恭喜获得 {{reward.amount}} 积分。理财有风险，投资需谨慎", true));
    const asked = await s.call("POST", "/v1/journeys/vip/publish", { json: { note: "first" } });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({
      journeyId: "vip",
      status: "pending",
      baseVersion: null,
      requestedBy: "test publisher",
      note: "first",
      cost: { points: { perEntry: 100, perUser: 100 } },
    });
    const askedAt = new Date(s.clock.now).toISOString();
    expect(asked.body.requestedAt).toBe(askedAt);
    expect((await s.counts()).journey_versions).toBe(0);
    const id = asked.body.id as string;

    const detail = await s.call("GET", `/v1/approvals/${id}`, { key: s.keys.approver });
    expect(detail.status).toBe(200);
    expect(detail.body.diff.nodes.added.map((n: { id: string }) => n.id)).toContain("msg");
    expect(detail.body.document.id).toBe("vip");
    const pending = await s.call("GET", "/v1/approvals?status=pending", { key: s.keys.approver });
    expect(pending.body.items.map((a: { id: string }) => a.id)).toContain(id);

    // Neither the publisher (no approver role) nor an approver key the author holds may decide.
    const byPublisher = await s.call("POST", `/v1/approvals/${id}/approve`, { key: s.keys.publisher });
    expect(byPublisher.status).toBe(403);
    expect(byPublisher.body.error.code).toBe("forbidden");
    const twin = await s.call("POST", "/v1/keys", {
      key: admin(),
      json: { name: "test publisher", role: "approver" },
    });
    const own = await s.call("POST", `/v1/approvals/${id}/approve`, { key: twin.body.key });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe("own_request");

    s.clock.advance(60_000);
    const approved = await s.call("POST", `/v1/approvals/${id}/approve`, { key: s.keys.approver });
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ version: 1, publishedBy: "test publisher", live: true });
    const approvedAt = new Date(s.clock.now).toISOString();
    const again = await s.call("POST", `/v1/approvals/${id}/approve`, { key: s.keys.approver });
    expect(again.status).toBe(409);

    const audit = await s.call("GET", "/v1/audit?subjectType=journey&subjectId=vip", { key: s.keys.viewer });
    const entries = audit.body.entries as Array<{ action: string; actor: { name: string }; at: string; detail: any }>;
    const by = (a: string) => entries.find((e) => e.action === a)!;
    expect(by("journey.approval_request")).toMatchObject({ actor: { name: "test publisher" }, at: askedAt });
    expect(by("journey.approve")).toMatchObject({
      actor: { name: "test approver" },
      at: approvedAt,
      detail: { approval: id, version: 1, requestedBy: "test publisher", requestedAt: askedAt },
    });
    expect(by("journey.publish")).toMatchObject({ actor: { name: "test approver" }, detail: { approval: id } });
  });

  it("a rejection needs a reason and publishes nothing; a newer request supersedes a pending one", async () => {
    const draft = await s.call("GET", "/v1/journeys/vip");
    const doc = draft.body.document;
    doc.name = "VIP v2";
    const saved = await s.call("PUT", "/v1/journeys/vip/draft", {
      json: doc,
      key: s.keys.editor,
      headers: { "if-match": draft.headers.get("etag")! },
    });
    expect(saved.status, saved.text).toBe(200);
    const first = await s.call("POST", "/v1/journeys/vip/publish", {});
    const second = await s.call("POST", "/v1/journeys/vip/publish", { json: { note: "again" } });
    expect(first.status, first.text).toBe(202);
    expect(second.status, second.text).toBe(202);
    expect(second.body.baseVersion).toBe(1);
    const superseded = await s.call("GET", `/v1/approvals/${first.body.id}`, { key: s.keys.viewer });
    expect(superseded.body.status).toBe("superseded");
    expect(superseded.body.diff.journey.length).toBeGreaterThan(0);

    const noReason = await s.call("POST", `/v1/approvals/${second.body.id}/reject`, {
      key: s.keys.approver,
      json: { reason: " " },
    });
    expect(noReason.status).toBe(400);
    const rejected = await s.call("POST", `/v1/approvals/${second.body.id}/reject`, {
      key: s.keys.approver,
      json: { reason: "名称需与产品备案一致" },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: "rejected",
      decidedBy: "test approver",
      reason: "名称需与产品备案一致",
    });
    const versions = await s.call("GET", "/v1/journeys/vip/versions");
    expect(versions.body.items).toHaveLength(1);
    await setApproval(false);
  });

  const title = "approval compiles again under the policy as it is now, and refuses a request another version overtook";
  it(title, async () => {
    await setApproval(true);
    await createJourney(withMessage("late", "本周福利已到账"));
    const asked = await s.call("POST", "/v1/journeys/late/publish", {});
    expect(asked.status).toBe(202);
    // A phrase forbidden after the request blocks its approval.
    const phrase = await s.call("POST", "/v1/workspace/forbidden-phrases", {
      key: admin(),
      json: { phrase: "福利", rule: "测试规则" },
    });
    const blocked = await s.call("POST", `/v1/approvals/${asked.body.id}/approve`, { key: s.keys.approver });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.issues.map((i: { code: string }) => i.code)).toEqual(["wording_forbidden"]);
    await s.call("DELETE", `/v1/workspace/forbidden-phrases/${phrase.body.id}`, { key: admin() });

    // Approval switched off, the author publishes v1 directly: the request made over nothing is stale.
    await setApproval(false);
    const direct = await s.call("POST", "/v1/journeys/late/publish", {});
    expect(direct.status).toBe(201);
    const stale = await s.call("POST", `/v1/approvals/${asked.body.id}/approve`, { key: s.keys.approver });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("stale");
  });
});
