import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Inspector } from "../inspector/Inspector.tsx";
import { docWithEveryKind, loadAndSelect, paramsOf } from "../inspector/testing.ts";
import { undo, useEditor } from "./editor.ts";

const steps = () => useEditor.temporal.getState().pastStates.length;

describe("one undo step per field edit", () => {
  it("records typing into a field, keystroke by keystroke, as one step; undo gives back the field as it was", () => {
    loadAndSelect(docWithEveryKind(), ["trigger"]);
    render(<Inspector />);
    const field = screen.getByTestId("field-params.event") as HTMLInputElement;
    const before = paramsOf("trigger");
    fireEvent.focus(field);
    for (const typed of ["r", "re", "reg", "registered"]) fireEvent.change(field, { target: { value: typed } });
    fireEvent.blur(field);
    expect(paramsOf("trigger")).toMatchObject({ event: "registered" });
    expect(steps()).toBe(1);
    // What the toolbar's undo and Ctrl+Z both call, once the field has lost focus.
    undo();
    expect(paramsOf("trigger")).toEqual(before);
  });

  it("makes two steps of two field edits, and of a select's two choices", () => {
    loadAndSelect(docWithEveryKind(), ["wait"]);
    render(<Inspector />);
    fireEvent.change(screen.getByTestId("field-params.mode"), { target: { value: "event" } });
    const event = screen.getByTestId("field-params.event");
    fireEvent.focus(event);
    fireEvent.change(event, { target: { value: "f" } });
    fireEvent.change(event, { target: { value: "first_investment" } });
    fireEvent.blur(event);
    const timeout = screen.getByTestId("field-params.timeout");
    // Switched to waiting for an event: a 24 h timeout to start with.
    expect((timeout as HTMLInputElement).value).toBe("24h");
    fireEvent.focus(timeout);
    fireEvent.change(timeout, { target: { value: "4" } });
    fireEvent.change(timeout, { target: { value: "48h" } });
    fireEvent.blur(timeout);
    expect(steps()).toBe(3);
    undo();
    expect(paramsOf("wait")).toMatchObject({ mode: "event", event: "first_investment", timeout: "24h" });
    undo();
    expect(paramsOf("wait")).toMatchObject({ mode: "event", event: "", timeout: "24h" });
  });
});
