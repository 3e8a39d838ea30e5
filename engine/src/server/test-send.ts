/**
 * POST /v1/messages/test: a test message (rendered by the API) put on the outbox and delivered to
 * the configured channel like a real one. It is written to the outbox alone — no run, no timeline,
 * no fact — so reports and stats never count it; its key starts "test/" and its effect says `test`.
 */
import { InputError, parseUntrustedJson, TestMessage, toJsonPath } from "@lifeloop/shared";
import type { Hono } from "hono";
import type { SidecarStore } from "../store/port.ts";

const MAX_BODY = 32 * 1024;

export function testSendRoute(app: Hono, store: SidecarStore, now: () => number): void {
  app.post("/v1/messages/test", async (c) => {
    let body: unknown;
    try {
      body = parseUntrustedJson(await c.req.text(), { maxBytes: MAX_BODY, maxDepth: 4 });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return c.json({ error: { code: "invalid_request", message: e.message } }, 400);
    }
    const parsed = TestMessage.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((z) => ({ path: toJsonPath(z.path, "$"), message: z.message }));
      return c.json({ error: { code: "invalid_request", message: "not a test message", issues } }, 400);
    }
    const m = parsed.data;
    const payload = JSON.stringify({ kind: "message", test: true, channel: m.channel, title: m.title, text: m.text });
    await store.transaction(async (tx) => {
      await tx.insertOutbox({
        key: m.key,
        kind: "message",
        userId: m.userId,
        journeyId: m.journeyId,
        nodeId: m.nodeId,
        channel: m.channel,
        payload,
        createdAt: now(),
      });
    });
    return c.json({ ...m, test: true }, 202);
  });
}
