/**
 * The coupon pools dialog against the real API and a real engine sidecar (child processes): a publisher imports
 * a CSV into a named pool and sees what was added and skipped and the pool's counts as the API lists them; a file
 * the API cannot read shows where each problem is, and nothing is imported.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { pageOnTestApi } from "../testing/page-api.ts";
import { PoolsDialog } from "./PoolsDialog.tsx";

const realFetch = globalThis.fetch;
const api = pageOnTestApi({ lang: "zh-CN", role: "publisher", engineAt: "2026-11-20T12:00:00Z" });
const poolsNow = async () => {
  const res = await realFetch(`${api.url}/v1/coupon-pools`, {
    headers: { authorization: `Bearer ${api.keys.viewer}` },
  });
  return ((await res.json()) as { pools: unknown[] }).pools;
};
const choose = (name: string, text: string) =>
  fireEvent.change(screen.getByTestId("pools-file"), { target: { files: [new File([text], name)] } });

describe("PoolsDialog", () => {
  it("imports a file into a named pool, lists the pool, and shows a bad file's problems by where", async () => {
    render(<PoolsDialog onClose={() => {}} />);
    expect((await screen.findByTestId("pools-none")).textContent).toBe("还没有券码池。");

    fireEvent.click(screen.getByTestId("pools-submit"));
    expect((await screen.findByTestId("pools-error")).textContent).toBe(
      "请填写券码池名称：1-64 个字母、数字、“_”或“-”。",
    );
    fireEvent.change(screen.getByTestId("pools-name"), { target: { value: "partner-coffee" } });
    fireEvent.click(screen.getByTestId("pools-submit"));
    await waitFor(() => expect(screen.getByTestId("pools-error").textContent).toBe("请选择券码文件。"));

    choose("coffee.csv", "code,batch\nCAFE-1,a\nCAFE-2,a\nCAFE-1,b\n");
    expect(screen.getByTestId("pools-file-name").textContent).toBe("coffee.csv");
    fireEvent.click(screen.getByTestId("pools-submit"));
    expect((await screen.findByTestId("pools-done")).textContent).toBe(
      "partner-coffee：新增 2 个券码，跳过重复 1 个；剩余 2 个。",
    );
    const row = await screen.findByTestId("pool-partner-coffee");
    expect([...row.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["partner-coffee", "2", "0", "2"]);
    expect(await poolsNow()).toEqual([{ pool: "partner-coffee", codes: 2, handed: 0, remaining: 2 }]);

    choose("bad.json", '["CAFE-3", 5, "a b"]');
    fireEvent.click(screen.getByTestId("pools-submit"));
    const issues = await screen.findByTestId("pools-issues");
    expect([...issues.querySelectorAll("code")].map((c) => c.textContent)).toEqual(["$[1]", "$[2]"]);
    expect(await poolsNow()).toEqual([{ pool: "partner-coffee", codes: 2, handed: 0, remaining: 2 }]);
  });
});
