/**
 * The catalog dialog against the real API (a child process): a publisher adds an item in both
 * languages, a fractional price is refused before anything is sent, the stock is changed and the
 * item retired, each as the API then lists it.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { pageOnTestApi } from "../testing/page-api.ts";
import { CatalogDialog } from "./CatalogDialog.tsx";

const realFetch = globalThis.fetch;
const api = pageOnTestApi({ lang: "zh-CN", role: "publisher" });
const itemsNow = async () => {
  const res = await realFetch(`${api.url}/v1/catalog/items`, {
    headers: { authorization: `Bearer ${api.keys.viewer}` },
  });
  return ((await res.json()) as { items: Array<Record<string, unknown>> }).items;
};

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
