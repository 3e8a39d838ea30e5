/**
 * POST /v1/journeys/{id}/test-send (editor and above): one message node of the draft rendered for a
 * test person — shared's renderTemplate over the compiled template, the same code the engine runs —
 * and handed to the engine sidecar, which delivers it through its outbox to the configured channel
 * like a real message, marked as a test and counted in no report.
 */
import { z } from "zod";
import { compileJourney, renderTemplate, TestSendRequest, TestSendResult, type TestMessage } from "@lifeloop/shared";
import type { Deps } from "../context.ts";
import { ApiError } from "../errors.ts";
import { getJourney } from "../journeys/store.ts";
import { named } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";

const Params = z.object({ id: z.string().max(64) });

/** A message node's compiled params, as the message kind compiles them. */
const CompiledMessage = z.object({
  channel: TestSendResult.shape.channel,
  template: z.object({ title: z.string().nullable(), body: z.string() }),
});

export function testSendRoutes(deps: Deps) {
  const app = newRouter();
  app.openapi(
    route(
      "editor",
      {
        method: "post",
        path: "/journeys/{id}/test-send",
        operationId: "testSend",
        tags: ["versions"],
        summary: "Send one message node of the draft to a test person, through the engine",
        description:
          "Renders the node's template with the given profile and last reward, then the engine delivers it " +
          "to its channel like a real message: the key starts `test/` and the effect carries `test: true`. " +
          "It is no step of a run, so reports and stats never count it.",
        request: { params: Params, body: { required: true, ...json(named("TestSendRequest", TestSendRequest)) } },
        responses: {
          202: { description: "Queued for delivery.", ...json(named("TestSendResult", TestSendResult)) },
          404: { description: "No such journey." },
          422: { description: "The draft does not compile, or the node sends no message." },
          502: { description: "The engine sidecar did not answer." },
          503: { description: "No engine is configured (LIFELOOP_ENGINE_URL)." },
        },
      },
      { accept: ["json"], maxBytes: 32 * 1024 },
    ),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const row = await getJourney(deps.db, id);
      const compiled = compileJourney(JSON.parse(row.draft));
      if (!compiled.ok || !compiled.executable)
        throw new ApiError(422, "compile_failed", "the draft does not compile: fix its problems first", {
          issues: compiled.issues.map((i) => ({ path: i.path, message: i.message })),
        });
      const target = compiled.executable.nodes[body.nodeId];
      const node = CompiledMessage.safeParse(target?.params);
      if (!target || !node.success)
        throw new ApiError(422, "not_a_message", `node "${body.nodeId}" of journey "${id}" sends no message`);
      const data = {
        event: {},
        trigger: {},
        profile: body.profile,
        user: { id: body.userId },
        reward: body.reward ?? {},
      };
      const t = node.data.template;
      const message: TestMessage = {
        key: `test/${id}/${body.nodeId}/${body.userId}/${deps.random(8).toString("hex")}`,
        userId: body.userId,
        // The compiled ids (branded by the compiler): the draft's id is this journey's (saving checks it).
        journeyId: compiled.executable.journeyId,
        nodeId: target.id,
        channel: node.data.channel,
        title: t.title === null ? null : renderTemplate(t.title, data),
        text: renderTemplate(t.body, data),
      };
      const engine = deps.engine;
      if (!engine)
        throw new ApiError(503, "engine_not_configured", "no engine is configured: a test send goes through it");
      let res: Response;
      try {
        res = await fetch(`${engine.url}/v1/messages/test`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(engine.token ? { authorization: `Bearer ${engine.token}` } : {}),
          },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(engine.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw new ApiError(
          502,
          "engine_unreachable",
          `the engine at ${engine.url} did not answer (${(e as Error).message})`,
        );
      }
      if (res.status !== 202)
        throw new ApiError(
          502,
          "engine_error",
          `the engine answered ${res.status}: ${(await res.text()).slice(0, 200)}`,
        );
      return c.json({ ...message, test: true as const }, 202);
    },
  );
  return app;
}
