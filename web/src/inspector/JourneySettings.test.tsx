import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import i18next from "i18next";
import { DraftJourney } from "@lifeloop/shared";
import { useEditor, type Doc } from "../store/editor.ts";
import { Inspector } from "./Inspector.tsx";
import { docWithEveryKind, loadAndSelect } from "./testing.ts";

const doc = (): Doc => useEditor.getState().doc!;

describe("JourneySettings (nothing selected)", () => {
  beforeEach(async () => {
    await i18next.changeLanguage("en");
  });

  it("edits name, description and time zone, with IANA zones offered", () => {
    loadAndSelect(docWithEveryKind(), []);
    render(<Inspector />);
    expect(screen.getByTestId("journey-settings")).toBeTruthy();
    fireEvent.change(screen.getByTestId("field-name"), { target: { value: "Newcomer gift" } });
    fireEvent.change(screen.getByTestId("field-description"), { target: { value: "Welcome" } });
    fireEvent.change(screen.getByTestId("field-timeZone"), { target: { value: "UTC" } });
    expect(doc()).toMatchObject({ name: "Newcomer gift", description: "Welcome", timeZone: "UTC" });
    const list = document.getElementById(screen.getByTestId("field-timeZone").getAttribute("list")!)!;
    expect([...list.querySelectorAll("option")].map((o) => o.value)).toContain("Asia/Shanghai");
  });

  it("lists under the catalog the events the workspace knows and it does not, each added in one click", async () => {
    await i18next.changeLanguage("zh-CN");
    loadAndSelect(docWithEveryKind(), []);
    render(<Inspector />);
    const known = screen.getByTestId("known-events");
    // The samples' registration, by its label; the journey's own transaction is not listed again.
    expect(within(known).getByTestId("known-event-registered").textContent).toContain("注册");
    expect(within(known).queryByTestId("known-event-transaction")).toBeNull();
    expect(within(known).getByTestId("known-event-first_investment").textContent).toContain("金额");
    fireEvent.click(within(known).getByTestId("declare-first_investment"));
    expect(doc().catalog!.events.first_investment).toMatchObject({
      props: { amount: "money", product: "string" },
      currency: "CNY",
      label: { "zh-CN": "首次投资" },
    });
    expect(screen.queryByTestId("known-event-first_investment")).toBeNull();
  });

  it("entry policy: once per period asks for the period; a limit can be added", () => {
    loadAndSelect(docWithEveryKind(), []);
    render(<Inspector />);
    fireEvent.change(screen.getByTestId("field-entry.reentry"), { target: { value: "once_per_period" } });
    expect(doc().entry).toEqual({ reentry: "once_per_period", period: "day" });
    fireEvent.change(screen.getByTestId("field-entry.period"), { target: { value: "month" } });
    fireEvent.click(screen.getByTestId("add-entry.limit"));
    fireEvent.change(screen.getByTestId("field-entry.limit.count"), { target: { value: "1000" } });
    expect(doc().entry).toEqual({ reentry: "once_per_period", period: "month", limit: { count: 1000 } });
    expect(DraftJourney.safeParse(doc()).success).toBe(true);
  });

  it("a goal can be added, given a condition with the rule builder, and removed", () => {
    loadAndSelect(docWithEveryKind(), []);
    render(<Inspector />);
    fireEvent.click(screen.getByTestId("add-goal"));
    fireEvent.change(screen.getByTestId("field-goal.event"), { target: { value: "transaction" } });
    fireEvent.change(screen.getByTestId("field-goal.window"), { target: { value: "7d" } });
    expect(doc().goal).toEqual({ event: "transaction", window: "7d" });
    // The condition's event fields are the goal event's props.
    const builder = screen.getByTestId("field-goal.condition");
    fireEvent.click(within(builder).getByTestId("add-rule"));
    const fields = within(builder).getByTestId("fields") as HTMLSelectElement;
    expect([...fields.options].map((o) => o.value)).toContain("event.props.amount");
    fireEvent.change(fields, { target: { value: "event.props.amount" } });
    fireEvent.change(within(screen.getByTestId("field-goal.condition")).getByTestId("operators"), {
      target: { value: ">=" },
    });
    fireEvent.change(within(screen.getByTestId("field-goal.condition")).getByTestId("value-editor"), {
      target: { value: "10000" },
    });
    expect(doc().goal).toEqual({
      event: "transaction",
      window: "7d",
      condition: { ">=": [{ var: "event.props.amount" }, 10000] },
    });
    fireEvent.click(screen.getByTestId("remove-goal"));
    expect(doc().goal).toBeUndefined();
    expect(JSON.parse(JSON.stringify(doc()))).not.toHaveProperty("goal");
  });

  it("exit criteria and frequency cap", () => {
    loadAndSelect(docWithEveryKind(), []);
    render(<Inspector />);
    fireEvent.click(screen.getByTestId("add-exitCriteria"));
    expect(doc().exitCriteria).toEqual([{ type: "event", event: "", reason: "exit_event" }]);
    fireEvent.change(screen.getByTestId("field-exitCriteria.0.event"), { target: { value: "app_open" } });
    fireEvent.click(screen.getByTestId("add-settings.frequencyCap"));
    fireEvent.change(screen.getByTestId("field-settings.frequencyCap.count"), { target: { value: "3" } });
    expect(doc().exitCriteria[0]).toMatchObject({ type: "event", event: "app_open" });
    expect(doc().settings).toEqual({ frequencyCap: { count: 3, period: "day" } });
  });

  it("segments: conditions about people (no event fields); one the builder can't show stays raw", () => {
    const tiers = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../../samples/journeys/tiers.json"), "utf8"),
    ) as Doc;
    loadAndSelect(tiers, []);
    render(<Inspector />);
    const first = screen.getByTestId("field-segments.0.condition");
    expect(first.getAttribute("data-mode")).toBe("visual");
    const options = [...(within(first).getAllByTestId("fields")[0] as HTMLSelectElement).options].map((o) => o.value);
    expect(options.some((o) => o.startsWith("event."))).toBe(false);
    expect(options).toContain("profile.registeredAt");
    const last = screen.getByTestId(`field-segments.${tiers.segments.length - 1}.condition`);
    expect(last.getAttribute("data-mode")).toBe("json");
    expect(within(last).getByTestId(`field-segments.${tiers.segments.length - 1}.condition-raw-notice`)).toBeTruthy();
    // Showing the settings changed nothing.
    expect(doc()).toBe(tiers);
  });

  it("catalog: attributes as name / type rows; renaming and removing keep the other rows", () => {
    loadAndSelect(docWithEveryKind(), []);
    render(<Inspector />);
    // tier, registeredAt → add one, name it, type it.
    fireEvent.click(screen.getByTestId("add-catalog.attributes"));
    expect(doc().catalog!.attributes).toEqual({ tier: "string", registeredAt: "timestamp", new_3: "string" });
    const key = screen.getByTestId("key-catalog.attributes.2") as HTMLInputElement;
    fireEvent.change(key, { target: { value: "balance" } });
    fireEvent.blur(key);
    fireEvent.change(screen.getByTestId("field-catalog.attributes.balance"), { target: { value: "number" } });
    expect(doc().catalog!.attributes).toEqual({ tier: "string", registeredAt: "timestamp", balance: "number" });
    fireEvent.click(screen.getByTestId("remove-catalog.attributes.tier"));
    expect(doc().catalog!.attributes).toEqual({ registeredAt: "timestamp", balance: "number" });
    expect((screen.getByTestId("key-catalog.attributes.0") as HTMLInputElement).value).toBe("registeredAt");
    expect((screen.getByTestId("key-catalog.attributes.1") as HTMLInputElement).value).toBe("balance");
  });

  it("quiet hours: start and end as local times", () => {
    loadAndSelect(docWithEveryKind(), []);
    render(<Inspector />);
    fireEvent.click(screen.getByTestId("add-settings.quietHours"));
    const start = screen.getByTestId("field-settings.quietHours.start") as HTMLInputElement;
    expect(start.type).toBe("time");
    expect(start.closest(".field")!.textContent).toContain("Start");
    fireEvent.change(start, { target: { value: "22:00" } });
    fireEvent.change(screen.getByTestId("field-settings.quietHours.end"), { target: { value: "08:00" } });
    expect(doc().settings).toEqual({ quietHours: { start: "22:00", end: "08:00" } });
  });

  it("group and priority: typed into the document, cleared out of it", () => {
    loadAndSelect(docWithEveryKind(), []);
    render(<Inspector />);
    const section = screen.getByTestId("settings-group");
    expect(section.querySelector("summary")!.textContent).toBe("Group and priority");
    fireEvent.change(within(section).getByTestId("field-group"), { target: { value: "newcomer_gifts" } });
    fireEvent.change(within(section).getByTestId("field-priority"), { target: { value: "10" } });
    fireEvent.change(within(section).getByTestId("field-groupPeriod"), { target: { value: "30d" } });
    expect(doc()).toMatchObject({ group: "newcomer_gifts", priority: 10, groupPeriod: "30d" });
    expect(DraftJourney.safeParse(doc()).success).toBe(true);
    fireEvent.change(within(section).getByTestId("field-group"), { target: { value: "" } });
    fireEvent.change(within(section).getByTestId("field-priority"), { target: { value: "" } });
    expect(doc().group).toBeUndefined();
    expect(doc().priority).toBeUndefined();
  });

  it("says in Chinese what the group and the priority are, and warns of a priority without a group", async () => {
    await i18next.changeLanguage("zh-CN");
    loadAndSelect(docWithEveryKind({ priority: 3 }), []);
    render(<Inspector />);
    const section = screen.getByTestId("settings-group");
    expect(section.querySelector("summary")!.textContent).toBe("互斥组与优先级");
    expect(section.textContent).toContain("优先级最高的胜出");
    // The compiler's warning is said beside the field, and the section opens for it.
    expect((section as HTMLDetailsElement).open).toBe(true);
    expect(screen.getByTestId("issue-priority").textContent).toContain("优先级只在同一互斥组的旅程之间起作用");
  });

  it("shows the compiler's journey-level issues once, beside the field", async () => {
    const d = docWithEveryKind({
      goal: { event: "transaction", window: "7d", condition: { "==": [{ var: "nope.x" }, 1] } } as Doc["goal"],
    });
    loadAndSelect(d, []);
    render(<Inspector />);
    // Not also in a list above the form: the field says it.
    expect(screen.queryByTestId("journey-issues")).toBeNull();
    expect(screen.getByTestId("issue-goal.condition").textContent).toBe("⚠ “nope.x” cannot be read here.");
  });
});
