import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import i18next from "i18next";
import { KINDS, kindOf, LooseNode } from "@lifeloop/shared";
import { useEditor } from "../store/editor.ts";
import { useValidation, validate } from "../store/validation.ts";
import { Inspector } from "./Inspector.tsx";
import { SchemaForm } from "./SchemaForm.tsx";
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
function expectedControls(
  params: z.ZodType,
  value: Record<string, unknown>,
): Array<{ key: string; control: string; options?: number }> {
  const js = z.toJSONSchema(params, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const variants = js.oneOf ?? js.anyOf;
  const chosen = variants
    ? variants.find((v) =>
        Object.entries(v.properties ?? {}).some(([k, p]) => p.const !== undefined && value[k] === p.const),
      )!
    : js;
  const out: Array<{ key: string; control: string; options?: number }> = [];
  for (const [key, p] of Object.entries(chosen.properties ?? {})) {
    if (p.const !== undefined) out.push({ key, control: "select", options: variants!.length });
    else if (p.$ref) out.push({ key, control: "rule" });
    else if (p.enum) out.push({ key, control: "select", options: p.enum.length });
    else if (p.type === "integer" || p.type === "number") out.push({ key, control: "number" });
    else if (p.type === "boolean") out.push({ key, control: "checkbox" });
    else if (p.type === "string") out.push({ key, control: "text" });
    else if (p.type === "array") out.push({ key, control: "list" });
    else if (p.anyOf?.every((o) => ["string", "number", "boolean", "null"].includes(o.type ?? "")))
      out.push({ key, control: "primitive", options: p.anyOf.length });
    else out.push({ key, control: "group" });
  }
  return out;
}

function controlOf(key: string, value: unknown): HTMLElement | null {
  const name = `params.${key}`;
  return (
    screen.queryByTestId(`field-${name}`) ??
    screen.queryByTestId(`fieldset-${name}`) ??
    (value === undefined ? screen.queryByTestId(`add-${name}`) : null)
  );
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
          expect((el as HTMLSelectElement).options.length - options!, `${kind}.${key} options`).toBeGreaterThanOrEqual(
            0,
          );
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
    // The wait's suggested start: 24 h before the timeout branch (a wait with none cannot publish).
    expect(paramsOf("wait")).toEqual({ mode: "event", event: "", timeout: "24h" });
    expect(screen.queryByTestId("field-params.duration")).toBeNull();
    expect(screen.getByTestId("field-params.event")).toBeTruthy();
    expect(screen.getByTestId("field-params.filter")).toBeTruthy();
    fireEvent.change(screen.getByTestId("field-params.event"), { target: { value: "first_investment" } });
    fireEvent.change(screen.getByTestId("field-params.timeout"), { target: { value: "3d" } });
    expect(paramsOf("wait")).toEqual({ mode: "event", event: "first_investment", timeout: "3d" });
    // One undo step per edit: undo gives the timeout it started with back, and the form follows.
    act(() => useEditor.temporal.getState().undo());
    expect(paramsOf("wait")).toEqual({ mode: "event", event: "first_investment", timeout: "24h" });
    expect((screen.getByTestId("field-params.timeout") as HTMLInputElement).value).toBe("24h");
  });

  it("shows a field error for invalid input and still writes the draft", async () => {
    loadAndSelect(docWithEveryKind(), ["wait"]);
    render(<Inspector />);
    fireEvent.change(screen.getByTestId("field-params.duration"), { target: { value: "soon" } });
    expect(paramsOf("wait")).toEqual({ mode: "duration", duration: "soon" });
    const error = await screen.findByTestId("error-params.duration");
    expect(error.textContent).toBe("A duration such as 30m, 24h, 7d or 2w.");
    fireEvent.change(screen.getByTestId("field-params.duration"), { target: { value: "2h" } });
    await waitFor(() => expect(screen.queryByTestId("error-params.duration")).toBeNull());
  });

  it("keeps points whole, with the unit beside", async () => {
    loadAndSelect(docWithEveryKind(), ["reward"]);
    render(<Inspector />);
    const amount = screen.getByTestId("field-params.reward.amount");
    expect(amount.closest(".field")!.textContent).toContain("points");
    fireEvent.change(amount, { target: { value: "250" } });
    const p = paramsOf("reward") as { reward: { amount: unknown } };
    expect(p.reward.amount).toBe(250);
    fireEvent.change(amount, { target: { value: "2.5" } });
    expect((await screen.findByTestId("error-params.reward.amount")).textContent).toBe(
      "A whole number (of fen, cents or points).",
    );
    // Emptied: the key goes, and the field says it is required.
    fireEvent.change(amount, { target: { value: "" } });
    expect((paramsOf("reward") as { reward: object }).reward).not.toHaveProperty("amount");
    await waitFor(() => expect(screen.getByTestId("error-params.reward.amount").textContent).toBe("Required"));
  });

  it("takes money in yuan and rates in percent, and keeps fen and basis points", () => {
    loadAndSelect(docWithEveryKind(), ["reward"]);
    render(<Inspector />);
    const reward = () => (paramsOf("reward") as { reward: Record<string, unknown> }).reward;
    // A coupon: its value is typed in the workspace's yuan at once, and typing it writes the currency.
    fireEvent.change(screen.getByTestId("field-params.reward.type"), { target: { value: "coupon" } });
    const value = () => screen.getByTestId("field-params.reward.value") as HTMLInputElement;
    expect(reward()).not.toHaveProperty("currency");
    expect(screen.getByTestId("field-params.reward.value-unit").textContent).toBe("¥");
    fireEvent.change(screen.getByTestId("field-params.reward.code"), { target: { value: "NEWCOMER_GIFT" } });
    fireEvent.change(value(), { target: { value: "20" } });
    expect(reward()).toEqual({ type: "coupon", code: "NEWCOMER_GIFT", currency: "CNY", value: 2000 });
    fireEvent.blur(value());
    expect(value().value).toBe("20.00");
    fireEvent.change(value(), { target: { value: "0.29" } });
    expect(reward().value).toBe(29);
    // More decimals than the yuan has: said beside the field, and nothing is written.
    fireEvent.change(value(), { target: { value: "20.555" } });
    expect(screen.getByTestId("typed-error-params.reward.value").textContent).toBe("CNY has at most 2 decimal places");
    expect(reward().value).toBe(29);
    fireEvent.change(value(), { target: { value: "0" } });
    expect(screen.getByTestId("typed-error-params.reward.value").textContent).toBe("At least ¥0.01");
    fireEvent.change(value(), { target: { value: "1,000.5" } });
    expect(reward().value).toBe(100050);
    expect(screen.queryByTestId("typed-error-params.reward.value")).toBeNull();
    // Undo puts the earlier amount back in the field, in yuan.
    act(() => useEditor.temporal.getState().undo());
    expect(value().value).toBe("0.29");

    // A rebate: percent typed, basis points kept; its maximum and the cap in yuan.
    fireEvent.change(screen.getByTestId("field-params.reward.type"), { target: { value: "rebate" } });
    const bps = screen.getByTestId("field-params.reward.bps") as HTMLInputElement;
    expect(screen.getByTestId("field-params.reward.bps-unit").textContent).toBe("%");
    fireEvent.change(bps, { target: { value: "3" } });
    expect(reward()).toMatchObject({ type: "rebate", bps: 300, currency: "CNY" });
    fireEvent.change(bps, { target: { value: "3.255" } });
    expect(screen.getByTestId("typed-error-params.reward.bps").textContent).toBe("At most two decimals, such as 3.25");
    fireEvent.change(bps, { target: { value: "120" } });
    expect(screen.getByTestId("typed-error-params.reward.bps").textContent).toBe("At most 100%");
    expect(reward().bps).toBe(300);
    fireEvent.change(screen.getByTestId("field-params.reward.max"), { target: { value: "50" } });
    expect(reward().max).toBe(5000);
    fireEvent.click(screen.getByTestId("remove-params.cap"));
    fireEvent.click(screen.getByTestId("add-params.cap"));
    fireEvent.change(screen.getByTestId("field-params.cap.amount"), { target: { value: "3000" } });
    expect((paramsOf("reward") as { cap: unknown }).cap).toMatchObject({ amount: 300_000 });
    expect(Number.isInteger(reward().max)).toBe(true);
  });

  it("starts new money in the journey's own currency: a rebate's currency, a coupon's value", () => {
    const doc = docWithEveryKind();
    doc.catalog = { events: {}, attributes: {}, ...doc.catalog, currency: "HKD" };
    loadAndSelect(doc, ["reward"]);
    render(<Inspector />);
    const reward = () => (paramsOf("reward") as { reward: Record<string, unknown> }).reward;
    fireEvent.change(screen.getByTestId("field-params.reward.type"), { target: { value: "rebate" } });
    expect(reward()).toEqual({ type: "rebate", bps: 1, of: "amount", currency: "HKD" });
    expect((screen.getByTestId("field-params.reward.currency") as HTMLInputElement).value).toBe("HKD");
    expect(screen.getByTestId("field-params.reward.max-unit").textContent).toBe("HK$");
    // A coupon keeps the rebate's currency; a currency someone chose is not replaced.
    fireEvent.change(screen.getByTestId("field-params.reward.currency"), { target: { value: "USD" } });
    fireEvent.change(screen.getByTestId("field-params.reward.type"), { target: { value: "coupon" } });
    expect(reward().currency).toBe("USD");
    fireEvent.change(screen.getByTestId("field-params.reward.value"), { target: { value: "5" } });
    expect(reward()).toMatchObject({ currency: "USD", value: 500 });
    // The journey's currency is offered first where a currency is typed.
    const list = screen.getByTestId("field-params.reward.currency").getAttribute("list")!;
    expect(document.getElementById(list)!.querySelector("option")!.getAttribute("value")).toBe("HKD");
  });

  it("waits for a currency where neither the journey nor the workspace has one", () => {
    loadAndSelect(docWithEveryKind(), ["reward"]);
    render(
      <SchemaForm
        schema={kindOf("reward")!.params}
        base="params"
        value={{ reward: { type: "coupon", code: "GIFT" } }}
        onChange={() => {}}
        ruleContext={() => ({ catalog: undefined, triggerEvents: [], segments: [], scope: "run" })}
      />,
    );
    const value = screen.getByTestId("field-params.reward.value") as HTMLInputElement;
    expect(value.disabled).toBe(true);
    expect(value.placeholder).toBe("Choose the currency first");
  });

  it("takes a red packet's total and minimum in yuan once its currency is chosen, in points before", () => {
    loadAndSelect(docWithEveryKind(), ["reward"]);
    render(<Inspector />);
    const reward = () => (paramsOf("reward") as { reward: Record<string, unknown> }).reward;
    fireEvent.change(screen.getByTestId("field-params.reward.type"), { target: { value: "red_packet" } });
    expect(screen.getByText("Claims")).toBeTruthy();
    expect(screen.getByText("Total")).toBeTruthy();
    // No currency: the amounts are whole points.
    fireEvent.change(screen.getByTestId("field-params.reward.total"), { target: { value: "1000" } });
    expect(reward()).toMatchObject({ type: "red_packet", total: 1000 });
    fireEvent.change(screen.getByTestId("field-params.reward.currency"), { target: { value: "CNY" } });
    expect(screen.getByTestId("field-params.reward.total-unit").textContent).toBe("¥");
    fireEvent.change(screen.getByTestId("field-params.reward.total"), { target: { value: "10" } });
    fireEvent.change(screen.getByTestId("field-params.reward.min"), { target: { value: "0.5" } });
    fireEvent.change(screen.getByTestId("field-params.reward.count"), { target: { value: "5" } });
    expect(reward()).toMatchObject({ type: "red_packet", currency: "CNY", total: 1000, min: 50, count: 5 });
  });

  it("says what is wrong with a typed amount in Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    const doc = docWithEveryKind();
    doc.nodes.find((n) => n.id === "reward")!.params = {
      reward: { type: "rebate", bps: 300, of: "amount", currency: "JPY" },
    };
    loadAndSelect(doc, ["reward"]);
    render(<Inspector />);
    expect((screen.getByTestId("field-params.reward.bps") as HTMLInputElement).value).toBe("3");
    expect(screen.getByTestId("field-params.reward.max-unit").textContent).toBe("JP¥");
    fireEvent.change(screen.getByTestId("field-params.reward.max"), { target: { value: "5.5" } });
    expect(screen.getByTestId("typed-error-params.reward.max").textContent).toBe("JPY 只能是整数，不带小数");
    fireEvent.change(screen.getByTestId("field-params.reward.max"), { target: { value: "五十" } });
    expect(screen.getByTestId("typed-error-params.reward.max").textContent).toBe("请输入金额，如 20 或 20.50");
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

  it("adds an experiment's automatic winner, its window labelled for experiments, in English and Chinese", async () => {
    loadAndSelect(docWithEveryKind(), ["experiment"]);
    const { unmount } = render(<Inspector />);
    fireEvent.click(screen.getByTestId("add-params.autoWinner"));
    expect(paramsOf("experiment")).toHaveProperty("autoWinner.metric", "conversion");
    expect(paramsOf("experiment")).toHaveProperty("autoWinner.method", "msprt");
    expect(paramsOf("experiment")).toHaveProperty("autoWinner.fallback", "keep");
    const form = screen.getByTestId("inspector");
    expect(form.textContent).toContain("Automatic winner");
    expect(form.textContent).toContain("If no arm wins");
    const mode = screen.getByTestId("field-params.autoWinner.after.mode") as HTMLSelectElement;
    expect([...mode.options].map((o) => o.textContent)).toEqual([
      "Days after the first assignment",
      "At a date and time",
    ]);
    unmount();
    await i18next.changeLanguage("zh-CN");
    render(<Inspector />);
    expect(screen.getByTestId("inspector").textContent).toContain("自动选出胜者");
    const zh = screen.getByTestId("field-params.autoWinner.after.mode") as HTMLSelectElement;
    expect(zh.selectedOptions[0]!.textContent).toBe("首次分组后若干天");
    await i18next.changeLanguage("en");
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

  it("shows each of the compiler's issues once: beside its field, or at the top when no field shows it", () => {
    const doc = docWithEveryKind();
    const wait = doc.nodes.find((n) => n.id === "wait")!;
    wait.params = { mode: "event", event: "first_investment" };
    loadAndSelect(doc, ["wait"]);
    expect(
      useValidation
        .getState()
        .byNode.get("wait")
        ?.some((i) => i.code === "wait_without_timeout"),
    ).toBe(true);
    render(<Inspector />);
    const top = screen.getByTestId("inspector-issues");
    // Unconnected branches have no field in the form: they are listed at the top, by their canvas label.
    expect(top.textContent).toContain("Branch “Timed out” leads nowhere yet");
    expect(top.textContent).not.toContain("needs a timeout");
    expect(screen.getAllByTestId("issue-params.timeout").map((e) => e.textContent)).toEqual([
      "⚠ Waiting for “first_investment” needs a timeout, or people who never do it wait forever.",
    ]);
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
    expect(paramsOf("message")).toMatchObject({
      channel: "push",
      template: { body: "Hi {{profile.nickname | friend}}" },
    });
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
    expect((screen.getByTestId("field-params.mode") as HTMLSelectElement).selectedOptions[0]!.textContent).toBe(
      "等待时长",
    );
    await i18next.changeLanguage("en");
  });
});
