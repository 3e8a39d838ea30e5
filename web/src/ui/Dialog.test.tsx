import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { AlertDialog, Dialog } from "./Dialog.tsx";

/** A page with a button that opens the dialog and something else to (not) reach behind it. */
function Page({ alert = false, onAction = () => {} }: { alert?: boolean; onAction?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div data-testid="page">
      <button type="button" data-testid="open" onClick={() => setOpen(true)}>
        open
      </button>
      <a href="#behind" data-testid="behind">
        behind
      </a>
      {open && !alert && (
        <Dialog title="A dialog" testId="dialog" onClose={() => setOpen(false)} closeTestId="close">
          <input data-testid="first-field" autoFocus />
          <button type="button" data-testid="last">
            last
          </button>
        </Dialog>
      )}
      {open && alert && (
        <AlertDialog
          title="Sure?"
          testId="alert"
          onClose={() => setOpen(false)}
          cancelTestId="cancel"
          action={{ label: "Do it", testId: "do", run: onAction }}
        >
          <p>It cannot be undone.</p>
        </AlertDialog>
      )}
    </div>
  );
}

const active = () => document.activeElement?.getAttribute("data-testid");

describe("Dialog", () => {
  it(
    "is a named modal dialog: focus moves in, Tab stays inside, the page behind is hidden, Escape closes and " +
      "focus returns",
    async () => {
      render(<Page />);
      const opener = screen.getByTestId("open");
      opener.focus();
      fireEvent.click(opener);
      const dialog = screen.getByRole("dialog", { name: "A dialog" });
      expect(dialog.getAttribute("data-testid")).toBe("dialog");
      // The field asked to be focused is; the dialog's own ✕ is named for a screen reader.
      await waitFor(() => expect(active()).toBe("first-field"));
      expect(screen.getByTestId("close").getAttribute("aria-label")).toBe("Close");

      // Tab from the last focusable element wraps to the first one inside, never to the page.
      screen.getByTestId("last").focus();
      fireEvent.keyDown(document.activeElement!, { key: "Tab" });
      expect(dialog.contains(document.activeElement)).toBe(true);
      expect(active()).toBe("close");
      fireEvent.keyDown(document.activeElement!, { key: "Tab", shiftKey: true });
      expect(active()).toBe("last");

      // Everything outside the dialog is hidden from assistive technology while it is open.
      expect(screen.getByTestId("page").closest("[aria-hidden='true']")).not.toBeNull();

      fireEvent.keyDown(document.activeElement!, { key: "Escape" });
      await waitFor(() => expect(screen.queryByTestId("dialog")).toBeNull());
      await waitFor(() => expect(active()).toBe("open"));
      expect(screen.getByTestId("page").closest("[aria-hidden='true']")).toBeNull();
    },
  );

  it("closes from its ✕", async () => {
    render(<Page />);
    fireEvent.click(screen.getByTestId("open"));
    fireEvent.click(screen.getByTestId("close"));
    await waitFor(() => expect(screen.queryByTestId("dialog")).toBeNull());
  });
});

describe("AlertDialog", () => {
  it(
    "asks with role alertdialog, its message as the description, Cancel focused first; the action runs and " +
      "closes it",
    async () => {
      const run = vi.fn();
      render(<Page alert onAction={run} />);
      fireEvent.click(screen.getByTestId("open"));
      const alert = screen.getByRole("alertdialog", { name: "Sure?" });
      const described = document.getElementById(alert.getAttribute("aria-describedby") ?? "");
      expect(described?.textContent).toBe("It cannot be undone.");
      await waitFor(() => expect(active()).toBe("cancel"));
      fireEvent.click(screen.getByTestId("do"));
      expect(run).toHaveBeenCalledTimes(1);
      await waitFor(() => expect(screen.queryByTestId("alert")).toBeNull());
    },
  );

  it("Escape is Cancel: nothing runs", async () => {
    const run = vi.fn();
    render(<Page alert onAction={run} />);
    fireEvent.click(screen.getByTestId("open"));
    await waitFor(() => expect(active()).toBe("cancel"));
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("alert")).toBeNull());
    expect(run).not.toHaveBeenCalled();
  });
});
