import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Deferred, lazyNamed } from "./lazy.tsx";

function Hello({ who }: { who: string }) {
  return <p data-testid="hello">hello {who}</p>;
}

/** A module whose import() the test settles by hand. */
function pending<M>() {
  let settle!: { resolve(m: M): void; reject(e: Error): void };
  const promise = new Promise<M>((resolve, reject) => (settle = { resolve, reject }));
  return { load: () => promise, ...settle };
}

describe("lazily loaded parts", () => {
  it("say they are loading, then show the part with its props", async () => {
    const chunk = pending<{ Hello: typeof Hello }>();
    const Part = lazyNamed(chunk.load, "Hello");
    render(
      <Deferred inline>
        <Part who="world" />
      </Deferred>,
    );
    expect(screen.getByTestId("deferred-loading").getAttribute("role")).toBe("status");
    expect(screen.queryByTestId("hello")).toBeNull();
    chunk.resolve({ Hello });
    expect((await screen.findByTestId("hello")).textContent).toBe("hello world");
    expect(screen.queryByTestId("deferred-loading")).toBeNull();
  });

  it("render at once once preloaded", async () => {
    const Part = lazyNamed(async () => ({ Hello }), "Hello");
    await Part.preload();
    render(
      <Deferred>
        <Part who="again" />
      </Deferred>,
    );
    expect(screen.getByTestId("hello").textContent).toBe("hello again");
  });

  it("say so, with a reload, when the chunk cannot be fetched", async () => {
    const chunk = pending<{ Hello: typeof Hello }>();
    const Part = lazyNamed(chunk.load, "Hello");
    render(
      <Deferred>
        <Part who="nobody" />
      </Deferred>,
    );
    chunk.reject(new Error("Failed to fetch dynamically imported module"));
    const failed = await screen.findByTestId("deferred-failed");
    expect(failed.getAttribute("role")).toBe("alert");
    expect(failed.textContent).toContain("Failed to fetch dynamically imported module");
    expect(failed.querySelector("button")?.textContent).toBe("Reload the page");
  });
});
