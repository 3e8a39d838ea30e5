import { spawnSync } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { TURNS, yieldToRequests } from "./turns.ts";

// Opens `count` connections to the port and exits once the kernel has completed every handshake.
const CONNECT = `
const net = require("node:net");
const [port, count] = process.argv.slice(1).map(Number);
let open = 0;
for (let i = 0; i < count; i++) {
  const s = net.connect(port, "127.0.0.1", () => { if (++open === count) process.exit(0); });
  s.on("error", (e) => { console.error(e.message); process.exit(1); });
}`;

describe("yieldToRequests", () => {
  it("lets a burst of new connections in between two batches, where one turn of the loop accepts one", async () => {
    let accepted = 0;
    const server = createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo; // listening on TCP: the address is an object
      // The loop is held while the child runs (spawnSync), as a batch holds it: every connection waits
      // in the kernel's accept queue.
      const child = spawnSync(process.execPath, ["-e", CONNECT, String(port), String(TURNS)], { encoding: "utf8" });
      expect(child.stderr).toBe("");
      expect(child.status).toBe(0);

      await new Promise<void>((resolve) => setImmediate(resolve));
      const afterOneTurn = accepted;
      await yieldToRequests();

      expect(afterOneTurn).toBeLessThan(TURNS);
      expect(accepted).toBe(TURNS);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
