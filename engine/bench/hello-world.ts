/**
 * The baseline server of the ingest benchmark (engine.bench.ts): a bare Hono hello-world on
 * @hono/node-server, in its own process like the engine, on a free port. Prints the same
 * "listening on URL" line as the engine so the bench starts both the same way.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.all("*", (c) => c.text("Hello Hono!"));
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => console.log(`hello-world listening on http://127.0.0.1:${info.port}`));
