import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import i18next from "i18next";
import type { Rule } from "@lifeloop/shared";
import { useObserved } from "../catalog/observed.ts";
import { useEditor } from "../store/editor.ts";
import { Inspector } from "./Inspector.tsx";
import { RuleBuilder } from "./RuleBuilder.tsx";
import { ruleToQuery, sameRule, type RuleContext } from "./rules.ts";
import { docWithEveryKind, loadAndSelect, paramsOf } from "./testing.ts";

const SAMPLES = join(import.meta.dirname, "../../../samples/journeys");
const CONTEXT: RuleContext = {
  catalog: {
    events: { transaction: { props: { amount: "number" } }, app_open: { props: {} } },
    attributes: { tier: "string" },
  },
  triggerEvents: [],
  segments: [],
  scope: "run",
};

function sampleRules(): Array<[string, Rule]> {
  const out: Array<[string, Rule]> = [];
  for (const file of readdirSync(SAMPLES).filter((f) => f.endsWith(".json"))) {
    const walk = (v: unknown, path: string): void => {
      if (!v || typeof v !== "object") return;
      for (const [k, x] of Object.entries(v)) {
        if (k === "rule" || k === "filter" || k === "condition") out.push([`${file} ${path}.${k}`, x as Rule]);
        else walk(x, `${path}.${k}`);
      }
    };
    walk(JSON.parse(readFileSync(join(SAMPLES, file), "utf8")), "$");
  }
  return out;
}

const leaves = (rule: unknown): number => {
  if (!rule || typeof rule !== "object" || Array.isArray(rule)) return 0;
  const [op, args] = Object.entries(rule)[0]!;
  return op === "and" || op === "or" ? (args as unknown[]).reduce<number>((n, a) => n + leaves(a), 0) : 1;
};

describe("RuleBuilder", () => {
  beforeEach(async () => {
    await i18next.changeLanguage("en");
  });

  it.each(sampleRules())("%s: shown visually when supported, else raw and unchanged", (_where, rule) => {
    const onChange = vi.fn();
    render(<RuleBuilder value={rule} onChange={onChange} context={CONTEXT} testId="r" />);
    const root = screen.getByTestId("r");
    if (ruleToQuery(rule).ok) {
      expect(root.getAttribute("data-mode")).toBe("visual");
      expect(within(root).getAllByTestId("rule")).toHaveLength(leaves(rule));
      expect(screen.queryByTestId("r-raw-notice")).toBeNull();
    } else {
      expect(root.getAttribute("data-mode")).toBe("json");
      expect(screen.getByTestId("r-raw-notice")).toBeTruthy();
      expect(JSON.parse((screen.getByTestId("r-json") as HTMLTextAreaElement).value)).toEqual(rule);
      // Asking for the visual view keeps the rule raw rather than dropping what it can't show.
      fireEvent.click(screen.getByTestId("r-mode-visual"));
      expect(root.getAttribute("data-mode")).toBe("json");
    }
    // Opening a rule never rewrites it.
    expect(onChange).not.toHaveBeenCalled();
  });

  it("shows aggregates as pseudo-fields with their window", () => {
    render(
      <RuleBuilder
        value={{ ">": [{ agg_sum: ["transaction", "amount", "month"] }, 3000000] }}
        onChange={() => {}}
        context={CONTEXT}
        testId="r"
      />,
    );
    const field = within(screen.getByTestId("rule")).getByTestId("fields") as HTMLSelectElement;
    expect(field.selectedOptions[0]!.textContent).toBe("Sum of transaction amount · this month");
    expect((within(screen.getByTestId("rule")).getByTestId("value-editor") as HTMLInputElement).value).toBe("3000000");
  });

  it("edits a condition node's rule visually and writes JSON-logic to the store", () => {
    loadAndSelect(docWithEveryKind(), ["condition"]);
    render(<Inspector />);
    const builder = screen.getByTestId("field-params.rule");
    fireEvent.change(within(builder).getByTestId("value-editor"), { target: { value: "Gold" } });
    expect(paramsOf("condition")).toEqual({ rule: { "==": [{ var: "profile.tier" }, "Gold"] } });

    // A second row: this month's transacted amount at least 500,000 (minor units, a number).
    fireEvent.click(within(builder).getByTestId("add-rule"));
    const rows = within(builder).getAllByTestId("rule");
    const row = rows[1]!;
    const agg = [...(within(row).getByTestId("fields") as HTMLSelectElement).options].find(
      (o) => o.textContent === "Sum of transaction amount · this month",
    )!;
    fireEvent.change(within(row).getByTestId("fields"), { target: { value: agg.value } });
    fireEvent.change(within(screen.getAllByTestId("rule")[1]!).getByTestId("operators"), { target: { value: ">=" } });
    fireEvent.change(within(screen.getAllByTestId("rule")[1]!).getByTestId("value-editor"), {
      target: { value: "500000" },
    });
    expect(paramsOf("condition")).toEqual({
      rule: {
        and: [
          { "==": [{ var: "profile.tier" }, "Gold"] },
          { ">=": [{ agg_sum: ["transaction", "amount", "month"] }, 500000] },
        ],
      },
    });
    // AND → OR.
    fireEvent.change(within(builder).getAllByTestId("combinators")[0]!, { target: { value: "or" } });
    expect((paramsOf("condition") as { rule: Record<string, unknown> }).rule).toHaveProperty("or");
  });

  it("types money rule values in yuan when the catalog marks the field as money, and keeps fen", () => {
    const money: RuleContext = {
      ...CONTEXT,
      catalog: { currency: "CNY", events: { transaction: { props: { amount: "money" } } }, attributes: {} },
    };
    const onChange = vi.fn();
    const tiered = { ">": [{ agg_sum: ["transaction", "amount", "month"] }, 3000000] };
    render(<RuleBuilder value={tiered} onChange={onChange} context={money} testId="r" />);
    const input = screen.getByTestId("rule-money-0") as HTMLInputElement;
    // ¥30,000.00 as people say it; the rule still holds 3,000,000 fen.
    expect(input.value).toBe("30000.00");
    expect(screen.getByTestId("rule-money-0-unit").textContent).toBe("¥");
    fireEvent.change(input, { target: { value: "10,000" } });
    expect(onChange).toHaveBeenLastCalledWith({ ">": [{ agg_sum: ["transaction", "amount", "month"] }, 1000000] });
    fireEvent.change(input, { target: { value: "10000.001" } });
    expect(screen.getByTestId("typed-error-rule-money-0").textContent).toBe("CNY has at most 2 decimal places");
    expect(onChange).toHaveBeenCalledTimes(1);
    fireEvent.change(input, { target: { value: "10000" } });
    fireEvent.blur(input);
    // The same sum over another window is money too.
    fireEvent.change(screen.getByTestId("agg-window"), { target: { value: "week" } });
    expect(onChange).toHaveBeenLastCalledWith({ ">": [{ agg_sum: ["transaction", "amount", "week"] }, 1000000] });
    expect((screen.getByTestId("rule-money-0") as HTMLInputElement).value).toBe("10000.00");
    // Between two amounts.
    fireEvent.change(screen.getByTestId("operators"), { target: { value: "between" } });
    fireEvent.change(screen.getByTestId("rule-money-0"), { target: { value: "100" } });
    fireEvent.change(screen.getByTestId("rule-money-1"), { target: { value: "200.5" } });
    expect(onChange).toHaveBeenLastCalledWith({ "<=": [10000, { agg_sum: ["transaction", "amount", "week"] }, 20050] });
  });

  it("keeps a plain number a plain number when the catalog does not say it is money", () => {
    render(
      <RuleBuilder
        value={{ ">": [{ var: "event.props.amount" }, 5] }}
        onChange={vi.fn()}
        context={{ ...CONTEXT, eventType: "transaction" }}
        testId="r"
      />,
    );
    expect(screen.queryByTestId("rule-money-0")).toBeNull();
    expect((screen.getByTestId("value-editor") as HTMLInputElement).value).toBe("5");
  });

  it("offers an event the workspace has seen and adds it to the journey's catalog in one click", () => {
    useObserved.setState({
      catalog: { events: { top_up: { props: { amount: "number", channel: "string" } } }, attributes: {} },
    });
    try {
      loadAndSelect(docWithEveryKind(), ["condition"]);
      render(<Inspector />);
      const builder = screen.getByTestId("field-params.rule");
      const row = () => within(builder).getAllByTestId("rule")[0]!;
      // A field over a declared event (the person's tier) offers nothing to add.
      expect(within(row()).queryByTestId("add-to-catalog")).toBeNull();
      const sum = [...(within(row()).getByTestId("fields") as HTMLSelectElement).options].find(
        (o) => o.textContent === "Sum of top_up amount · this month",
      );
      expect(sum, "the seen event's sum is offered with no setup").toBeDefined();
      fireEvent.change(within(row()).getByTestId("fields"), { target: { value: sum!.value } });
      const add = within(row()).getByTestId("add-to-catalog");
      expect(add.textContent).toBe("+ Add to catalog");
      fireEvent.click(add);
      expect(useEditor.getState().doc!.catalog!.events.top_up).toEqual({
        props: { amount: "number", channel: "string" },
      });
      // Declared: the journey's own events are untouched and the button is gone.
      expect(useEditor.getState().doc!.catalog!.events.app_open).toEqual({ props: {} });
      expect(within(row()).queryByTestId("add-to-catalog")).toBeNull();
      // One action, one undo step.
      act(() => useEditor.temporal.getState().undo());
      expect(useEditor.getState().doc!.catalog!.events).not.toHaveProperty("top_up");
    } finally {
      useObserved.setState({ catalog: undefined });
    }
  });

  it("adds a sample's money event with its currency and labels, in Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    const doc = docWithEveryKind();
    doc.catalog = { events: { app_open: { props: {} } }, attributes: {} };
    loadAndSelect(doc, ["condition"]);
    render(<Inspector />);
    const row = () => within(screen.getByTestId("field-params.rule")).getAllByTestId("rule")[0]!;
    const sum = [...(within(row()).getByTestId("fields") as HTMLSelectElement).options].find(
      (o) => o.textContent === "交易金额合计 · 本月",
    );
    expect(sum).toBeDefined();
    fireEvent.change(within(row()).getByTestId("fields"), { target: { value: sum!.value } });
    fireEvent.click(within(row()).getByTestId("add-to-catalog"));
    expect(useEditor.getState().doc!.catalog!.events.transaction).toMatchObject({
      props: { amount: "money" },
      currency: "CNY",
      label: { "zh-CN": "交易" },
      propLabels: { amount: { "zh-CN": "金额" } },
    });
  });

  it("offers the event's props, the trigger's props, profile attributes and segments", () => {
    const doc = docWithEveryKind();
    doc.nodes.find((n) => n.id === "trigger")!.params = { mode: "event", event: "transaction" };
    loadAndSelect(doc, ["condition"]);
    render(<Inspector />);
    const options = [
      ...(within(screen.getByTestId("field-params.rule")).getByTestId("fields") as HTMLSelectElement).options,
    ].map((o) => o.value);
    expect(options).toEqual(
      expect.arrayContaining([
        "event.props.amount",
        "trigger.props.amount",
        "profile.tier",
        "profile.registeredAt",
        "@in_segment",
      ]),
    );
    expect(options.some((o) => o.includes("agg_count") && o.includes("app_open"))).toBe(true);
  });

  it("raw JSON: refuses invalid JSON with where it stopped and leaves the store unchanged; applies valid JSON", () => {
    loadAndSelect(docWithEveryKind(), ["condition"]);
    render(<Inspector />);
    const before = useEditor.getState().doc;
    fireEvent.click(screen.getByTestId("field-params.rule-mode-json"));
    const textarea = screen.getByTestId("field-params.rule-json") as HTMLTextAreaElement;
    expect(JSON.parse(textarea.value)).toEqual({ "==": [{ var: "profile.tier" }, "VIP"] });
    fireEvent.change(textarea, { target: { value: '{"==": [{"var": "profile.tier"},\n  "VIP"' } });
    const error = screen.getByTestId("field-params.rule-json-error");
    // Cut off at the end: where it stopped is the end of the text.
    expect(error.textContent).toMatch(/^Not applied \(line 2, column 8\)/);
    fireEvent.change(textarea, { target: { value: '{"==": [\n  {"var": "profile.tier"}}' } });
    expect(screen.getByTestId("field-params.rule-json-error").textContent).toMatch(/line 2, column 26/);
    expect(useEditor.getState().doc).toBe(before);

    fireEvent.change(textarea, { target: { value: '{"__proto__": {"x": 1}}' } });
    expect(screen.getByTestId("field-params.rule-json-error").textContent).toContain("__proto__");
    expect(useEditor.getState().doc).toBe(before);

    fireEvent.change(textarea, { target: { value: '{"===": [{"var": "profile.tier"}, "SVIP"]}' } });
    expect(screen.queryByTestId("field-params.rule-json-error")).toBeNull();
    expect(paramsOf("condition")).toEqual({ rule: { "===": [{ var: "profile.tier" }, "SVIP"] } });
    // Strict equality has no visual form: the notice says so and the rule stays as typed.
    expect(screen.getByTestId("field-params.rule-raw-notice")).toBeTruthy();
    fireEvent.click(screen.getByTestId("field-params.rule-mode-visual"));
    expect(screen.getByTestId("field-params.rule").getAttribute("data-mode")).toBe("json");

    fireEvent.change(screen.getByTestId("field-params.rule-json"), {
      target: { value: '{">=": [{"agg_count": ["app_open", "30d"]}, 3]}' },
    });
    fireEvent.click(screen.getByTestId("field-params.rule-mode-visual"));
    expect(screen.getByTestId("field-params.rule").getAttribute("data-mode")).toBe("visual");
    expect(within(screen.getByTestId("field-params.rule")).getAllByTestId("rule")).toHaveLength(1);
  });

  it("an optional filter emptied is removed, not set to true", () => {
    const doc = docWithEveryKind();
    doc.nodes.find((n) => n.id === "trigger")!.params = {
      mode: "event",
      event: "transaction",
      filter: { ">=": [{ var: "event.props.amount" }, 10000] },
    };
    loadAndSelect(doc, ["trigger"]);
    render(<Inspector />);
    fireEvent.click(within(screen.getByTestId("field-params.filter")).getByTestId("remove-rule"));
    expect(paramsOf("trigger")).toEqual({ mode: "event", event: "transaction" });
  });

  it("between writes a three-operand <=, and segment membership picks from the journey's segments", () => {
    const onChange = vi.fn();
    const ctx: RuleContext = {
      ...CONTEXT,
      segments: [
        { id: "vip", name: "VIP" },
        { id: "new", name: "Newcomers" },
      ],
    };
    render(
      <RuleBuilder
        value={{ ">=": [{ agg_count: ["app_open", "30d"] }, 3] }}
        onChange={onChange}
        context={ctx}
        testId="r"
      />,
    );
    fireEvent.change(within(screen.getByTestId("rule")).getByTestId("operators"), { target: { value: "between" } });
    const inputs = within(screen.getByTestId("rule")).getAllByRole("spinbutton");
    expect(inputs).toHaveLength(2);
    fireEvent.change(inputs[0]!, { target: { value: "3" } });
    fireEvent.change(within(screen.getByTestId("rule")).getAllByRole("spinbutton")[1]!, { target: { value: "10" } });
    expect(onChange).toHaveBeenLastCalledWith({ "<=": [3, { agg_count: ["app_open", "30d"] }, 10] });

    fireEvent.change(within(screen.getByTestId("rule")).getByTestId("fields"), { target: { value: "@in_segment" } });
    const value = within(screen.getByTestId("rule")).getByTestId("value-editor") as HTMLSelectElement;
    expect([...value.options].map((o) => o.value)).toEqual(["vip", "new"]);
    fireEvent.change(value, { target: { value: "new" } });
    expect(onChange).toHaveBeenLastCalledWith({ in_segment: ["new"] });
  });

  it("an aggregate's window is chosen beside its field, keeping the comparison", () => {
    const onChange = vi.fn();
    render(
      <RuleBuilder
        value={{ ">=": [{ agg_count: ["app_open", "30d"] }, 3] }}
        onChange={onChange}
        context={CONTEXT}
        testId="r"
      />,
    );
    const window = within(screen.getByTestId("rule")).getByTestId("agg-window") as HTMLSelectElement;
    expect(window.value).toBe("30d");
    fireEvent.change(window, { target: { value: "7d" } });
    expect(onChange).toHaveBeenLastCalledWith({ ">=": [{ agg_count: ["app_open", "7d"] }, 3] });
    expect(
      (within(screen.getByTestId("rule")).getByTestId("fields") as HTMLSelectElement).selectedOptions[0]!.textContent,
    ).toBe("Count of app_open · last 7 days");
  });

  it("Not negates the group, and the negated rule opens visually again", () => {
    const onChange = vi.fn();
    const rule = { "==": [{ var: "profile.tier" }, "VIP"] };
    render(<RuleBuilder value={rule} onChange={onChange} context={CONTEXT} testId="r" />);
    fireEvent.click(
      within(screen.getByTestId("r")).getAllByTestId("not-toggle")[0]!.querySelector("input") ??
        within(screen.getByTestId("r")).getAllByTestId("not-toggle")[0]!,
    );
    const negated = onChange.mock.lastCall![0] as Rule;
    expect(negated).toEqual({ "!": { and: [rule] } });
    expect(ruleToQuery(negated).ok).toBe(true);
  });

  it("labels operators in Chinese", async () => {
    await i18next.changeLanguage("zh-CN");
    render(
      <RuleBuilder
        value={{ ">=": [{ agg_count: ["app_open", "30d"] }, 3] }}
        onChange={() => {}}
        context={CONTEXT}
        testId="r"
      />,
    );
    const row = screen.getByTestId("rule");
    expect((within(row).getByTestId("operators") as HTMLSelectElement).selectedOptions[0]!.textContent).toBe(
      "大于等于",
    );
    expect((within(row).getByTestId("fields") as HTMLSelectElement).selectedOptions[0]!.textContent).toBe(
      "app_open 次数 · 近30天",
    );
    await i18next.changeLanguage("en");
  });

  it("keeps what the builder shows equal to the rule after an undo", () => {
    loadAndSelect(docWithEveryKind(), ["condition"]);
    render(<Inspector />);
    fireEvent.change(within(screen.getByTestId("field-params.rule")).getByTestId("value-editor"), {
      target: { value: "Gold" },
    });
    useEditor.temporal.getState().undo();
    const rule = (paramsOf("condition") as { rule: Rule }).rule;
    expect(sameRule(rule, { "==": [{ var: "profile.tier" }, "VIP"] })).toBe(true);
  });
});
