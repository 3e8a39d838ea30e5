/**
 * The catalog dialog against the real API (a child process): a publisher adds an item in both
 * languages, a fractional price is refused before anything is sent, the stock is changed and the
 * item retired, each as the API then lists it.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { KEY_STORAGE } from "../api/client.ts";
import i18n from "../i18n/index.ts";
import { startTestApi, type TestApi } from "../testing/api-server.ts";
import { CatalogDialog } from "./CatalogDialog.tsx";

let api: TestApi;
const realFetch = globalThis.fetch;
const itemsNow = async () => {
  const res = await realFetch(`${api.url}/v1/catalog/items`, {
    headers: { authorization: `Bearer ${api.keys.viewer}` },
  });
  return ((await res.json()) as { items: Array<Record<string, unknown>> }).items;
};

beforeAll(async () => {
  api = await startTestApi();
}, 60_000);
afterAll(() => api?.close());
beforeEach(async () => {
  await i18n.changeLanguage("zh-CN");
  localStorage.setItem(KEY_STORAGE, api.keys.publisher);
  vi.stubGlobal("fetch", (url: string, init?: RequestInit) => realFetch(`${api.url}${url}`, init));
});
afterEach(() => vi.unstubAllGlobals());

const type = (key: string, value: string) =>
  fireEvent.change(screen.getByTestId(`catalog-field-${key}`), { target: { value } });

describe("CatalogDialog", () => {
  it("adds, edits and retires an item; points are whole numbers", async () => {
    render(<CatalogDialog onClose={() => {}} />);
    expect((await screen.findByTestId("catalog-none")).textContent).toBe("还没有商品。");
    type("id", "fee-waiver");
    type("nameZh", "手续费减免");
    type("nameEn", "Fee waiver");
    type("points", "199.5");
    type("stock", "100");
    type("limit", "1");
    fireEvent.click(screen.getByTestId("catalog-submit"));
    expect((await screen.findByTestId("catalog-error")).textContent).toBe("价格（积分）须为不小于 1 的整数。");
    expect(await itemsNow()).toEqual([]);

    type("points", "200");
    fireEvent.click(screen.getByTestId("catalog-submit"));
    const row = await screen.findByTestId("catalog-item-fee-waiver");
    expect(row.textContent).toContain("手续费减免");
    expect(row.textContent).toContain("200");
    expect(await itemsNow()).toMatchObject([
      { id: "fee-waiver", name: { en: "Fee waiver", zh: "手续费减免" }, points: 200, stock: 100, perPersonLimit: 1 },
    ]);

    fireEvent.click(screen.getByTestId("catalog-edit-fee-waiver"));
    expect((screen.getByTestId("catalog-field-points") as HTMLInputElement).value).toBe("200");
    type("stock", "");
    fireEvent.click(screen.getByTestId("catalog-submit"));
    await waitFor(() => expect(screen.getByTestId("catalog-item-fee-waiver").textContent).toContain("不限量"));
    expect((await itemsNow())[0]).toMatchObject({ stock: null });

    fireEvent.click(screen.getByTestId("catalog-retire-fee-waiver"));
    await waitFor(() => expect(screen.getByTestId("catalog-item-fee-waiver").textContent).toContain("已下架"));
    expect((await itemsNow())[0]!.retiredAt).not.toBeNull();
  });
});
