/**
 * Previewing a message for a sample's person: the sample stream replayed by the real API (a child
 * process), the text as the engine rendered it — reward amounts through `| money` in yuan.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import feeDoc from "../../../samples/journeys/fee-statement.json";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import { useEditor, type Doc } from "../store/editor.ts";
import { pageOnTestApi } from "../testing/page-api.ts";
import { MessagePreview } from "./MessagePreview.tsx";
import { messagesAt } from "./preview.ts";

const doc = compileJourney(tieredDoc).document as Doc;
const api = pageOnTestApi({ lang: "zh-CN", role: "editor" });
beforeEach(async () => {
  useEditor.getState().load(doc, '"r1"');
});

describe("messagesAt", () => {
  it("gives each message a node sent with the person's last reward before it", async () => {
    const run = await api.simulateSample(doc.id);
    const sent = messagesAt(run.effects, doc.id, "notify_5");
    expect(sent.length).toBe(2);
    for (const m of sent) {
      expect(m.lastReward?.unit).toBe("CNY");
      expect(m.text).toMatch(/^本笔交易返利 5%：¥[\d,]+\.\d\d 已到账/);
    }
    expect(messagesAt(run.effects, doc.id, "tier")).toEqual([]);
  });
});

describe("a template's figures in the preview", () => {
  it("shows this month's fee savings as the engine rendered them for the fee-statement sample", async () => {
    const fee = compileJourney(feeDoc).document as Doc;
    const run = await api.simulateSample(fee.id);
    expect(messagesAt(run.effects, fee.id, "savings").map((m) => [m.userId, m.text])).toEqual([
      ["u1", "本月为您节省手续费 ¥12.50（2 笔减免）。"],
      ["u2", "本月为您节省手续费 ¥3.00（1 笔减免）。"],
      ["u3", "本月为您节省手续费 ¥0.00（0 笔减免）。"],
    ]);
    useEditor.getState().load(fee, '"r1"');
    render(<MessagePreview nodeId="savings" />);
    expect((screen.getByTestId("preview-sample") as HTMLSelectElement).value).toBe("fee-statement");
    fireEvent.click(screen.getByTestId("preview-load"));
    const text = await screen.findByTestId("preview-message-text", {}, { timeout: 10_000 });
    expect(text.textContent).toBe("本月为您节省手续费 ¥12.50（2 笔减免）。");
  });
});

describe("MessagePreview", () => {
  it("shows a sample person's message in yuan, with their last reward", async () => {
    render(<MessagePreview nodeId="notify_5" />);
    expect((screen.getByTestId("preview-sample") as HTMLSelectElement).value).toBe("tiered-rebate");
    fireEvent.click(screen.getByTestId("preview-load"));
    const text = await screen.findByTestId("preview-message-text", {}, { timeout: 10_000 });
    expect(text.textContent).toMatch(/¥[\d,]+\.\d\d 已到账/);
    const amount = /¥[\d,]+\.\d\d/.exec(text.textContent!)![0];
    expect(screen.getByTestId("preview-reward").textContent).toBe(`其最近一次奖励：${amount}`);
    const people = screen.getByTestId("preview-person") as HTMLSelectElement;
    expect(people.options.length).toBe(2);
    fireEvent.change(people, { target: { value: "1" } });
    await waitFor(() => expect(screen.getByTestId("preview-message-text").textContent).toMatch(/¥/));
    // A test send reaches the API, which has no engine in this harness and says so.
    fireEvent.click(screen.getByTestId("preview-test-send"));
    await waitFor(() =>
      expect(screen.getByTestId("preview-test-send-result").textContent).toMatch(/no engine is configured/),
    );
  });
});
