/**
 * A test event against the draft, through the real API's simulate (a child process): ¥12,000 typed
 * in yuan passes the ¥10,000 tier, the 3 % rebate of ¥360.00 is granted, the path is on the canvas
 * and the why names branches as the canvas labels them, in Chinese.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import { useEditor, type Doc } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { usePersistence } from "../store/persistence.ts";
import { pageOnTestApi } from "../testing/page-api.ts";
import { TestEventPanel } from "./TestEventPanel.tsx";

const doc = compileJourney(tieredDoc).document as Doc;
pageOnTestApi({ lang: "zh-CN", role: "editor" });
const AT = Date.parse("2026-11-20T04:00:00Z");
beforeEach(async () => {
  useEditor.getState().load(doc, '"r1"');
  useOverlay.getState().set(null);
});

describe("TestEventPanel", () => {
  it("sends a catalog event for a test person to the draft and draws their path", async () => {
    render(<TestEventPanel onClose={() => {}} now={() => AT} />);
    expect((screen.getByTestId("test-event-type") as HTMLInputElement).value).toBe("transaction");
    fireEvent.change(screen.getByTestId("test-event-prop-amount"), { target: { value: "12000" } });
    fireEvent.blur(screen.getByTestId("test-event-prop-amount"));
    fireEvent.click(screen.getByTestId("test-event-send"));
    const timeline = await screen.findByTestId("test-event-timeline", {}, { timeout: 10_000 });
    expect(timeline.textContent).toContain("¥360.00");
    // The canvas overlay is set by an effect after the timeline's render commits, so it is awaited too.
    await waitFor(() =>
      expect(useOverlay.getState().overlay?.path).toEqual(["transaction", "tier", "rebate_3", "notify_3"]),
    );
    expect(useOverlay.getState().overlay?.pathEdges).toEqual(expect.arrayContaining(["e1", "e3"]));
    // Branches by the canvas's label, not the handle id.
    expect(timeline.textContent).not.toContain("over_10k");
  });

  it("offers the live version only once there is one, and says what sending to it does", async () => {
    usePersistence.setState({ detail: null });
    const { unmount } = render(<TestEventPanel onClose={() => {}} now={() => AT} />);
    const live = () => screen.getByTestId("test-event-target-live") as HTMLInputElement;
    expect(live().disabled).toBe(true);
    expect(live().closest("label")!.textContent).toBe("线上版本（尚未发布）");
    expect((screen.getByTestId("test-event-target-draft") as HTMLInputElement).checked).toBe(true);
    unmount();
    const detail = await (await fetch("/v1/journeys/tiered-rebate")).json();
    usePersistence.getState().setDetail({ ...detail, liveVersion: 2 });
    render(<TestEventPanel onClose={() => {}} now={() => AT} />);
    expect(live().disabled).toBe(false);
    fireEvent.click(live());
    expect(live().closest("label")!.textContent).toBe("线上版本（v2，由引擎运行）");
    expect(screen.getByTestId("test-event-live-note").textContent).toContain("真实事件");
    expect(screen.getByTestId("test-event-send").textContent).toBe("发送到线上版本");
    usePersistence.setState({ detail: null });
  });
});
