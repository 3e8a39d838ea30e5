import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isLoopbackHost, refuseUnguardedListen, UnguardedListenError } from "./exposure.ts";
import { startSidecar } from "./sidecar.ts";

const dir = mkdtempSync(join(tmpdir(), "lifeloop-exposure-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { port: 0, feedIntervalMs: 60_000, timerIntervalMs: 60_000, outboxIntervalMs: 60_000, log: () => {} };

describe("which hosts are loopback", () => {
  it("accepts 127.0.0.0/8, ::1 in any spelling, IPv4-mapped 127/8 and localhost", () => {
    for (const h of [
      "127.0.0.1",
      "127.255.0.9",
      "::1",
      "[::1]",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
      "localhost",
      "LocalHost",
      "localhost.",
    ])
      expect(isLoopbackHost(h), h).toBe(true);
  });
  it("refuses every other address, the wildcards and names", () => {
    for (const h of [
      "0.0.0.0",
      "::",
      "",
      "10.0.0.1",
      "192.168.1.2",
      "128.0.0.1",
      "1.127.0.0",
      "::ffff:10.0.0.1",
      "::2",
      "example.com",
      "localhost.example.com",
    ])
      expect(isLoopbackHost(h), h).toBe(false);
  });
  it("lets any host through with a token", () => {
    expect(() => refuseUnguardedListen("0.0.0.0", "t0ken")).not.toThrow();
    expect(() => refuseUnguardedListen("0.0.0.0", undefined)).toThrow(UnguardedListenError);
    expect(() => refuseUnguardedListen("0.0.0.0", "")).toThrow(/without a token/);
  });
});

describe("startSidecar", () => {
  it("refuses a non-loopback host without a token before it opens anything", async () => {
    const db = join(dir, "refused.sqlite");
    await expect(startSidecar({ ...base, db, host: "0.0.0.0" })).rejects.toThrow(UnguardedListenError);
    expect(existsSync(db)).toBe(false);
  });

  it("starts on another loopback address without a token", async () => {
    const s = await startSidecar({ ...base, db: join(dir, "loopback.sqlite"), host: "127.0.0.2" });
    try {
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe("the engine's main.ts", () => {
  it("exits 2 with the reason when told to listen on 0.0.0.0 without a token", async () => {
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    const env = { ...process.env };
    delete env.LIFELOOP_SIDECAR_TOKEN;
    delete env.DATABASE_URL;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", main, "--db", join(dir, "main.sqlite"), "--host", "0.0.0.0", "--port", "0"],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, out).toBe(2);
    expect(out).toContain('refusing to listen on "0.0.0.0" without a token');
    expect(out).toContain("LIFELOOP_SIDECAR_TOKEN");
    expect(out).not.toContain("listening on");
  });
});
