/**
 * The version history against the real API (a child process on a temp SQLite file): two published
 * versions with their notes, the diff between them, live figures that say why they are missing (no
 * engine here), and restoring v1 as the draft.
 */
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { useEditor } from "../store/editor.ts";
import { loadJourney } from "../store/persistence.ts";
import { pageOnTestApi } from "../testing/page-api.ts";
import { HistoryPanel } from "./HistoryPanel.tsx";

const ID = "tiered-rebate";
const realFetch = globalThis.fetch;
const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await realFetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.keys.publisher}`, "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, etag: res.headers.get("etag"), body: (await res.json()) as Record<string, unknown> };
};

const api = pageOnTestApi({
  lang: "en",
  role: "publisher",
  async ready() {
    await publishTwice();
  },
});

/** Two versions to list: the first as loaded, then a renamed one. */
async function publishTwice() {
  expect((await call("POST", `/v1/journeys/${ID}/publish`, { note: "first tiers" })).status).toBe(201);
  const detail = await call("GET", `/v1/journeys/${ID}`);
  const doc = detail.body.document as { name: string };
  const saved = await call(
    "PUT",
    `/v1/journeys/${ID}/draft`,
    { ...doc, name: "Tiered rebate, renamed" },
    {
      "if-match": detail.etag!,
    },
  );
  expect(saved.status).toBe(200);
  expect((await call("POST", `/v1/journeys/${ID}/publish`, { note: "renamed for the autumn" })).status).toBe(201);
}

beforeEach(async () => {
  await loadJourney(ID);
});

describe("HistoryPanel", () => {
  it("lists every version with author, time and note, and diffs any two", async () => {
    render(<HistoryPanel onClose={() => {}} />);
    const v2 = await screen.findByTestId("history-v2");
    expect(v2.textContent).toContain("renamed for the autumn");
    expect(v2.textContent).toContain("live");
    expect(screen.getByTestId("history-v1").textContent).toContain("first tiers");
    // Newest first, and the default comparison is the newest version against the draft: nothing changed.
    await waitFor(() => expect(screen.getByTestId("history-diff").textContent).toContain("v2"));
    fireEvent.change(screen.getByTestId("history-from"), { target: { value: "1" } });
    fireEvent.change(screen.getByTestId("history-to"), { target: { value: "2" } });
    await waitFor(() =>
      expect(within(screen.getByTestId("history-diff")).getByTestId("diff-journey").textContent).toContain(
        "Tiered rebate, renamed",
      ),
    );
  });

  it("says why a version has no live figures when no engine answers", async () => {
    render(<HistoryPanel onClose={() => {}} />);
    fireEvent.click(await screen.findByTestId("history-stats-1"));
    await waitFor(() => expect(screen.getByTestId("history-figures-1").textContent).toMatch(/No live figures/));
  });

  it("restores v1 as the draft after a confirmation, and the editor shows it", async () => {
    render(<HistoryPanel onClose={() => {}} />);
    fireEvent.click(await screen.findByTestId("history-restore-1"));
    fireEvent.click(await screen.findByTestId("history-restore-confirm"));
    await waitFor(() => expect(useEditor.getState().doc?.name).not.toBe("Tiered rebate, renamed"));
    const audit = await call("GET", "/v1/audit?limit=5");
    expect(JSON.stringify(audit.body)).toContain("journey.restore");
  });
});
