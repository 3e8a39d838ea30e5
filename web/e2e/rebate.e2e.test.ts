/**
 * The tiered rebate with the visual rule builder, typing no JSON: *each transaction earns 5 % back
 * once the month's transactions pass ¥30,000, 3 % past ¥10,000*, from a blank canvas in Chinese at
 * 1440×900 against the real API. Amounts are typed in yuan and rates in percent; the compiled
 * document has basis points 500/300 and minor units 3000000/1000000. The actions are counted and
 * reported (the newcomer gift's test holds the budget). Then one field edit is undone in one step,
 * from the toolbar and with Ctrl+Z alike.
 */
import { compileJourney } from "@lifeloop/shared";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countActions } from "./actions.ts";
import { chromiumAvailable, startE2E, type E2E } from "./harness.ts";

const run = chromiumAvailable();
const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
const MONTH_SUM = JSON.stringify({ agg_sum: ["transaction", "amount", "month"] });

describe.skipIf(!run)("the tiered rebate with the visual rule builder, in Chinese", () => {
  let e: E2E;
  let id = "";
  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  });
  afterAll(async () => {
    await e?.close();
  });

  it("builds it typing amounts in yuan and rates in percent, no JSON", async () => {
    const page = e.page;
    const act = countActions(page);
    const field = (name: string) => byId(page, `field-${name}`);
    await e.open("#/");
    await act.click(byId(page, "btn-new-journey"), "new journey");
    await act.type(field("name"), "Tiered rebate", "journey name");
    await act.click(byId(page, "btn-create"), "create");
    await byId(page, "node-trigger").waitFor();
    id = decodeURIComponent(/#\/journeys\/([^/?&]+)/.exec(page.url())![1]!);
    await act.type(field("params.event"), "transaction", "trigger event");

    const box = (await byId(page, "canvas").boundingBox())!;
    const at = (fx: number, fy: number) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy });
    await act.drop("split", at(0.12, 0.12));
    await byId(page, "node-split").waitFor();
    await act.connect({ node: "trigger", handle: "next" }, { node: "split" });

    /** One branch's rule, built row by row: this month's transactions ≥ the amount in yuan. */
    const tier = async (branch: number, yuan: string) => {
      const builder = byId(page, `field-params.branches.${branch}.rule`);
      await act.click(builder.locator('[data-testid="add-rule"]').first(), `branch ${branch}: add a condition`);
      const row = builder.locator('[data-testid="rule"]').last();
      const fields = row.locator('[data-testid="fields"]');
      const sum = await fields
        .locator("option")
        .evaluateAll(
          (options, want) => (options as HTMLOptionElement[]).find((o) => o.value === `@${want}`)?.value ?? null,
          MONTH_SUM,
        );
      expect(sum, "the month's transaction total is offered with no setup").not.toBeNull();
      await act.select(fields, sum!, `branch ${branch}: this month's transactions`);
      await act.select(row.locator('[data-testid="operators"]'), ">=", `branch ${branch}: ≥`);
      const amount = row.locator('[data-testid="rule-money-0"]');
      expect(await row.locator('[data-testid="rule-money-0-unit"]').textContent()).toBe("¥");
      await act.type(amount, yuan, `branch ${branch}: amount in yuan`);
      expect(await amount.inputValue()).toBe(`${yuan}.00`);
    };
    await act.type(field("params.branches.0.id"), "over_30k", "first branch's id");
    await tier(0, "30000");
    await act.click(byId(page, "add-params.branches"), "add a branch");
    await act.type(field("params.branches.1.id"), "over_10k", "second branch's id");
    await tier(1, "10000");

    /** A rebate of `percent` of the transaction's amount, in yuan. */
    const rebate = async (node: string, percent: string, at: { x: number; y: number }, from: string) => {
      await act.drop("reward", at);
      await byId(page, `node-${node}`).waitFor();
      await act.connect({ node: "split", handle: from }, { node });
      await act.select(field("params.reward.type"), "rebate", `${node}: a rebate`);
      await act.type(field("params.reward.bps"), percent, `${node}: rate in percent`);
      // The journey's currency, typed by nobody.
      expect(await field("params.reward.currency").inputValue()).toBe("CNY");
    };
    await rebate("reward", "5", at(0.7, 0.12), "over_30k");
    await rebate("reward_2", "3", at(0.4, 0.8), "over_10k");

    // A rebate per transaction: people enter every time, not once in a lifetime.
    await act.click(page.locator('[data-testid="canvas"] .react-flow__pane'), "the canvas (journey settings)", {
      x: 12,
      y: 12,
    });
    await act.select(field("entry.reentry"), "always", "enter every time");

    const errors = async () =>
      `${await byId(page, "problems-errors").textContent()} ` +
      (await page.locator('[data-testid="problem"]').allTextContents()).join(" | ");
    await expect.poll(errors).toMatch(/^0\b/);
    await byId(page, "saved").waitFor({ timeout: 15_000 });
    // The split says its rules in words on the canvas, in yuan.
    expect(await byId(page, "rule-words-split-over_30k").textContent()).toContain("本月交易金额合计 ≥ ¥30,000.00");
    expect(await byId(page, "rule-words-split-over_10k").textContent()).toContain("≥ ¥10,000.00");
    await e.shot("rebate-rule-builder");
    console.log(`[rebate] ${act.count} actions:\n  ${act.log.join("\n  ")}`);
    // No JSON typed: every action above is a click, a choice or a typed amount, id or name.
    expect(act.log.filter((a) => /json/i.test(a))).toEqual([]);

    const stored = await e.api.call("GET", `/v1/journeys/${id}`);
    const compiled = compileJourney(stored.body.document);
    expect(compiled.ok, JSON.stringify(compiled.issues)).toBe(true);
    const text = JSON.stringify(compiled);
    expect(text).toContain('"bps":500');
    expect(text).toContain('"bps":300');
    const nodes = stored.body.document.nodes as Array<{ id: string; params: Record<string, any> }>;
    expect(nodes.find((n) => n.id === "split")!.params.branches.map((b: { rule: unknown }) => b.rule)).toEqual([
      { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 3000000] },
      { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 1000000] },
    ]);
  });

  it("undoes one field edit in one step, from the toolbar and with Ctrl+Z alike", async () => {
    const page = e.page;
    await page.locator('[data-testid="node-reward_2"] .kind-node__head').click();
    const bps = byId(page, "field-params.reward.bps");
    await bps.waitFor();
    for (const [how, undo] of [
      ["toolbar", () => byId(page, "btn-undo").click()],
      ["Ctrl+Z", () => page.keyboard.press("Control+z")],
    ] as const) {
      const before = await bps.inputValue();
      // Typed key by key: one field edit, however many keystrokes.
      await bps.fill("");
      await bps.pressSequentially("4.5");
      await bps.blur();
      await expect.poll(() => bps.inputValue(), { message: how }).toBe("4.5");
      await undo();
      await expect.poll(() => bps.inputValue(), { message: how }).toBe(before);
    }
  });

  it("ran with the page quiet", () => {
    expect(e.pageErrors).toEqual([]);
  });
});
