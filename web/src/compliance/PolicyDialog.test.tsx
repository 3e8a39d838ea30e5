/**
 * The compliance dialog against the real API (a child process): everyone reads the policy the
 * editor lints with; the editor's own key cannot change it (the API's 403 is shown); a key-admin key
 * typed into the dialog forbids a phrase, turns on four eyes and sets the notice, and the editor's
 * lint has the new phrase at once.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { usePolicy } from "../store/policy.ts";
import { pageOnTestApi } from "../testing/page-api.ts";
import { PolicyDialog } from "./PolicyDialog.tsx";

const realFetch = globalThis.fetch;
const api = pageOnTestApi({ lang: "zh-CN", role: "publisher" });
const policyNow = async () => {
  const res = await realFetch(`${api.url}/v1/workspace/policy`, {
    headers: { authorization: `Bearer ${api.keys.viewer}` },
  });
  return (await res.json()) as { requireApproval: boolean; riskNotice: string | null; forbidden: { phrase: string }[] };
};

describe("PolicyDialog", () => {
  it("reads the policy for anyone and changes it only with a key-admin key", async () => {
    render(<PolicyDialog onClose={() => {}} />);
    // The defaults a new workspace starts with, in the marketer's language.
    expect((await screen.findByTestId("policy-phrase-稳赚")).textContent).toContain("稳赚");
    expect((screen.getByTestId("policy-risk-notice") as HTMLTextAreaElement).value).toBe("理财有风险，投资需谨慎");
    expect((screen.getByTestId("policy-add") as HTMLButtonElement).disabled).toBe(true);

    // The publisher's own key typed as the admin's: the API refuses, and says so.
    fireEvent.change(screen.getByTestId("policy-admin-key"), { target: { value: api.keys.publisher } });
    fireEvent.change(screen.getByTestId("policy-new-phrase"), { target: { value: "躺赚" } });
    fireEvent.change(screen.getByTestId("policy-new-rule"), { target: { value: "不得暗示不劳而获的收益" } });
    fireEvent.click(screen.getByTestId("policy-add"));
    expect((await screen.findByTestId("policy-error")).textContent).toMatch(/key-admin/);
    expect((await policyNow()).forbidden.map((p) => p.phrase)).not.toContain("躺赚");

    // The key-admin key: the phrase is forbidden, for the API and for the editor's lint.
    fireEvent.change(screen.getByTestId("policy-admin-key"), { target: { value: api.keys["key-admin"] } });
    fireEvent.click(screen.getByTestId("policy-add"));
    await screen.findByTestId("policy-phrase-躺赚");
    expect(screen.queryByTestId("policy-error")).toBeNull();
    expect((await policyNow()).forbidden.map((p) => p.phrase)).toContain("躺赚");
    await waitFor(() => expect(usePolicy.getState().wording?.forbidden.map((p) => p.phrase)).toContain("躺赚"));

    // Four eyes on, and a notice of the workspace's own.
    const approval = screen.getByTestId("policy-require-approval") as HTMLInputElement;
    await waitFor(() => expect(approval.disabled).toBe(false));
    fireEvent.click(approval);
    await waitFor(async () => expect((await policyNow()).requireApproval).toBe(true));
    fireEvent.change(screen.getByTestId("policy-risk-notice"), { target: { value: "市场有风险，投资需谨慎" } });
    const save = (await screen.findByTestId("policy-save-notice")) as HTMLButtonElement;
    await waitFor(() => expect(save.disabled).toBe(false));
    fireEvent.click(save);
    await waitFor(async () => expect((await policyNow()).riskNotice).toBe("市场有风险，投资需谨慎"));

    // And allowed again, once the dialog has read the policy back (its buttons wait while it does).
    const remove = screen.getByTestId("policy-remove-躺赚") as HTMLButtonElement;
    await waitFor(() => expect(screen.queryByTestId("policy-save-notice")).toBeNull());
    await waitFor(() => expect(remove.disabled).toBe(false));
    fireEvent.click(remove);
    await waitFor(() => expect(screen.queryByTestId("policy-phrase-躺赚")).toBeNull());
    expect((await policyNow()).forbidden.map((p) => p.phrase)).not.toContain("躺赚");
  });
});
