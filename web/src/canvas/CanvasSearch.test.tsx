import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { beforeEach, describe, expect, it } from "vitest";
import { DraftJourney } from "@lifeloop/shared";
import gift from "../../../samples/journeys/activation-newcomer-gift.json";
import { setLang } from "../i18n/index.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import { Canvas } from "./Canvas.tsx";

function show(doc: Doc) {
  useEditor.getState().load(doc, "r1");
  return render(
    <ReactFlowProvider>
      <div style={{ width: 1200, height: 800 }}>
        <Canvas />
      </div>
    </ReactFlowProvider>,
  );
}

beforeEach(() => setLang("en"));

describe("canvas search and notes", () => {
  it("counts matches as you type and selects them on Enter", async () => {
    show(DraftJourney.parse(gift));
    await screen.findByTestId("node-gift");
    const box = screen.getByTestId("canvas-search");
    fireEvent.change(box, { target: { value: "reward" } });
    expect(screen.getByTestId("canvas-search-count").textContent).toBe("1 node");
    expect(useEditor.getState().selection.nodes).toEqual([]);
    fireEvent.keyDown(box, { key: "Enter" });
    expect(useEditor.getState().selection.nodes).toEqual(["gift"]);
    fireEvent.keyDown(box, { key: "Escape" });
    expect((box as HTMLInputElement).value).toBe("");
  });

  it("draws a node's note on the canvas once it is written", async () => {
    show(DraftJourney.parse(gift));
    await screen.findByTestId("node-gift");
    expect(screen.queryByTestId("note-gift")).toBeNull();
    useEditor.getState().updateNode("gift", { note: "Coupon code from the CRM team" });
    await waitFor(() => expect(screen.getByTestId("note-gift").textContent).toContain("Coupon code from the CRM team"));
    useEditor.getState().updateNode("gift", { note: "" });
    await waitFor(() => expect(screen.queryByTestId("note-gift")).toBeNull());
    expect(useEditor.getState().doc!.nodes.find((n) => n.id === "gift")).not.toHaveProperty("note");
  });
});
