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
    const box = screen.getByTestId("node-wait_invest");
    expect(box.textContent).toBe("");
    expect(box.getAttribute("title")).toBe(look.title);
    // Edges are drawn on the overview's bitmap, not mounted.
    expect(document.querySelectorAll(".react-flow__edge")).toHaveLength(0);
    zoomTo(1);
    expect((await screen.findByTestId("node-wait_invest")).textContent).toContain("Wait up to 24h");
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
