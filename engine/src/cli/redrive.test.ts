import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { main } from "./index.ts";

/** Runs the command in this process and collects what it prints. */
async function lifeloop(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** A loopback port with nothing listening on it (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("lifeloop redrive: usage", () => {
  it("needs the engine and exactly one selector, and says so in one line", async () => {
    expect(await lifeloop("redrive", "--all")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("name the engine: --engine"),
    });
    expect(await lifeloop("redrive", "--engine", "not a url", "--all")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('"not a url" is not a URL'),
    });
    expect(await lifeloop("redrive", "--engine", "http://127.0.0.1:1")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--all, --journey ID or --id SEQ"),
    });
    expect(await lifeloop("redrive", "--engine", "http://127.0.0.1:1", "--all", "--journey", "j")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("give one of --all, --journey, not several"),
    });
    expect(await lifeloop("redrive", "--engine", "http://127.0.0.1:1", "--id", "7", "--id", "x")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('a whole number from 1, not "x"'),
    });
    expect(await lifeloop("redrive", "--engine", "http://127.0.0.1:1", "--all", "extra")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unexpected argument "extra"'),
    });
    expect(await lifeloop("--help")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("redrive --engine URL"),
    });
  });

  it("says when the engine cannot be reached, without a stack trace", async () => {
    const port = await closedPort();
    const r = await lifeloop("redrive", "--engine", `http://127.0.0.1:${port}`, "--all");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `lifeloop redrive: cannot reach the engine at http://127.0.0.1:${port}/v1/messages/redrive: ECONNREFUSED`,
    );
  });
});
