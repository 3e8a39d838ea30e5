import { DraftJourney } from "@lifeloop/shared";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import { beforeEach, describe, expect, it } from "vitest";
import gift from "../../../samples/journeys/activation-newcomer-gift.json";
import { setLang } from "../i18n/index.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import { useValidation, validate } from "../store/validation.ts";
import { Problems } from "./Problems.tsx";

beforeEach(() => setLang("en"));

function show(doc: Doc) {
  useEditor.getState().load(doc, "r1");
  useValidation.setState(validate(doc));
  render(
    <ReactFlowProvider>
      <Problems />
    </ReactFlowProvider>,
  );
}

describe("problems list", () => {
  it("lists the compiler's problems and selects the node a problem names", () => {
    const doc = DraftJourney.parse(structuredClone(gift));
    delete (doc.nodes[1]!.params as { timeout?: string }).timeout;
    doc.edges = doc.edges.filter((e) => e.source !== "gift");
    show(doc);
    const items = screen.getAllByTestId("problem");
    // The reward may end a path (it needs no step after it): what follows it is what is unreachable.
    expect(items.map((i) => i.dataset.code).sort()).toEqual([
      "unreachable_node",
      "unreachable_node",
      "wait_without_timeout",
    ]);
    expect(screen.getByTestId("problems-errors").textContent).toBe("3 errors");
    // In plain words, each problem named by the step it is about.
    const wait = items.find((i) => i.dataset.code === "wait_without_timeout")!;
    expect(wait.textContent).toContain("⏳ Wait · wait_invest");
    expect(wait.textContent).toContain(
      "Waiting for “first_investment” needs a timeout, or people who never do it wait forever.",
    );
    fireEvent.click(items.find((i) => i.dataset.code === "wait_without_timeout")!);
    expect(useEditor.getState().selection.nodes).toEqual(["wait_invest"]);
  });

  it("shows a misspelt field as a problem of its node, with the field it is probably meant to be", () => {
    const doc = DraftJourney.parse(structuredClone(gift));
    const params = doc.nodes[3]!.params as Record<string, unknown>;
    params.budgte = params.budget;
    delete params.budget;
    show(doc);
    const [item, ...rest] = screen.getAllByTestId("problem");
    expect(rest).toEqual([]);
    expect(item!.dataset).toMatchObject({ code: "unknown_field", node: "gift" });
    expect(item!.textContent).toContain("There is a field here that does not belong.");
    // The compiler's exact words stay beneath: which field, and what it probably means.
    expect(item!.querySelector(".problem__detail")!.textContent).toBe('unknown field "budgte"; did you mean "budget"?');
  });

  it("is marked checked only while its results are for the draft on screen", () => {
    show(DraftJourney.parse(gift));
    const panel = screen.getByTestId("problems");
    expect(panel.dataset.checked).toBe("");
    // An edit the check has not run on yet: what the panel shows is the previous draft's.
    act(() => void useEditor.getState().addNode("exit", { x: 0, y: 0 }));
    expect(panel.dataset.checked).toBeUndefined();
    act(() => useValidation.setState(validate(useEditor.getState().doc!)));
    expect(panel.dataset.checked).toBe("");
  });

  it("says a valid journey can be published, and folds away without changing its size while open", () => {
    show(DraftJourney.parse(gift));
    expect(screen.queryAllByTestId("problem")).toHaveLength(0);
    expect(screen.getByTestId("problems").textContent).toContain("can be published");
    fireEvent.click(screen.getByTestId("problems-toggle"));
    expect(screen.getByTestId("problems").className).toContain("problems--collapsed");
    expect(screen.getByTestId("problems").textContent).not.toContain("can be published");
  });

  it("speaks Chinese, and a journey just begun is a next step, not a red error", () => {
    setLang("zh-CN");
    const doc = DraftJourney.parse(structuredClone(gift));
    doc.nodes = doc.nodes.filter((n) => n.kind === "trigger");
    doc.edges = [];
    show(doc);
    const [item, ...rest] = screen.getAllByTestId("problem");
    expect(rest).toEqual([]);
    expect(item!.dataset.code).toBe("journey_empty");
    expect(item!.textContent).toContain("请添加第一个步骤");
    const badge = screen.getByTestId("problems-errors");
    expect(badge.className).toContain("badge--hint");
    expect(badge.textContent).toBe("刚刚开始：请添加第一个步骤");
  });
});
