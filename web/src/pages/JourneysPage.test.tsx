import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { compileJourney, DraftJourney, Journey, kindOf } from "@lifeloop/shared";
import type { JourneySummary } from "../api/client.ts";
import { KEY_STORAGE } from "../api/client.ts";
import { setLang } from "../i18n/index.ts";
import { JourneysPage } from "./JourneysPage.tsx";
import {
  blankJourney,
  checkFields,
  defaultTimeZone,
  describeIn,
  formatWhen,
  fromTemplate,
  slugifyId,
  TEMPLATES,
  uniqueIdAmong,
} from "./newJourney.ts";

const SAMPLES_DIR = join(import.meta.dirname, "../../../samples/journeys");
const sampleFiles = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith(".json"));

describe("blankJourney", () => {
  const doc = blankJourney({ id: "spring-gift", name: "Spring gift", timeZone: "Asia/Shanghai" });

  it("is a valid document with one trigger holding the registry's defaults", () => {
    expect(DraftJourney.safeParse(doc).success).toBe(true);
    expect(Journey.safeParse(doc).success).toBe(true);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      id: "spring-gift",
      name: "Spring gift",
      timeZone: "Asia/Shanghai",
      entry: { reentry: "once" },
      edges: [],
    });
    expect(doc.nodes).toHaveLength(1);
    expect(doc.nodes[0]).toMatchObject({ id: "trigger", kind: "trigger", params: kindOf("trigger")!.defaults() });
  });

  it("compiles to exactly one problem, about the journey: nothing follows the trigger yet (no node in red)", () => {
    const r = compileJourney(doc);
    expect(r.issues.map((i) => ({ severity: i.severity, code: i.code, nodeId: i.nodeId, field: i.field }))).toEqual([
      { severity: "error", code: "journey_empty", nodeId: undefined, field: undefined },
    ]);
  });
});

describe("templates", () => {
  it("are every sample journey, bundled", () => {
    expect(TEMPLATES.map((t) => t.sampleId).sort()).toEqual(sampleFiles.map((f) => f.replace(/\.json$/, "")).sort());
  });

  it.each(TEMPLATES.map((t) => [t.sampleId, t] as const))(
    "%s keeps the sample's nodes and takes the new id, name and zone",
    (sampleId, tpl) => {
      const sample = JSON.parse(readFileSync(join(SAMPLES_DIR, `${sampleId}.json`), "utf8")) as DraftJourney;
      expect(tpl.nodeCount).toBe(sample.nodes.length);
      expect(tpl.name).toBe(sample.name);
      const doc = fromTemplate(tpl, { id: "my-copy", name: "My copy", timeZone: "Europe/Berlin" });
      expect(doc.id).toBe("my-copy");
      expect(doc.name).toBe("My copy");
      expect(doc.timeZone).toBe("Europe/Berlin");
      expect(doc.nodes).toEqual(sample.nodes);
      expect(doc.edges).toEqual(sample.edges);
      expect(doc.segments).toEqual(sample.segments);
      expect(compileJourney(doc).issues.filter((i) => i.severity === "error")).toEqual([]);
      // A copy, not the bundled template: editing it leaves the template alone.
      (doc.nodes[0] as { id: string }).id = "changed";
      expect(tpl.doc.nodes[0]!.id).toBe(sample.nodes[0]!.id);
    },
  );

  it("show the description in the viewer's language", () => {
    const d = "After 15 days a coupon. / 15 天后送券。";
    expect(describeIn(d, "en")).toBe("After 15 days a coupon.");
    expect(describeIn(d, "zh-CN")).toBe("15 天后送券。");
    expect(describeIn("Only English", "zh-CN")).toBe("Only English");
  });
});

describe("ids", () => {
  it("slugifies names with shared's rule (the API's), falling back for Chinese-only names", () => {
    expect(slugifyId("  VIP upgrade!! 2026 ")).toBe("vip-upgrade-2026");
    expect(slugifyId("A/B test: onboarding strategies")).toBe("a-b-test-onboarding-strategies");
    expect(slugifyId("Win-back coupons")).toBe("win-back-coupons");
    expect(slugifyId("新人礼包")).toBe("journey");
  });

  it("uniqueId adds -2, -3… and stays within 64 characters", () => {
    expect(uniqueIdAmong("gift", [])).toBe("gift");
    expect(uniqueIdAmong("gift", ["gift", "gift-2"])).toBe("gift-3");
    const long = "a".repeat(64);
    expect(uniqueIdAmong(long, [long])).toBe(`${"a".repeat(62)}-2`);
  });

  it("checks fields with the shared schemas", () => {
    expect(checkFields({ id: "ok_id-1", name: "Gift", timeZone: "Asia/Shanghai" })).toEqual({});
    expect(checkFields({ id: "bad id", name: "Gift", timeZone: "UTC" })).toEqual({ id: "newJourney.error.id" });
    expect(checkFields({ id: "-x", name: "Gift", timeZone: "UTC" }).id).toBe("newJourney.error.id");
    expect(checkFields({ id: "a".repeat(65), name: "Gift", timeZone: "UTC" }).id).toBe("newJourney.error.id");
    expect(checkFields({ id: "ok", name: "   ", timeZone: "Mars/Base" })).toEqual({
      name: "newJourney.error.name",
      timeZone: "newJourney.error.timeZone",
    });
  });

  it("defaults the zone to Asia/Shanghai in Chinese", () => {
    expect(defaultTimeZone("zh-CN")).toBe("Asia/Shanghai");
    expect(defaultTimeZone("en")).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it("formats last edits relative and absolute in the viewer's language", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(formatWhen("2026-11-24T09:00:00Z", "en", now).relative).toBe("3 hours ago");
    expect(formatWhen("2026-11-24T09:00:00Z", "zh-CN", now).relative).toBe("3小时前");
    expect(formatWhen("2026-11-21T12:00:00Z", "en", now).relative).toBe("3 days ago");
    expect(formatWhen("2026-11-24T09:00:00Z", "en", now).absolute).toMatch(/2026/);
  });
});

// ---------------------------------------------------------------------------------------------
// The page against a stubbed fetch.

const NOW = "2026-11-24T12:00:00.000Z";

function summary(over: Partial<JourneySummary> & Pick<JourneySummary, "id" | "name">): JourneySummary {
  return {
    description: "",
    status: "draft",
    paused: false,
    liveVersion: null,
    revision: 3,
    etag: "r3",
    hasUnpublishedChanges: true,
    problems: { errors: 0, warnings: 0 },
    nodeCount: 5,
    createdAt: "2026-11-20T08:00:00.000Z",
    createdBy: "admin",
    updatedAt: "2026-11-24T09:00:00.000Z",
    updatedBy: "editor (LIFELOOP_EDITOR_KEY)",
    archivedAt: null,
    ...over,
  };
}

const PAGE: JourneySummary[] = [
  summary({
    id: "win-back",
    name: "Win-back coupons",
    status: "live",
    liveVersion: 2,
    hasUnpublishedChanges: true,
    problems: { errors: 0, warnings: 1 },
    nodeCount: 9,
  }),
  summary({
    id: "spring-gift",
    name: "Spring gift",
    status: "draft",
    problems: { errors: 2, warnings: 0 },
    nodeCount: 1,
    updatedAt: "2026-11-21T12:00:00.000Z",
  }),
  summary({
    id: "daily-checkin",
    name: "Daily check-in points",
    status: "paused",
    paused: true,
    liveVersion: 1,
    hasUnpublishedChanges: false,
    nodeCount: 5,
  }),
];

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;
const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const apiError = (status: number, code: string, message: string) => jsonResponse({ error: { code, message } }, status);

let calls: Array<{ method: string; url: URL; body: unknown }>;
function stubFetch(handler: Handler) {
  calls = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://editor.test");
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ method: init.method ?? "GET", url, body });
    return handler(url, init);
  });
  vi.stubGlobal("fetch", fn);
  return fn;
}
const listPage = (items: JourneySummary[]) => jsonResponse({ items, total: items.length, nextCursor: null });
const listCalls = () => calls.filter((c) => c.method === "GET" && c.url.pathname === "/v1/journeys");

describe("JourneysPage", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(NOW) });
    localStorage.setItem(KEY_STORAGE, "ll_test");
    setLang("en");
    window.location.hash = "#/";
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    act(() => setLang("en"));
  });

  it(
    "lists journeys with status, live version, problems, nodes " + "and last edit, and relabels them in Chinese",
    async () => {
      stubFetch(() => listPage(PAGE));
      render(<JourneysPage />);
      const live = await screen.findByTestId("journey-row-win-back");
      expect(screen.getAllByTestId(/^journey-row-/)).toHaveLength(3);
      expect(listCalls()[0]!.url.searchParams.get("limit")).toBe("100");

      expect(within(live).getByText("Win-back coupons")).toBeTruthy();
      expect(within(live).getByText("win-back")).toBeTruthy();
      expect(screen.getByTestId("row-status-win-back").textContent).toBe("Live");
      expect(screen.getByTestId("row-status-win-back").className).toContain("status--live");
      expect(screen.getByTestId("row-version-win-back").textContent).toBe("v2");
      expect(screen.getByTestId("row-unpublished-win-back")).toBeTruthy();
      expect(screen.getByTestId("row-warnings-win-back").textContent).toContain("1");
      expect(screen.queryByTestId("row-errors-win-back")).toBeNull();
      expect(screen.getByTestId("row-nodes-win-back").textContent).toBe("9");
      expect(screen.getByTestId("row-updated-win-back").textContent).toContain("3 hours ago");

      expect(screen.getByTestId("row-status-spring-gift").textContent).toBe("Draft");
      expect(screen.getByTestId("row-version-spring-gift").textContent).toBe("—");
      expect(screen.getByTestId("row-errors-spring-gift").textContent).toContain("2");
      expect(screen.queryByTestId("row-unpublished-spring-gift")).toBeNull(); // never published: nothing to differ from
      expect(screen.getByTestId("row-updated-spring-gift").textContent).toContain("3 days ago");

      expect(screen.getByTestId("row-status-daily-checkin").textContent).toBe("Paused");
      expect(screen.getByTestId("row-ok-daily-checkin")).toBeTruthy();
      expect(screen.queryByTestId("row-unpublished-daily-checkin")).toBeNull();
      expect(screen.getByText("Live version")).toBeTruthy();

      fireEvent.change(screen.getByTestId("lang-switch"), { target: { value: "zh-CN" } });
      await waitFor(() => expect(screen.getByTestId("row-status-win-back").textContent).toBe("运行中"));
      expect(screen.getByTestId("row-status-spring-gift").textContent).toBe("草稿");
      expect(screen.getByTestId("row-status-daily-checkin").textContent).toBe("已暂停");
      expect(screen.getByText("线上版本")).toBeTruthy();
      expect(screen.getByTestId("btn-new-journey").textContent).toContain("新建旅程");
      expect(screen.getByTestId("row-updated-win-back").textContent).toContain("3小时前");
      expect(localStorage.getItem("lifeloop.lang")).toBe("zh-CN");
    },
  );

  it("opens the editor when a row is clicked", async () => {
    stubFetch(() => listPage(PAGE));
    render(<JourneysPage />);
    fireEvent.click(await screen.findByTestId("row-nodes-spring-gift"));
    expect(window.location.hash).toBe("#/journeys/spring-gift");
  });

  it("searches with q and filters by status", async () => {
    stubFetch((url) =>
      listPage(
        PAGE.filter(
          (j) =>
            (url.searchParams.get("status") ?? j.status) === j.status && j.id.includes(url.searchParams.get("q") ?? ""),
        ),
      ),
    );
    render(<JourneysPage />);
    await screen.findByTestId("journey-row-win-back");
    fireEvent.change(screen.getByTestId("journeys-status"), { target: { value: "paused" } });
    await waitFor(() => expect(screen.queryByTestId("journey-row-win-back")).toBeNull());
    expect(screen.getByTestId("journey-row-daily-checkin")).toBeTruthy();
    expect(listCalls().at(-1)!.url.searchParams.get("status")).toBe("paused");

    fireEvent.change(screen.getByTestId("journeys-status"), { target: { value: "" } });
    fireEvent.change(screen.getByTestId("journeys-search"), { target: { value: "spring" } });
    await waitFor(() => expect(listCalls().at(-1)!.url.searchParams.get("q")).toBe("spring"));
    await waitFor(() =>
      expect(screen.getAllByTestId(/^journey-row-/).map((r) => r.dataset.testid)).toEqual(["journey-row-spring-gift"]),
    );

    fireEvent.change(screen.getByTestId("journeys-search"), { target: { value: "nothing-like-this" } });
    await screen.findByTestId("journeys-no-match");
  });

  it("shows an empty state with a call to action", async () => {
    stubFetch(() => listPage([]));
    render(<JourneysPage />);
    await screen.findByTestId("journeys-empty");
    fireEvent.click(screen.getByTestId("empty-new-journey"));
    expect(screen.getByTestId("new-journey-dialog")).toBeTruthy();
  });

  it("shows a load error with a retry", async () => {
    let fail = true;
    stubFetch(() => (fail ? apiError(500, "internal", "database is locked") : listPage(PAGE)));
    render(<JourneysPage />);
    const error = await screen.findByTestId("journeys-error");
    expect(error.textContent).toContain("database is locked");
    fail = false;
    fireEvent.click(screen.getByTestId("btn-retry"));
    await screen.findByTestId("journey-row-win-back");
    expect(screen.queryByTestId("journeys-error")).toBeNull();
  });

  it("forgets a key the API refuses and reloads into the sign-in", async () => {
    const reload = vi.fn();
    vi.spyOn(window, "location", "get").mockReturnValue({ ...window.location, reload } as Location);
    stubFetch(() => apiError(401, "unauthorized", "unknown key"));
    render(<JourneysPage />);
    await waitFor(() => expect(reload).toHaveBeenCalled());
    expect(localStorage.getItem(KEY_STORAGE)).toBeNull();
  });

  it(
    "creates a journey from a template: name and id follow the template, a bad id is refused, a taken one " +
      "shows the API's message",
    async () => {
      let created = 0;
      stubFetch((url, init) => {
        if (url.pathname === "/v1/journeys" && init.method === "POST") {
          const doc = JSON.parse(String(init.body)) as { id: string };
          if (doc.id === "win-back")
            return apiError(409, "already_exists", 'a journey with id "win-back" already exists');
          created++;
          return jsonResponse({ ...summary({ id: doc.id, name: "x" }), document: doc, issues: [], cost: null }, 201);
        }
        return listPage(PAGE);
      });
      render(<JourneysPage />);
      await screen.findByTestId("journey-row-win-back");
      fireEvent.click(screen.getByTestId("btn-new-journey"));
      const dialog = screen.getByTestId("new-journey-dialog");
      for (const tpl of TEMPLATES) {
        const card = within(dialog).getByTestId(`template-${tpl.sampleId}`);
        expect(card.textContent).toContain(tpl.name);
        expect(card.textContent).toContain(`${tpl.nodeCount} nodes`);
      }
      fireEvent.click(within(dialog).getByTestId("template-win-back"));
      expect((screen.getByTestId("field-name") as HTMLInputElement).value).toBe("Win-back coupons");
      expect((screen.getByTestId("field-id") as HTMLInputElement).value).toBe("win-back-coupons");
      expect((screen.getByTestId("field-timeZone") as HTMLInputElement).value).toBe("Asia/Shanghai");

      fireEvent.change(screen.getByTestId("field-id"), { target: { value: "win back" } });
      fireEvent.click(screen.getByTestId("btn-create"));
      expect(screen.getByTestId("error-id").textContent).toContain("letters, digits");
      expect(calls.some((c) => c.method === "POST")).toBe(false);

      fireEvent.change(screen.getByTestId("field-id"), { target: { value: "win-back" } });
      fireEvent.click(screen.getByTestId("btn-create"));
      await waitFor(() =>
        expect(screen.getByTestId("error-id").textContent).toBe('a journey with id "win-back" already exists'),
      );
      expect(created).toBe(0);

      fireEvent.change(screen.getByTestId("field-id"), { target: { value: "win-back-2026" } });
      expect(screen.queryByTestId("error-id")).toBeNull();
      fireEvent.change(screen.getByTestId("field-name"), { target: { value: "Win-back 2026" } });
      expect((screen.getByTestId("field-id") as HTMLInputElement).value).toBe("win-back-2026"); // edited ids stay
      fireEvent.click(screen.getByTestId("btn-create"));
      await waitFor(() => expect(window.location.hash).toBe("#/journeys/win-back-2026"));
      const post = calls.filter((c) => c.method === "POST").at(-1)!;
      const tpl = TEMPLATES.find((t) => t.sampleId === "win-back")!;
      expect(post.body).toEqual(
        JSON.parse(
          JSON.stringify(fromTemplate(tpl, { id: "win-back-2026", name: "Win-back 2026", timeZone: "Asia/Shanghai" })),
        ),
      );
    },
  );

  it("creates a blank journey with the id slugified from the name", async () => {
    stubFetch((_url, init) => {
      if (init.method === "POST") {
        const doc = JSON.parse(String(init.body)) as { id: string };
        return jsonResponse({ ...summary({ id: doc.id, name: "x" }), document: doc, issues: [], cost: null }, 201);
      }
      return listPage(PAGE);
    });
    render(<JourneysPage />);
    await screen.findByTestId("journey-row-win-back");
    fireEvent.click(screen.getByTestId("btn-new-journey"));
    expect(screen.getByTestId("new-blank").getAttribute("aria-checked")).toBe("true");
    fireEvent.change(screen.getByTestId("field-name"), { target: { value: "Spring Gift" } });
    // "spring-gift" is taken in the list: the suggestion moves on.
    expect((screen.getByTestId("field-id") as HTMLInputElement).value).toBe("spring-gift-2");
    fireEvent.click(screen.getByTestId("btn-create"));
    await waitFor(() => expect(window.location.hash).toBe("#/journeys/spring-gift-2"));
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url.pathname).toBe("/v1/journeys");
    expect(post.body).toEqual(
      JSON.parse(
        JSON.stringify(blankJourney({ id: "spring-gift-2", name: "Spring Gift", timeZone: defaultTimeZone("en") })),
      ),
    );
  });

  it("duplicates a journey under a name the person confirms", async () => {
    stubFetch((url, init) => {
      if (init.method === "POST" && url.pathname === "/v1/journeys/win-back/duplicate") {
        const body = JSON.parse(String(init.body)) as { id: string; name: string };
        return jsonResponse(
          { ...summary({ id: body.id, name: body.name }), document: {}, issues: [], cost: null },
          201,
        );
      }
      return listPage(PAGE);
    });
    render(<JourneysPage />);
    fireEvent.click(await screen.findByTestId("btn-duplicate-win-back"));
    expect(window.location.hash).toBe("#/"); // the button does not open the row
    expect((screen.getByTestId("field-name") as HTMLInputElement).value).toBe("Win-back coupons (copy)");
    expect((screen.getByTestId("field-id") as HTMLInputElement).value).toBe("win-back-copy");
    fireEvent.change(screen.getByTestId("field-name"), { target: { value: "Win-back, Q1" } });
    fireEvent.click(screen.getByTestId("btn-confirm-duplicate"));
    await waitFor(() => expect(window.location.hash).toBe("#/journeys/win-back-copy"));
    expect(calls.find((c) => c.method === "POST")!.body).toEqual({ id: "win-back-copy", name: "Win-back, Q1" });
  });

  it("archives a draft and takes it off the list; a refusal says which journey and why", async () => {
    stubFetch((url, init) => {
      if (init.method === "POST" && url.pathname === "/v1/journeys/spring-gift/archive")
        return jsonResponse({ ...PAGE[1]!, status: "archived", archivedAt: NOW });
      if (init.method === "POST" && url.pathname === "/v1/journeys/win-back/archive")
        return apiError(
          403,
          "forbidden",
          'journey "win-back" is published: archiving it changes what the engine runs and needs the publisher role',
        );
      return listPage(PAGE);
    });
    render(<JourneysPage />);
    fireEvent.click(await screen.findByTestId("btn-archive-spring-gift"));
    await waitFor(() => expect(screen.queryByTestId("journey-row-spring-gift")).toBeNull());
    expect(screen.queryByTestId("archive-dialog")).toBeNull(); // a draft runs nowhere: not asked

    // A live one is asked first, in a modal alert dialog; Cancel (focused first) leaves it alone.
    fireEvent.click(screen.getByTestId("btn-archive-win-back"));
    const ask = screen.getByTestId("archive-dialog");
    expect(ask.getAttribute("role")).toBe("alertdialog");
    expect(ask.textContent).toContain("Win-back coupons");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("btn-cancel-archive")));
    fireEvent.click(screen.getByTestId("btn-cancel-archive"));
    await waitFor(() => expect(screen.queryByTestId("archive-dialog")).toBeNull());
    expect(screen.queryByTestId("action-error")).toBeNull();

    fireEvent.click(screen.getByTestId("btn-archive-win-back"));
    fireEvent.click(screen.getByTestId("btn-confirm-archive"));
    const error = await screen.findByTestId("action-error");
    expect(error.textContent).toContain("win-back");
    expect(error.textContent).toContain("publisher role");
    expect(screen.getByTestId("journey-row-win-back")).toBeTruthy();
  });
});
