import { act, render, screen } from "@testing-library/react";
import { ReactFlowProvider, useStoreApi } from "@xyflow/react";
import { beforeEach, describe, expect, it } from "vitest";
import { DraftJourney, KINDS, LooseNode } from "@lifeloop/shared";
import gift from "../../../samples/journeys/activation-newcomer-gift.json";
import { setLang } from "../i18n/index.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { useValidation, validate } from "../store/validation.ts";
import { Canvas } from "./Canvas.tsx";
import { viewOf } from "./summary.ts";

/** Zooms the rendered canvas (React Flow's store, as a wheel zoom would). */
let zoomTo: (zoom: number) => void = () => {};
function ZoomHandle() {
  const store = useStoreApi();
  zoomTo = (zoom) => act(() => store.setState({ transform: [0, 0, zoom] }));
  return null;
}

function show(doc: Doc) {
  useEditor.getState().load(doc, "r1");
  useValidation.setState(validate(doc));
  return render(
    <ReactFlowProvider>
      <ZoomHandle />
      <div style={{ width: 1200, height: 800 }}>
        <Canvas />
      </div>
    </ReactFlowProvider>,
  );
}

beforeEach(() => {
  setLang("en");
  useOverlay.getState().set(null);
});

describe("canvas", () => {
  it("draws every node of a journey with its summary and one handle per branch", async () => {
    show(DraftJourney.parse(gift));
    const wait = await screen.findByTestId("node-wait_invest");
    // The catalog names the event: the summary says it as a person would.
    expect(wait.textContent).toContain("Wait up to 24h for first investment");
    expect(wait.querySelectorAll(".react-flow__handle.source")).toHaveLength(2);
    expect([...wait.querySelectorAll("[data-handleid]")].map((h) => h.getAttribute("data-handleid")).sort()).toEqual([
      "event",
      "in",
      "timeout",
    ]);
    // A trigger has no incoming handle: nothing may lead into it.
    expect(screen.getByTestId("node-registered").querySelector('[data-handleid="in"]')).toBeNull();
    expect(screen.getByTestId("node-gift").textContent).toMatch(/NEWCOMER_GIFT/);
    for (const n of gift.nodes) expect(screen.getByTestId(`node-${n.id}`).dataset.state).toBe("ok");
  });

  it("marks a node the compiler complains about, with how many problems (their words on hover)", async () => {
    const doc = DraftJourney.parse(structuredClone(gift));
    (doc.nodes[1]!.params as { timeout?: string }).timeout = undefined;
    delete (doc.nodes[1]!.params as { timeout?: string }).timeout;
    show(doc);
    const wait = await screen.findByTestId("node-wait_invest");
    expect(wait.dataset.state).toBe("invalid");
    expect(wait.textContent).toContain("⚠ 1 problem");
    expect(wait.getAttribute("title")).toContain("Waiting for “first_investment” needs a timeout");
    expect(screen.getByTestId("node-gift").dataset.state).toBe("ok");
  });

  it("shows overlay counts on nodes and switches language from the registry's labels", async () => {
    show(DraftJourney.parse(gift));
    act(() =>
      useOverlay
        .getState()
        .set({ source: "simulation", nodes: { gift: { count: 1234, detail: "¥20.00" } }, edges: {} }),
    );
    expect((await screen.findByTestId("figures-gift")).textContent).toContain("1,234");
    act(() => setLang("zh-CN"));
    expect((await screen.findByTestId("node-wait_invest")).textContent).toContain("最多等待 24h");
  });

  it("draws less zoomed out: the kind's icon and name far out, boxes with the whole journey in view", async () => {
    const doc = DraftJourney.parse(gift);
    show(doc);
    const look = viewOf(doc.nodes.find((n) => n.id === "wait_invest")!, "en");
    const full = await screen.findByTestId("node-wait_invest");
    expect(full.textContent).toContain("Wait up to 24h for first investment");
    zoomTo(0.3);
    expect(screen.getByTestId("canvas").className).toContain("canvas--far");
    const far = screen.getByTestId("node-wait_invest");
    // The kind (its icon) and the name, never a blank bar; no summary; a handle per branch and the input.
    expect(far.textContent).toContain(look.icon);
    expect(far.textContent).toContain(look.title);
    expect(far.textContent).not.toContain("Wait up to");
    expect([...far.querySelectorAll("[data-handleid]")].map((h) => h.getAttribute("data-handleid")).sort()).toEqual([
      "event",
      "in",
      "timeout",
    ]);
    zoomTo(0.1);
    expect(screen.getByTestId("canvas").className).toContain("canvas--overview");
    // Nothing mounted: every node and edge is on the overview's one bitmap.
    expect(screen.queryByTestId("node-wait_invest")).toBeNull();
    expect(document.querySelectorAll(".react-flow__node, .react-flow__edge")).toHaveLength(0);
    const bitmap = screen.getByTestId("canvas-overview");
    expect(bitmap.dataset.nodes).toBe(String(doc.nodes.length));
    expect(bitmap.dataset.edges).toBe(String(doc.edges.length));
    zoomTo(1);
    expect((await screen.findByTestId("node-wait_invest")).textContent).toContain("Wait up to 24h");
  });

  it("selects, moves and names the boxes of the overview, where none is mounted", async () => {
    const doc = DraftJourney.parse(gift);
    show(doc);
    await screen.findByTestId("node-wait_invest");
    zoomTo(0.1);
    const pane = document.querySelector<HTMLElement>(".react-flow__pane")!;
    // The canvas sits at the page's corner (happy-dom lays nothing out) and the view at 0,0, zoom 0.1:
    // a flow point is at a tenth of it on the screen.
    const wait = doc.nodes.find((n) => n.id === "wait_invest")!.position;
    const gift_ = doc.nodes.find((n) => n.id === "gift")!.position;
    const at = (p: { x: number; y: number }, dx = 0) => ({ clientX: (p.x + 20 + dx) / 10, clientY: (p.y + 20) / 10 });
    const mouse = (type: string, init: MouseEventInit, target: EventTarget = pane) =>
      act(() => void target.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0, ...init })));
    const selected = () => useEditor.getState().selection.nodes;
    const bitmap = () => screen.getByTestId("canvas-overview").dataset;

    mouse("mousedown", at(wait));
    mouse("mouseup", at(wait), window);
    mouse("click", at(wait));
    expect(selected()).toEqual(["wait_invest"]);
    expect(bitmap().selected).toBe("wait_invest");
    // Ctrl adds another; a click on no box clears them.
    mouse("mousedown", { ...at(gift_), ctrlKey: true });
    expect(selected()).toEqual(["wait_invest", "gift"]);
    mouse("click", { clientX: -50, clientY: -50 });
    expect(selected()).toEqual([]);

    // A drag moves the box by the pointer's move over the zoom, in one step of the history.
    mouse("mousedown", at(wait));
    mouse("mousemove", { ...at(wait, 300), buttons: 1 }, window);
    mouse("mousemove", { ...at(wait, 500), buttons: 1 }, window);
    mouse("mouseup", at(wait, 500), window);
    expect(useEditor.getState().doc!.nodes.find((n) => n.id === "wait_invest")!.position).toEqual({
      x: wait.x + 500,
      y: wait.y,
    });
    act(() => useEditor.temporal.getState().undo());
    expect(useEditor.getState().doc!.nodes.find((n) => n.id === "wait_invest")!.position).toEqual(wait);

    // Hovering a box names it.
    mouse("mousemove", at(gift_));
    expect(pane.title).toBe(viewOf(doc.nodes.find((n) => n.id === "gift")!, "en").title);
    mouse("mousemove", { clientX: -50, clientY: -50 });
    expect(pane.hasAttribute("title")).toBe(false);
  });

  it("summarises a freshly dropped node of every kind without throwing", () => {
    for (const k of KINDS) {
      const view = viewOf(LooseNode.parse({ id: "n", kind: k.kind, params: k.defaults() }), "en");
      expect(view.title.length).toBeGreaterThan(0);
      expect(view.summary.length).toBeGreaterThan(0);
    }
    const broken = viewOf(LooseNode.parse({ id: "n", kind: "wait", params: { mode: "event" } }), "zh-CN");
    expect(broken.configured).toBe(false);
    expect(broken.summary).toBe("尚未配置完成");
  });
});
