import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import i18next from "i18next";
import { KINDS, LooseNode } from "@lifeloop/shared";
import { useEditor } from "../store/editor.ts";
import { useValidation, validate } from "../store/validation.ts";
import { Inspector } from "./Inspector.tsx";
import { docWithEveryKind, loadAndSelect, nodeIdOf, paramsOf } from "./testing.ts";

type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  $ref?: string;
  items?: JsonSchema;
};

/**
 * The control each top-level param should get, read from zod's own JSON Schema of the kind (an
 * oracle independent of the inspector's schema walker).
 */
function expectedControls(params: z.ZodType, value: Record<string, unknown>): Array<{ key: string; control: string; options?: number }> {
  const js = z.toJSONSchema(params, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const variants = js.oneOf ?? js.anyOf;
  const chosen = variants ? variants.find((v) => Object.entries(v.properties ?? {}).some(([k, p]) => p.const !== undefined && value[k] === p.const))! : js;
  const out: Array<{ key: string; control: string; options?: number }> = [];
  for (const [key, p] of Object.entries(chosen.properties ?? {})) {
    if (p.const !== undefined) out.push({ key, control: "select", options: variants!.length });
    else if (p.$ref) out.push({ key, control: "rule" });
    else if (p.enum) out.push({ key, control: "select", options: p.enum.length });
    else if (p.type === "integer" || p.type === "number") out.push({ key, control: "number" });
    else if (p.type === "boolean") out.push({ key, control: "checkbox" });
    else if (p.type === "string") out.push({ key, control: "text" });
    else if (p.type === "array") out.push({ key, control: "list" });
    else if (p.anyOf?.every((o) => ["string", "number", "boolean", "null"].includes(o.type ?? ""))) out.push({ key, control: "primitive", options: p.anyOf.length });
    else out.push({ key, control: "group" });
  }
  return out;
}

function controlOf(key: string, value: unknown): HTMLElement | null {
  const name = `params.${key}`;
  return screen.queryByTestId(`field-${name}`) ?? screen.queryByTestId(`fieldset-${name}`) ?? (value === undefined ? screen.queryByTestId(`add-${name}`) : null);
}

describe("SchemaForm from the registry", () => {
  beforeEach(async () => {
    await i18next.changeLanguage("en");
  });

  it.each(KINDS.map((k) => [k.kind]))("renders the controls of %s's params from its schema", (kind) => {
    const doc = docWithEveryKind();
    const def = KINDS.find((k) => k.kind === kind)!;
    loadAndSelect(doc, [nodeIdOf(kind)]);
    render(<Inspector />);
    const inspector = screen.getByTestId("inspector");
    expect(within(inspector).getByTestId("inspector-kind").textContent).toBe(def.meta.label.en);
    expect(within(inspector).getByTestId("inspector-node-id").textContent).toBe(nodeIdOf(kind));
    const value = def.defaults() as Record<string, unknown>;
    const expected = expectedControls(def.params, value);
    expect(expected.length).toBeGreaterThan(0);
    for (const { key, control, options } of expected) {
      const el = controlOf(key, value[key]);
      expect(el, `${kind}: control for ${key}`).not.toBeNull();
      switch (control) {
        case "select":
          expect(el!.tagName, `${kind}.${key}`).toBe("SELECT");
          // An optional enum also offers "none".
          expect((el as HTMLSelectElement).options.length - options!, `${kind}.${key} options`).toBeGreaterThanOrEqual(0);
          expect((el as HTMLSelectElement).options.length - options!, `${kind}.${key} options`).toBeLessThanOrEqual(1);
          break;
        case "number":
          expect((el as HTMLInputElement).type, `${kind}.${key}`).toBe("number");
          break;
        case "checkbox":
          expect((el as HTMLInputElement).type, `${kind}.${key}`).toBe("checkbox");
          break;
        case "text":
          expect(["INPUT", "TEXTAREA"]).toContain(el!.tagName);
          break;
        case "rule":
          expect(el!.getAttribute("data-mode"), `${kind}.${key} is a rule builder`).toMatch(/visual|json/);
          break;
        case "primitive": {
          // A value of several JSON types: a type select beside the input.
          const type = screen.getByTestId(`field-params.${key}-type`) as HTMLSelectElement;
          expect(type.options.length).toBe(options);
          expect(el!.tagName).toBe("INPUT");
          break;
        }
        default:
          expect(["FIELDSET", "BUTTON", "DIV"]).toContain(el!.tagName);
      }
    }
  });

  it("switching a wait to 'event' shows event and timeout, and typing a timeout updates the document", async () => {
    loadAndSelect(docWithEveryKind(), ["wait"]);
    render(<Inspector />);
    expect(screen.queryByTestId("field-params.timeout")).toBeNull();
    expect(screen.getByTestId("field-params.duration")).toBeTruthy();
    fireEvent.change(screen.getByTestId("field-params.mode"), { target: { value: "event" } });
    expect(paramsOf("wait")).toEqual({ mode: "event", event: "" });
    expect(screen.queryByTestId("field-params.duration")).toBeNull();
    expect(screen.getByTestId("field-params.event")).toBeTruthy();
    expect(screen.getByTestId("field-params.filter")).toBeTruthy();
    fireEvent.change(screen.getByTestId("field-params.event"), { target: { value: "first_investment" } });
    fireEvent.change(screen.getByTestId("field-params.timeout"), { target: { value: "3d" } });
    expect(paramsOf("wait")).toEqual({ mode: "event", event: "first_investment", timeout: "3d" });
    // One undo step per edit: undo takes the timeout back out, and the form follows.
    act(() => useEditor.temporal.getState().undo());
    expect(paramsOf("wait")).toEqual({ mode: "event", event: "first_investment" });
    expect((screen.getByTestId("field-params.timeout") as HTMLInputElement).value).toBe("");
  });

  it("shows a field error for invalid input and still writes the draft", async () => {
    loadAndSelect(docWithEveryKind(), ["wait"]);
    render(<Inspector />);
    fireEvent.change(screen.getByTestId("field-params.duration"), { target: { value: "soon" } });
    expect(paramsOf("wait")).toEqual({ mode: "duration", duration: "soon" });
    const error = await screen.findByTestId("error-params.duration");
    expect(error.textContent).toContain("a duration such as");
    fireEvent.change(screen.getByTestId("field-params.duration"), { target: { value: "2h" } });
    await waitFor(() => expect(screen.queryByTestId("error-params.duration")).toBeNull());
  });

  it("keeps money and points integers in minor units, with the unit beside", async () => {
    loadAndSelect(docWithEveryKind(), ["reward"]);
    render(<Inspector />);
    const amount = screen.getByTestId("field-params.reward.amount");
    expect(amount.closest(".field")!.textContent).toContain("points");
    fireEvent.change(amount, { target: { value: "250" } });
    const p = paramsOf("reward") as { reward: { amount: unknown } };
    expect(p.reward.amount).toBe(250);
    expect(Number.isInteger(p.reward.amount)).toBe(true);
    fireEvent.change(amount, { target: { value: "2.5" } });
    expect((await screen.findByTestId("error-params.reward.amount")).textContent).toContain("whole number");
    // Emptied: the key goes, and the field says it is required.
    fireEvent.change(amount, { target: { value: "" } });
    expect(paramsOf("reward")).toMatchObject({ reward: { type: "points" } });
    expect((paramsOf("reward") as { reward: object }).reward).not.toHaveProperty("amount");
    await waitFor(() => expect(screen.getByTestId("error-params.reward.amount").textContent).toBe("Required"));
    // A rebate in CNY: the cap is in fen, shown as yuan beside it.
    fireEvent.change(screen.getByTestId("field-params.reward.type"), { target: { value: "rebate" } });
    fireEvent.change(screen.getByTestId("field-params.reward.currency"), { target: { value: "CNY" } });
    fireEvent.change(screen.getByTestId("field-params.reward.max"), { target: { value: "5000" } });
    const r = paramsOf("reward") as { reward: Record<string, unknown> };
    expect(r.reward).toMatchObject({ type: "rebate", currency: "CNY", max: 5000, of: "amount" });
    expect(screen.getByTestId("field-params.reward.max").closest(".field")!.textContent).toMatch(/fen.*¥50\.00/);
  });

  it("adds and removes an optional object (the cap) and its key", () => {
    loadAndSelect(docWithEveryKind(), ["reward"]);
    render(<Inspector />);
    fireEvent.click(screen.getByTestId("remove-params.cap"));
    expect(paramsOf("reward")).not.toHaveProperty("cap");
    fireEvent.click(screen.getByTestId("add-params.budget"));
    expect(paramsOf("reward")).toHaveProperty("budget", { id: "", amount: 0 });
    fireEvent.click(screen.getByTestId("add-params.cap"));
    expect(paramsOf("reward")).toHaveProperty("cap", { period: "day" });
  });

  it("adds, reorders and removes split branches", () => {
    loadAndSelect(docWithEveryKind(), ["split"]);
    render(<Inspector />);
    fireEvent.click(screen.getByTestId("add-params.branches"));
    const ids = () => (paramsOf("split") as { branches: Array<{ id: string }> }).branches.map((b) => b.id);
    expect(ids()).toEqual(["a", "b2"]);
    fireEvent.click(screen.getByTestId("up-params.branches.1"));
    expect(ids()).toEqual(["b2", "a"]);
    fireEvent.click(screen.getByTestId("remove-params.branches.0"));
    expect(ids()).toEqual(["a"]);
    // At the schema's minimum (1) the last branch cannot be removed.
    expect((screen.getByTestId("remove-params.branches.0") as HTMLButtonElement).disabled).toBe(true);
  });

  it("weekdays are checkboxes of whole numbers", () => {
    loadAndSelect(docWithEveryKind(), ["wait"]);
    render(<Inspector />);
    fireEvent.change(screen.getByTestId("field-params.mode"), { target: { value: "until_time" } });
    fireEvent.click(screen.getByTestId("field-params.weekdays-6"));
    fireEvent.click(screen.getByTestId("field-params.weekdays-1"));
    expect(paramsOf("wait")).toMatchObject({ mode: "until_time", weekdays: [1, 6] });
  });

  it("shows the compiler's issues for the selected node at the top and beside the field", () => {
    const doc = docWithEveryKind();
    const wait = doc.nodes.find((n) => n.id === "wait")!;
    wait.params = { mode: "event", event: "first_investment" };
    loadAndSelect(doc, ["wait"]);
    expect(useValidation.getState().byNode.get("wait")?.some((i) => i.code === "wait_without_timeout")).toBe(true);
    render(<Inspector />);
    const top = screen.getByTestId("inspector-issues");
    expect(top.textContent).toContain("needs a timeout");
    expect(screen.getByTestId("issue-params.timeout").textContent).toContain("needs a timeout");
    // Fixing it clears the issue once validation reruns.
    fireEvent.change(screen.getByTestId("field-params.timeout"), { target: { value: "7d" } });
    act(() => useValidation.setState(validate(useEditor.getState().doc!)));
    expect(screen.queryByTestId("issue-params.timeout")).toBeNull();
  });

  it("edits the node's label and deletes it", () => {
    loadAndSelect(docWithEveryKind(), ["goal"]);
    render(<Inspector />);
    fireEvent.change(screen.getByTestId("field-label"), { target: { value: "Invested" } });
    expect(useEditor.getState().doc!.nodes.find((n) => n.id === "goal")!.label).toBe("Invested");
    fireEvent.click(screen.getByTestId("inspector-delete"));
    expect(useEditor.getState().doc!.nodes.some((n) => n.id === "goal")).toBe(false);
    expect(screen.getByTestId("journey-settings")).toBeTruthy();
  });

  it("with several nodes selected offers to delete them", () => {
    loadAndSelect(docWithEveryKind(), ["goal", "exit"]);
    render(<Inspector />);
    expect(screen.getByTestId("inspector-multi").textContent).toBe("2 nodes selected");
    fireEvent.click(screen.getByTestId("inspector-delete"));
    expect(useEditor.getState().doc!.nodes.map((n) => n.id)).not.toContain("exit");
    expect(useEditor.getState().doc!.nodes.map((n) => n.id)).not.toContain("goal");
  });

  it("a node of an unknown kind keeps its params, edited as JSON only when valid", () => {
    const doc = docWithEveryKind();
    doc.nodes.push(LooseNode.parse({ id: "mystery", kind: "teleport", params: { to: "mars" } }));
    loadAndSelect(doc, ["mystery"]);
    render(<Inspector />);
    expect(screen.getByRole("note").textContent).toContain("teleport");
    const json = screen.getByTestId("field-params") as HTMLTextAreaElement;
    expect(JSON.parse(json.value)).toEqual({ to: "mars" });
    fireEvent.change(json, { target: { value: '{"to": ' } });
    expect(paramsOf("mystery")).toEqual({ to: "mars" });
    fireEvent.change(json, { target: { value: '{"to": "venus"}' } });
    expect(paramsOf("mystery")).toEqual({ to: "venus" });
  });

  it("moving the selected node leaves its form alone", () => {
    loadAndSelect(docWithEveryKind(), ["wait"]);
    render(<Inspector />);
    const input = screen.getByTestId("field-params.duration");
    act(() => useEditor.getState().moveNodes({ wait: { x: 999, y: 5 } }, false));
    // Same element (not re-mounted), same value.
    expect(screen.getByTestId("field-params.duration")).toBe(input);
    expect((input as HTMLInputElement).value).toBe("1d");
  });

  it("explains fields that need it, template variables shown as written", () => {
    loadAndSelect(docWithEveryKind(), ["message"]);
    render(<Inspector />);
    const body = screen.getByTestId("field-params.template.body");
    expect(body.tagName).toBe("TEXTAREA");
    expect(body.closest(".field")!.textContent).toContain("{{reward.code}}");
    fireEvent.change(body, { target: { value: "Hi {{profile.nickname | friend}}" } });
    expect(paramsOf("message")).toMatchObject({ channel: "push", template: { body: "Hi {{profile.nickname | friend}}" } });
  });

  it("a value of several JSON types (update-attribute's set) keeps its type", () => {
    loadAndSelect(docWithEveryKind(), ["update_attribute"]);
    render(<Inspector />);
    expect(paramsOf("update_attribute")).toEqual({ op: "set", attribute: "tier", value: "VIP" });
    fireEvent.change(screen.getByTestId("field-params.value-type"), { target: { value: "number" } });
    fireEvent.change(screen.getByTestId("field-params.value"), { target: { value: "3" } });
    expect(paramsOf("update_attribute")).toEqual({ op: "set", attribute: "tier", value: 3 });
    fireEvent.change(screen.getByTestId("field-params.value-type"), { target: { value: "boolean" } });
    fireEvent.click(screen.getByTestId("field-params.value"));
    expect(paramsOf("update_attribute")).toEqual({ op: "set", attribute: "tier", value: true });
    fireEvent.change(screen.getByTestId("field-params.value-type"), { target: { value: "null" } });
    expect(paramsOf("update_attribute")).toEqual({ op: "set", attribute: "tier", value: null });
    // Switching the operation keeps the attribute, which still fits.
    fireEvent.change(screen.getByTestId("field-params.op"), { target: { value: "increment" } });
    expect(paramsOf("update_attribute")).toEqual({ op: "increment", attribute: "tier", by: 0 });
  });

  it("speaks Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    loadAndSelect(docWithEveryKind(), ["wait"]);
    render(<Inspector />);
    expect(screen.getByTestId("inspector-kind").textContent).toBe("等待");
    expect(screen.getByTestId("field-params.mode").closest(".field")!.textContent).toContain("方式");
    expect((screen.getByTestId("field-params.mode") as HTMLSelectElement).selectedOptions[0]!.textContent).toBe("等待时长");
    await i18next.changeLanguage("en");
  });
});
