import { fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { useEditor } from "../store/editor.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { docWithEveryKind, loadAndSelect } from "../inspector/testing.ts";
import { useShortcuts } from "./shortcuts.ts";

const selected = () => useEditor.getState().selection.nodes;
const ids = () => useEditor.getState().doc!.nodes.map((n) => n.id);

describe("keyboard shortcuts", () => {
  beforeEach(() => loadAndSelect(docWithEveryKind(), ["wait"]));

  it("act on the canvas: Delete deletes the selection, Escape clears it", () => {
    renderHook(() => useShortcuts());
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(selected()).toEqual([]);
    useEditor.getState().select({ nodes: ["wait"], edges: [] });
    fireEvent.keyDown(document.body, { key: "Delete" });
    expect(ids()).not.toContain("wait");
  });

  it(
    "do nothing behind an open dialog: Escape closes the dialog " + "and the selection stays, Delete deletes nothing",
    async () => {
      renderHook(() => useShortcuts());
      let open = true;
      const { rerender } = render(
        open ? (
          <Dialog title="Publish" testId="dialog" onClose={() => (open = false)}>
            <button type="button">ok</button>
          </Dialog>
        ) : null,
      );
      await waitFor(() => expect(screen.getByTestId("dialog").contains(document.activeElement)).toBe(true));
      fireEvent.keyDown(document.activeElement!, { key: "Delete" });
      expect(ids()).toContain("wait");
      fireEvent.keyDown(document.activeElement!, { key: "Escape" });
      expect(open).toBe(false);
      expect(selected()).toEqual(["wait"]);
      rerender(null);
      await waitFor(() => expect(screen.queryByTestId("dialog")).toBeNull());
    },
  );
});
