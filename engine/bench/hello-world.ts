/**
 * The baseline servers of the ingest benchmark (engine.bench.ts): a bare Hono route on
 * @hono/node-server, in its own process like the engine, on a free port. Prints the same
 * "listening on URL" line as the engine so the bench starts both the same way.
 *
 *   tsx bench/hello-world.ts           answers "Hello Hono!" without reading the body
 *   tsx bench/hello-world.ts --parse   reads the body, parses the JSON and answers 202 with a count:
 *                                      the floor under any route that must look at the events
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const parse = process.argv.includes("--parse");
const app = new Hono();
if (parse) {
  app.post("*", async (c) => {
    const body = (await c.req.json()) as unknown;
    return c.json({ accepted: Array.isArray(body) ? body.length : 1, duplicates: 0 }, 202);
  });
} else app.all("*", (c) => c.text("Hello Hono!"));
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
  console.log(`hello-world listening on http://127.0.0.1:${info.port}`),
);
