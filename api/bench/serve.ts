/**
 * The bench's server process: `bare` serves a bare Hono app (GET /hello, GET /big, PUT /echo), `api` the real
 * API on a fresh SQLite file holding the 200-node journey. Both through the same listen() helper.
 * Prints one JSON line with what the driver needs, then serves until killed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { compileJourney } from "@lifeloop/shared";
import { createApp } from "../src/app.ts";
import { createKey } from "../src/auth.ts";
import { initialize } from "../src/bootstrap.ts";
import { openDatabase } from "../src/db/open.ts";
import { listen } from "../src/server.ts";
import { bigJourney } from "./journey.ts";

const mode = process.argv[2];

if (mode === "bare") {
  const app = new Hono();
  app.get("/hello", (c) => c.json({ hello: "world" }));
  // A stored journey's size in JSON, built once: what the API's GET sends, without the API's work.
  const big = JSON.stringify({
    id: "bench-200",
    revision: 1,
    document: compileJourney(bigJourney()).document,
    issues: [],
    cost: null,
  });
  app.get("/big", (c) => c.body(big, 200, { "content-type": "application/json" }));
  // Reads a body of the same size as a draft save, to separate transfer cost from the API's work.
  app.put("/echo", async (c) => c.json({ bytes: (await c.req.text()).length }));
  const server = await listen(app, 0);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
} else if (mode === "api") {
  const dir = mkdtempSync(join(tmpdir(), "lifeloop-bench-"));
  const database = await openDatabase(join(dir, "api.sqlite"));
  const { app, deps } = await createApp({ db: database.db, log: () => {} });
  await initialize(deps, { samples: "off" });
  // The first start's key manages keys only; the bench works with a publisher key made from it.
  const { token } = await createKey(deps, { name: "bench", role: "publisher", source: "cli", createdBy: "bench" });
  const server = await listen(app, 0);
  const res = await fetch(`${server.url}/v1/journeys`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(bigJourney()),
  });
  if (res.status !== 201) throw new Error(`could not create the bench journey: ${res.status} ${await res.text()}`);
  process.stdout.write(`${JSON.stringify({ url: server.url, key: token, dir })}\n`);
} else {
  console.error("usage: serve.ts bare|api");
  process.exit(2);
}
