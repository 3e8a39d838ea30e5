/**
 * Publish requests under four eyes: list them, read one with the diff and the worst-case cost it
 * would bring, approve (it becomes the next version) or reject with a reason. Deciding is the
 * approver role's alone, never on one's own request (see journeys/approvals.ts).
 */
import { z } from "zod";
import { Version } from "@lifeloop/shared";
import { actorOf } from "../auth.ts";
import type { Deps } from "../context.ts";
import {
  Approval,
  ApprovalDetail,
  ApprovalList,
  ApprovalStatus,
  approvalDetail,
  approve,
  listApprovals,
  reject,
} from "../journeys/approvals.ts";
import { versionJson } from "../journeys/store.ts";
import { named, unchecked } from "../openapi.ts";
import { json, jsonText, newRouter, route } from "../route.ts";

const IdParam = z.object({ approvalId: z.string().max(64) });
const ListQuery = z.object({
  status: ApprovalStatus.optional().meta({ description: "Only requests in this state (default: all, newest first)." }),
});
const RejectBody = named(
  "RejectRequest",
  z.object({ reason: z.string().trim().min(1, "say why it is rejected").max(2000) }),
);

export function approvalRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/approvals",
      operationId: "listApprovals",
      tags: ["compliance"],
      summary: "Publish requests, newest first",
      request: { query: ListQuery },
      responses: { 200: { description: "Up to 200 requests.", ...json(ApprovalList) } },
    }),
    async (c) => c.json({ items: await listApprovals(db, c.req.valid("query").status ?? null) }, 200),
  );

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/approvals/{approvalId}",
      operationId: "getApproval",
      tags: ["compliance"],
      summary: "One publish request: the document, its diff against the live version, its worst-case cost",
      request: { params: IdParam },
      responses: {
        200: { description: "The request.", ...json(ApprovalDetail) },
        404: { description: "No such request." },
      },
    }),
    async (c) => c.json(await approvalDetail(db, c.req.valid("param").approvalId), 200),
  );

  app.openapi(
    route("approve", {
      method: "post",
      path: "/approvals/{approvalId}/approve",
      operationId: "approveRequest",
      tags: ["compliance"],
      summary: "Approve: the requested document becomes the next version",
      description:
        "Compiled again with the policy as it is now. The author cannot approve their own request (403 `own_request`).",
      request: { params: IdParam },
      responses: {
        201: { description: "The version published.", ...json(unchecked(Version)) },
        403: { description: "Not an approver, or the caller's own request." },
        404: { description: "No such request." },
        409: { description: "Decided already, archived, unchanged, or another version went live since (`stale`)." },
        422: { description: "It no longer compiles under the policy: `error.issues` lists why." },
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { approvalId } = c.req.valid("param");
      const now = deps.clock();
      const { version, journey } = await db.transaction((tx) => approve(tx, approvalId, actor, now));
      return jsonText(versionJson(version, journey), 201, {
        Location: `/v1/journeys/${journey.id}/versions/${version.version}`,
      });
    },
  );

  app.openapi(
    route(
      "approve",
      {
        method: "post",
        path: "/approvals/{approvalId}/reject",
        operationId: "rejectRequest",
        tags: ["compliance"],
        summary: "Reject a publish request, saying why",
        request: { params: IdParam, body: { required: true, ...json(RejectBody) } },
        responses: {
          200: { description: "The request, rejected.", ...json(Approval) },
          403: { description: "Not an approver, or the caller's own request." },
          404: { description: "No such request." },
          409: { description: "Decided already." },
        },
      },
      { accept: ["json"], maxBytes: 16 * 1024, required: true },
    ),
    async (c) => {
      const actor = actorOf(c);
      const { approvalId } = c.req.valid("param");
      const now = deps.clock();
      const r = await db.transaction((tx) => reject(tx, approvalId, actor, now, c.req.valid("json").reason));
      return c.json(r, 200);
    },
  );

  return app;
}
