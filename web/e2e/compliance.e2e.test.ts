/**
 * Compliance for financial promotion, end to end in Debian's Chromium against the real API: with
 * the workspace requiring approval, a forbidden phrase (hidden by a full-width space) blocks
 * publishing with its message in Chinese, on the node and in the problems list; fixed, the author's
 * publish only sends the version for approval; a second person with the approver role sees its
 * diff and worst-case cost and approves it, and only then is version 1 live.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const ID = "compliance-e2e";
const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

/** A newcomer gift of ¥20 (2000 fen) followed by an investment promotion whose text breaks the rules. */
const journey = {
  schemaVersion: 1,
  id: ID,
  name: "理财推广",
  timeZone: "Asia/Shanghai",
  entry: { reentry: "once" },
  nodes: [
    { id: "start", kind: "trigger", position: { x: 0, y: 0 }, params: { mode: "event", event: "registered" } },
    {
      id: "gift",
      kind: "reward",
      position: { x: 250, y: 0 },
      params: { reward: { type: "coupon", code: "NEW20", value: 2000, currency: "CNY" } },
    },
    {
      id: "promo",
      kind: "message",
      position: { x: 500, y: 0 },
      params: {
        channel: "push",
        template: { body: "新手专享理财，稳　赚不赔！理财有风险，投资需谨慎" },
        investmentPromotion: true,
      },
    },
    { id: "end", kind: "exit", position: { x: 750, y: 0 }, params: { reason: "done" } },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "gift" },
    { id: "e2", source: "gift", sourceHandle: "next", target: "promo" },
    { id: "e3", source: "promo", sourceHandle: "next", target: "end" },
  ],
};

describe.skipIf(!run)("four-eyes publishing and the wording lint in Chromium", () => {
  let e: E2E;
  let page: Page;
  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    const admin = e.api.keys["key-admin"];
    const on = await e.api.call("PUT", "/v1/workspace/settings", {
      key: admin,
      json: { requireApproval: true, riskNotice: "理财有风险，投资需谨慎" },
    });
    expect(on.status).toBe(200);
    const created = await e.api.call("POST", "/v1/journeys", { json: journey, key: e.api.keys.editor });
    expect(created.status, created.text).toBe(201);
  });
  afterAll(async () => {
    await e?.close();
  });

  it("shows the forbidden phrase on the node and in the problems list in Chinese, and blocks publishing", async () => {
    await e.open(`#/journeys/${ID}`);
    await byId(page, "node-promo").waitFor();
    await byId(page, "lang-switch").selectOption("zh-CN");
    const problem = page.locator('[data-testid="problem"][data-code="wording_forbidden"][data-node="promo"]');
    await problem.waitFor();
    expect(await problem.locator(".problem__message").textContent()).toBe(
      "文案含有禁用词 “稳赚”：不得承诺保本保收益（《商业银行理财业务监督管理办法》第四十四条）",
    );
    await expect.poll(() => byId(page, "node-promo").getAttribute("data-state")).toBe("invalid");

    await byId(page, "btn-publish").click();
    await byId(page, "publish-dialog").waitFor();
    const blocked = page.locator('[data-testid="publish-error"][data-node="promo"]');
    await blocked.waitFor();
    expect(await blocked.textContent()).toContain("文案含有禁用词 “稳赚”");
    expect(await byId(page, "publish-confirm").isDisabled()).toBe(true);
    await e.shot("20-wording-blocked-zh");
    await byId(page, "publish-close").click();
  });

  it("the author's publish, fixed, only sends the version for approval", async () => {
    await page.locator('[data-testid="node-promo"] .kind-node__head').click();
    const body = byId(page, "field-params.template.body");
    await body.fill("新手专享理财，本月收益已到账。理财有风险，投资需谨慎");
    await body.blur();
    await page.locator('[data-testid="problem"][data-code="wording_forbidden"]').waitFor({ state: "detached" });

    await byId(page, "btn-publish").click();
    await byId(page, "publish-valid").waitFor();
    expect(await byId(page, "publish-confirm").textContent()).toBe("提交审批");
    await byId(page, "publish-note").fill("首个版本");
    await byId(page, "publish-confirm").click();
    await byId(page, "publish-requested").waitFor();
    expect(await byId(page, "publish-requested").textContent()).toContain("已提交审批");
    const versions = await e.api.call("GET", `/v1/journeys/${ID}/versions`);
    expect(versions.body.items).toEqual([]);
    await byId(page, "publish-close").click();
  });

  it("an approver sees the diff and the worst-case cost in yuan, approves, and version 1 is live", async () => {
    // The approver's own key, in the fragment as npm start hands keys to the editor.
    await page.goto("about:blank");
    await page.goto(`${e.editorUrl}/#key=${encodeURIComponent(e.api.keys.approver)}`);
    await page.waitForFunction(() => !window.location.hash.includes("key="));
    await byId(page, "btn-approvals").click();
    await byId(page, "approvals-dialog").waitFor();
    await byId(page, `approval-${ID}`).click();
    await byId(page, "approval-detail").waitFor();
    expect(await byId(page, "approval-cost-CNY").textContent()).toContain("¥20.00");
    expect(await byId(page, "approval-diff").textContent()).toContain("promo");
    expect(await byId(page, "approval-detail").textContent()).toContain("test publisher");
    await e.shot("21-approval-zh");
    await byId(page, "approval-approve").click();
    await byId(page, "approval-outcome").waitFor();
    expect(await byId(page, "approval-outcome").textContent()).toContain("版本 1 已上线");
    const versions = await e.api.call("GET", `/v1/journeys/${ID}/versions`);
    expect(
      versions.body.items.map((v: { version: number; publishedBy: string }) => [v.version, v.publishedBy]),
    ).toEqual([[1, "test publisher"]]);
    const audit = await e.api.call("GET", `/v1/audit?subjectType=journey&subjectId=${ID}`, { key: e.api.keys.viewer });
    const actions = audit.body.entries.map(
      (x: { action: string; actor: { name: string } }) => `${x.action} ${x.actor.name}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining(["journey.approval_request test publisher", "journey.approve test approver"]),
    );
  });

  it("ran with the page quiet: no uncaught errors, no console errors", () => {
    expect(e.pageErrors).toEqual([]);
  });
});
