import { act, fireEvent, render, renderHook, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import i18n from "../i18n/index.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import { checkJourneyFile, ExportButton, ImportButton, useJourneyFileDrop, useTransfer } from "./transfer.tsx";

const doc = compileJourney(tieredDoc).document as Doc;
const fetchMock = vi.fn<typeof fetch>();

beforeEach(async () => {
  await i18n.changeLanguage("en");
  useEditor.getState().load(doc, '"r1"');
  useTransfer.setState({ problem: null, notice: null, busy: false });
  window.location.hash = "#/journeys/tiered-rebate";
  fetchMock.mockReset();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

async function choose(text: string, name = "journey.json") {
  const file = new File([text], name, { type: "application/json" });
  await act(async () => {
    fireEvent.change(screen.getByTestId("import-file"), { target: { files: [file] } });
  });
}

describe("checkJourneyFile", () => {
  it("refuses what is not JSON, and what is JSON but not a journey, saying where", () => {
    const notJson = checkJourneyFile("{ nodes: [");
    expect(notJson.ok).toBe(false);
    if (!notJson.ok) expect(notJson.issues[0]).toMatchObject({ path: "$", code: "not_json" });
    const notJourney = checkJourneyFile(
      JSON.stringify({ schemaVersion: 1, id: "x", name: "x", nodes: "none", edges: [] }),
    );
    expect(notJourney.ok).toBe(false);
    if (!notJourney.ok) {
      expect(notJourney.journeyId).toBe("x");
      expect(notJourney.issues.map((i) => i.path)).toContain("$.nodes");
    }
    expect(checkJourneyFile(JSON.stringify(tieredDoc))).toEqual({ ok: true, journeyId: "tiered-rebate" });
  });
});

describe("import", () => {
  it("a file that is not JSON is refused here: nothing is sent and the editor is untouched", async () => {
    render(<ImportButton />);
    const before = useEditor.getState();
    await choose("this is not json", "notes.json");
    const dialog = screen.getByTestId("import-errors");
    expect(dialog.textContent).toContain("notes.json");
    expect(within(dialog).getByTestId("issue").dataset.path).toBe("$");
    expect(fetchMock).not.toHaveBeenCalled();
    expect(useEditor.getState().doc).toBe(before.doc);
    expect(useEditor.getState().selection).toBe(before.selection);
    expect(window.location.hash).toBe("#/journeys/tiered-rebate");
  });

  it("a document with a malformed node lists the problem by path and node", async () => {
    render(<ImportButton />);
    const broken = {
      ...tieredDoc,
      id: "other",
      nodes: [...tieredDoc.nodes, { id: "bad node!", kind: "wait", position: { x: 0 } }],
    };
    await choose(JSON.stringify(broken));
    const issues = within(screen.getByTestId("import-errors")).getAllByTestId("issue");
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.dataset.path!.startsWith("$.nodes[6]"))).toBe(true);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(useEditor.getState().doc).toBe(doc);
  });

  it(
    "the API's issues for the journey open here link to its " + "nodes; for another journey they are only listed",
    async () => {
      const refusal = () =>
        Response.json(
          {
            error: {
              code: "invalid_document",
              message: "the journey document is not a journey document",
              issues: [{ path: "$.nodes[2].params", nodeId: "rebate_5", message: "bad params" }],
            },
          },
          { status: 400 },
        );
      fetchMock.mockImplementation(async () => refusal());
      const { unmount } = render(<ImportButton />);
      await choose(JSON.stringify(tieredDoc));
      fireEvent.click(await screen.findByTestId("issue-node-rebate_5"));
      expect(useEditor.getState().selection.nodes).toEqual(["rebate_5"]);
      expect(screen.queryByTestId("import-errors")).toBeNull();
      unmount();

      useTransfer.setState({ problem: null });
      render(<ImportButton />);
      await choose(JSON.stringify({ ...tieredDoc, id: "someone-else" }));
      const node = await screen.findByTestId("issue-node-rebate_5");
      expect(node.tagName).toBe("SPAN");
      expect(window.location.hash).toBe("#/journeys/tiered-rebate");
    },
  );

  it("a good file is sent as it is, and the imported journey opens, saying its id was changed", async () => {
    fetchMock.mockImplementation(async () =>
      Response.json(
        {
          remapped: { from: "tiered-rebate", to: "tiered-rebate-2" },
          migratedFrom: null,
          journey: { id: "tiered-rebate-2", document: { ...doc, id: "tiered-rebate-2" } },
        },
        { status: 201 },
      ),
    );
    render(<ImportButton />);
    const text = JSON.stringify(tieredDoc);
    await choose(text);
    await waitFor(() => expect(window.location.hash).toBe("#/journeys/tiered-rebate-2"));
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/v1/journeys/import?onConflict=rename");
    expect(init!.body).toBe(text);
    expect(useTransfer.getState().notice).toEqual({
      id: "tiered-rebate-2",
      remapped: { from: "tiered-rebate", to: "tiered-rebate-2" },
      migratedFrom: null,
    });
    // Once the imported journey is open, the notice says what happened.
    act(() => useEditor.getState().load({ ...doc, id: "tiered-rebate-2" } as Doc, '"r1"'));
    expect(screen.getByTestId("import-notice").textContent).toContain(
      "“tiered-rebate” was taken, so it is now “tiered-rebate-2”",
    );
  });

  it("dropping a file on the page shows the drop state and imports it", async () => {
    const { result } = renderHook(() => useJourneyFileDrop());
    render(<ImportButton />);
    const drag = (type: string, files: File[] = []) => {
      const e = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(e, "dataTransfer", { value: { types: ["Files"], files, dropEffect: "none" } });
      window.dispatchEvent(e);
      return e;
    };
    act(() => void drag("dragenter"));
    expect(result.current).toBe(true);
    // Drags that carry no files (a palette item) are left to the canvas.
    const palette = new Event("dragenter", { cancelable: true });
    Object.defineProperty(palette, "dataTransfer", { value: { types: ["application/lifeloop-kind"], files: [] } });
    window.dispatchEvent(palette);
    expect(palette.defaultPrevented).toBe(false);
    await act(async () => {
      const e = drag("drop", [new File(["nope"], "x.json", { type: "application/json" })]);
      expect(e.defaultPrevented).toBe(true);
    });
    expect(result.current).toBe(false);
    await screen.findByTestId("import-errors");
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("export", () => {
  it("offers the draft and each version and downloads the one chosen under its file name", async () => {
    fetchMock.mockImplementation(async (input) => {
      const url = String(input);
      if (url.endsWith("/versions"))
        return Response.json({
          items: [
            {
              journeyId: doc.id,
              version: 2,
              publishedAt: "",
              publishedBy: "",
              note: "tiers",
              inFlight: "keep",
              draftRevision: 3,
              cost: {},
              warnings: 0,
              live: true,
            },
            {
              journeyId: doc.id,
              version: 1,
              publishedAt: "",
              publishedBy: "",
              note: "",
              inFlight: "keep",
              draftRevision: 1,
              cost: {},
              warnings: 0,
              live: false,
            },
          ],
        });
      if (url.includes("/export"))
        return new Response(`{"id":"${doc.id}"}\n`, { headers: { "content-type": "application/json" } });
      throw new Error(`unexpected ${url}`);
    });
    const downloads: string[] = [];
    const onClick = (e: MouseEvent) => {
      const a = e.target as HTMLAnchorElement;
      if (a.tagName === "A" && a.download) {
        downloads.push(a.download);
        e.preventDefault();
      }
    };
    document.addEventListener("click", onClick, true);
    try {
      render(<ExportButton />);
      // By keyboard: the menu opens on ↓ with its first item focused, ↓ moves, Enter picks.
      const trigger = screen.getByTestId("btn-export");
      trigger.focus();
      fireEvent.keyDown(trigger, { key: "ArrowDown" });
      const menu = await screen.findByRole("menu");
      await waitFor(() => expect(document.activeElement?.getAttribute("data-testid")).toBe("export-draft"));
      await screen.findByTestId("export-version-1");
      // Radix moves the focus a tick after the key.
      for (const next of ["export-version-2", "export-version-1"]) {
        fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
        await waitFor(() => expect(document.activeElement?.getAttribute("data-testid")).toBe(next));
      }
      expect(
        within(menu)
          .getAllByRole("menuitem")
          .map((m) => m.getAttribute("data-testid")),
      ).toEqual(["export-draft", "export-version-2", "export-version-1"]);
      fireEvent.keyDown(document.activeElement!, { key: "Enter" });
      await waitFor(() => expect(downloads).toEqual(["tiered-rebate.v1.json"]));
      expect(String(fetchMock.mock.calls.at(-1)![0])).toBe("/v1/journeys/tiered-rebate/export?version=1");
      await waitFor(() => expect(screen.queryByTestId("export-menu")).toBeNull());

      // Escape closes it without picking, and focus goes back to the button.
      fireEvent.keyDown(trigger, { key: "ArrowDown" });
      await screen.findByTestId("export-menu");
      fireEvent.keyDown(document.activeElement!, { key: "Escape" });
      await waitFor(() => expect(screen.queryByTestId("export-menu")).toBeNull());
      expect(document.activeElement).toBe(trigger);

      // By mouse.
      fireEvent.pointerDown(trigger, { button: 0, ctrlKey: false, pointerType: "mouse" });
      expect((await screen.findByTestId("export-menu")).textContent).toContain("Version 2 · live — tiers");
      fireEvent.click(screen.getByTestId("export-draft"));
      await waitFor(() => expect(downloads).toEqual(["tiered-rebate.v1.json", "tiered-rebate.json"]));
      expect(String(fetchMock.mock.calls.at(-1)![0])).toBe("/v1/journeys/tiered-rebate/export");
    } finally {
      document.removeEventListener("click", onClick, true);
    }
  });
});
