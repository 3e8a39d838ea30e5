import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomDelay, registerKindForTest } from "@lifeloop/shared/testing";
import { Canvas } from "../canvas/Canvas.tsx";
import { Inspector } from "../inspector/Inspector.tsx";
import { setLang } from "../i18n/index.ts";
import { blankJourney } from "../pages/newJourney.ts";
import { useEditor } from "../store/editor.ts";
import { Palette } from "./Palette.tsx";

/** A kind no editor code knows of appears, and draws, from its registry module alone. */
describe("palette and canvas with a kind only this test registers", () => {
  let unregister: () => void = () => {};
  beforeAll(() => {
    setLang("en");
    unregister = registerKindForTest(randomDelay);
  });
  afterAll(() => unregister());

  it("lists it under its category with its label and adds it on click", () => {
    const onAdd = vi.fn();
    render(<Palette onAdd={onAdd} />);
    const item = screen.getByTestId("palette-random-delay");
    expect(item.closest("section")!.querySelector("h2")!.textContent).toBe("Timing");
    expect(item.textContent).toContain("Random delay");
    fireEvent.click(item);
    expect(onAdd).toHaveBeenCalledWith("random-delay");
  });

  it("draws a dropped node with its defaults' summary, an input and its one branch", async () => {
    useEditor.getState().load(blankJourney({ id: "j", name: "J", timeZone: "Asia/Shanghai" }), null);
    act(() => void useEditor.getState().addNode("random-delay", { x: 300, y: 200 }));
    render(
      <ReactFlowProvider>
        <div style={{ width: 1200, height: 800 }}>
          <Canvas />
        </div>
      </ReactFlowProvider>,
    );
    const drawn = await screen.findByTestId("node-random_delay");
    expect(drawn.textContent).toContain("Wait 1h to 2d");
    const handles = [...drawn.querySelectorAll("[data-handleid]")].map((h) => h.getAttribute("data-handleid"));
    expect(handles.sort()).toEqual(["in", "next"]);
  });

  it("gets an inspector form from its params schema", () => {
    useEditor.getState().load(blankJourney({ id: "j", name: "J", timeZone: "Asia/Shanghai" }), null);
    const id = useEditor.getState().addNode("random-delay", { x: 300, y: 200 });
    useEditor.getState().select({ nodes: [id], edges: [] });
    render(<Inspector />);
    const inspector = screen.getByTestId("inspector");
    expect(within(inspector).getByTestId("inspector-kind").textContent).toBe("Random delay");
    for (const key of ["min", "max"]) expect(within(inspector).getByTestId(`field-params.${key}`)).toBeTruthy();
  });
});
