import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { compileJourney } from "@lifeloop/shared";
import { diffJourneys } from "@lifeloop/shared";
import tieredDoc from "../../../samples/journeys/tiered-rebate.json";
import i18n from "../i18n/index.ts";
import { useEditor, type Doc } from "../store/editor.ts";
import { usePersistence } from "../store/persistence.ts";
import { useValidation, validate } from "../store/validation.ts";
import { PublishDialog } from "./PublishDialog.tsx";

const good = compileJourney(tieredDoc).document as Doc;
/** A rebate of 0 bps is refused by the reward kind's schema: an error on node rebate_5. */
const bad = {
  ...good,
  nodes: good.nodes.map((n) =>
    n.id === "rebate_5"
      ? { ...n, params: { ...(n.params as object), reward: { ...(n.params as { reward: object }).reward, bps: 0 } } }
      : n,
  ),
} as Doc;

type Handler = (init: RequestInit | undefined) => Response;
let routes: Array<[string, RegExp, Handler]> = [];
const calls: string[] = [];
const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = String(input);
  const method = init?.method ?? "GET";
  calls.push(`${method} ${url}`);
  const hit = routes.find(([m, re]) => m === method && re.test(url));
  if (!hit) throw new Error(`unexpected ${method} ${url}`);
  return hit[2](init);
});

const detail = (doc: Doc, extra: Record<string, unknown> = {}) => ({
  id: doc.id,
  name: doc.name,
  description: doc.description,
  status: "draft",
  paused: false,
  liveVersion: null,
  revision: 1,
  etag: '"r1"',
  hasUnpublishedChanges: true,
  problems: { errors: 0, warnings: 0 },
  nodeCount: doc.nodes.length,
  document: doc,
  issues: [],
  cost: null,
  ...extra,
});
const notPublished = () =>
  Response.json({ error: { code: "not_published", message: "never published" } }, { status: 409 });

function open(doc: Doc) {
  useEditor.getState().load(doc, '"r1"');
  useValidation.setState(validate(doc));
  const onClose = vi.fn();
  render(<PublishDialog onClose={onClose} />);
  return onClose;
}

beforeEach(async () => {
  await i18n.changeLanguage("en");
  routes = [];
  calls.length = 0;
  usePersistence.setState({ status: "idle", error: null, detail: null });
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe("PublishDialog", () => {
  it("lists the errors, will not publish with them, and an error takes the person to its node", async () => {
    routes.push(["GET", /\/diff\?to=draft$/, notPublished]);
    const onClose = open(bad);
    const errors = screen.getAllByTestId("publish-error");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.dataset.node)).toContain("rebate_5");
    expect((screen.getByTestId("publish-confirm") as HTMLButtonElement).disabled).toBe(true);
    await screen.findByTestId("diff-first");
    fireEvent.click(screen.getByTestId("publish-confirm"));
    expect(calls.some((c) => c.includes("/publish"))).toBe(false);

    fireEvent.click(errors.find((e) => e.dataset.node === "rebate_5")!);
    expect(useEditor.getState().selection.nodes).toEqual(["rebate_5"]);
    expect(onClose).toHaveBeenCalled();
  });

  it("shows the worst-case cost per unit and the warnings", () => {
    routes.push(["GET", /\/diff/, notPublished]);
    open(good);
    const cost = screen.getByTestId("publish-cost-CNY");
    // At most one rebate of ¥1,000 per entry; per person the shared budget of ¥1,000,000 bounds it.
    expect(cost.textContent).toBe("CNY¥1,000.00¥1,000,000.00");
    expect(screen.getByTestId("publish-valid")).toBeTruthy();
  });

  it(
    "publishes a first version with the note and policy chosen, " + "then shows live · v1 in the toolbar's data",
    async () => {
      routes.push(["GET", /\/diff/, notPublished]);
      routes.push([
        "POST",
        /\/v1\/journeys\/tiered-rebate\/publish$/,
        () =>
          Response.json(
            {
              journeyId: good.id,
              version: 1,
              publishedAt: "2026-11-24T12:00:00Z",
              publishedBy: "t",
              note: "first",
              inFlight: "migrate",
              draftRevision: 1,
              cost: {},
              warnings: 0,
              live: true,
            },
            { status: 201 },
          ),
      ]);
      routes.push([
        "GET",
        /\/v1\/journeys\/tiered-rebate$/,
        () => Response.json(detail(good, { status: "live", liveVersion: 1, hasUnpublishedChanges: false })),
      ]);
      open(good);
      expect((await screen.findByTestId("diff-first")).textContent).toMatch(/First version/);
      fireEvent.change(screen.getByTestId("publish-note"), { target: { value: "  first  " } });
      fireEvent.click(screen.getByTestId("inflight-migrate"));
      fireEvent.click(screen.getByTestId("publish-confirm"));
      expect((await screen.findByTestId("publish-result")).textContent).toContain("Published version 1");
      const publish = fetchMock.mock.calls.find(([u]) => String(u).endsWith("/publish"))!;
      expect(JSON.parse(String(publish[1]!.body))).toEqual({ note: "first", inFlight: "migrate" });
      expect(usePersistence.getState().detail?.liveVersion).toBe(1);
      expect(usePersistence.getState().detail?.status).toBe("live");
      expect((screen.getByTestId("publish-confirm") as HTMLButtonElement).disabled).toBe(true);
    },
  );

  it("shows what changed since the live version, field by field", async () => {
    const live = good;
    const draft = {
      ...good,
      nodes: [
        ...good.nodes.map((n) =>
          n.id === "rebate_3"
            ? {
                ...n,
                params: { ...(n.params as object), reward: { ...(n.params as { reward: object }).reward, bps: 250 } },
              }
            : n,
        ),
        { id: "extra", kind: "exit", position: { x: 0, y: 0 }, params: { reason: "done" } },
      ],
      edges: [...good.edges, { id: "e9", source: "tier", sourceHandle: "else", target: "extra" }],
    } as Doc;
    routes.push([
      "GET",
      /\/diff\?to=draft$/,
      () => Response.json({ journeyId: good.id, from: 2, to: "draft", diff: diffJourneys(live, draft) }),
    ]);
    open(draft);
    const diff = await screen.findByTestId("diff-nodes-changed");
    expect(within(diff).getByTestId("diff-node-rebate_3").textContent).toContain("params.reward.bps: 300 → 250");
    expect(screen.getByTestId("diff-nodes-added").textContent).toContain("extra");
    expect(screen.getByTestId("diff-edges").textContent).toContain("tier.else → extra");
    expect(screen.getByTestId("diff").textContent).toContain("v2");
  });

  it("lists the API's reasons by node when it refuses to publish", async () => {
    routes.push(["GET", /\/diff/, notPublished]);
    routes.push([
      "POST",
      /\/publish$/,
      () =>
        Response.json(
          {
            error: {
              code: "compile_failed",
              message: "cannot be published",
              issues: [
                {
                  path: "$.nodes[3].params.budget",
                  nodeId: "rebate_3",
                  field: "params.budget",
                  message: "budget conflicts",
                },
              ],
            },
          },
          { status: 422 },
        ),
    ]);
    open(good);
    await screen.findByTestId("diff-first");
    fireEvent.click(screen.getByTestId("publish-confirm"));
    const issues = await screen.findByTestId("publish-issues");
    expect(within(issues).getByTestId("issue").textContent).toContain("budget conflicts");
    expect(within(issues).getByTestId("issue-node-rebate_3")).toBeTruthy();
    expect(screen.queryByTestId("publish-result")).toBeNull();
  });

  it("saves an unsaved draft before anything else", async () => {
    routes.push(["PUT", /\/draft$/, () => Response.json(detail(good, { revision: 2, etag: '"r2"' }))]);
    routes.push(["GET", /\/diff/, notPublished]);
    useEditor.getState().load(good, '"r1"');
    useEditor.getState().updateNode("notify_3", { label: "Tell them" });
    useValidation.setState(validate(useEditor.getState().doc!));
    render(<PublishDialog onClose={() => {}} />);
    await screen.findByTestId("diff-first");
    expect(calls[0]).toBe("PUT /v1/journeys/tiered-rebate/draft");
    expect(calls[1]).toMatch(/^GET .*\/diff/);
    await waitFor(() => expect((screen.getByTestId("publish-confirm") as HTMLButtonElement).disabled).toBe(false));
  });
});
