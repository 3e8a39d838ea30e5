import { describe, expect, it } from "vitest";
import { readBoundedBody } from "./body.ts";

/** A request whose body arrives in chunks, as a socket delivers it, and which records how far it was read. */
function chunked(sizes: number[], headers: Record<string, string> = {}) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = sizes[pulled++];
      if (size === undefined) controller.close();
      else controller.enqueue(new Uint8Array(size).fill(97));
    },
  });
  const req = new Request("http://x/", { method: "POST", body: stream, headers, duplex: "half" } as RequestInit);
  return { req, pulled: () => pulled };
}

describe("readBoundedBody", () => {
  it("returns the bytes of a body within the limit", async () => {
    const r = await readBoundedBody(chunked([3, 4]).req, 10, 100);
    expect(r).toEqual({ ok: true, bytes: new Uint8Array(7).fill(97) });
  });
  it("reads an oversized body to its end before refusing it, so the client can read the 413", async () => {
    const c = chunked([8, 8, 8, 8]);
    expect(await readBoundedBody(c.req, 10, 100)).toEqual({ ok: false, size: 32, drained: true });
    expect(c.pulled()).toBe(5); // every chunk, then the end
  });
  it("stops at the discard bound, and refuses a declared size past it unread", async () => {
    const c = chunked([60, 60, 60, 60]);
    expect(await readBoundedBody(c.req, 10, 100)).toEqual({ ok: false, size: 120, drained: false });
    expect(c.pulled()).toBeLessThan(5);
    const d = chunked([1], { "content-length": "1000" });
    expect(await readBoundedBody(d.req, 10, 100)).toEqual({ ok: false, size: 1000, drained: false });
    expect(d.pulled()).toBeLessThanOrEqual(1);
  });
});
