/**
 * The redemption catalog: items points buy, and redeeming one for a person.
 *   GET  /v1/catalog/items                     every item, retired ones too (viewer)
 *   POST /v1/catalog/items                     a new item (publisher)
 *   PUT  /v1/catalog/items/{itemId}            its names, price, stock, limit (publisher)
 *   POST /v1/catalog/items/{itemId}/retire     nobody can redeem it any more (publisher)
 *   POST /v1/catalog/items/{itemId}/redeem     spend its points, take one from stock (publisher: the host's server)
 * Items change what live redemptions cost, so changing them is the publisher's, as publishing is.
 */
import {
  CatalogItem,
  CatalogItemFields,
  CatalogItemInput,
  CatalogItemList,
  CatalogRedeemRefused,
  CatalogRedeemRequest,
  CatalogRedemption,
} from "@lifeloop/shared";
import { z } from "zod";
import { actorOf } from "../auth.ts";
import { recordAudit } from "../audit.ts";
import { insertItem, listItems, readItem, retireItem, updateItem } from "../catalog/items.ts";
import { redeemItem } from "../catalog/redeem.ts";
import type { Deps } from "../context.ts";
import { ApiError, notFound } from "../errors.ts";
import { named } from "../openapi.ts";
import { json, newRouter, route } from "../route.ts";

named("CatalogItem", CatalogItem);
named("CatalogItemList", CatalogItemList);
named("CatalogItemFields", CatalogItemFields);
named("NewCatalogItem", CatalogItemInput);
named("CatalogRedeemRequest", CatalogRedeemRequest);
named("CatalogRedemption", CatalogRedemption);
named("CatalogRedeemRefused", CatalogRedeemRefused);

const ItemParam = z.object({ itemId: z.string().max(64) });
const small = { accept: ["json"] as const, maxBytes: 4 * 1024, required: true };

export function catalogRoutes(deps: Deps) {
  const app = newRouter();
  const { db } = deps;

  app.openapi(
    route("viewer", {
      method: "get",
      path: "/catalog/items",
      operationId: "listCatalogItems",
      tags: ["catalog"],
      summary: "The redemption catalog",
      description: "Every item, oldest first, with its stock left and how many were redeemed; retired ones too.",
      responses: { 200: { description: "The items.", ...json(CatalogItemList) } },
    }),
    async (c) => c.json({ items: await listItems(db) }, 200),
  );

  app.openapi(
    route(
      "publisher",
      {
        method: "post",
        path: "/catalog/items",
        operationId: "createCatalogItem",
        tags: ["catalog"],
        summary: "Add an item to the catalog",
        request: { body: { required: true, ...json(CatalogItemInput) } },
        responses: {
          201: { description: "The item.", ...json(CatalogItem) },
          409: { description: "An item has this id already." },
        },
      },
      small,
    ),
    async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid("json");
      const now = deps.clock();
      const item = await db.transaction(async (tx) => {
        if (await readItem(tx, body.id)) throw new ApiError(409, "exists", `catalog item "${body.id}" exists already`);
        await insertItem(tx, body, actor, now.toISOString());
        await recordAudit(tx, now, actor, "catalog.create", { type: "catalog", id: body.id }, body);
        return (await readItem(tx, body.id))!;
      });
      return c.json(item, 201);
    },
  );

  app.openapi(
    route(
      "publisher",
      {
        method: "put",
        path: "/catalog/items/{itemId}",
        operationId: "updateCatalogItem",
        tags: ["catalog"],
        summary: "Change an item's names, price, stock or per-person limit",
        description: "`stock` is set as given (a restock); redemptions in flight keep the price they were made at.",
        request: { params: ItemParam, body: { required: true, ...json(CatalogItemFields) } },
        responses: {
          200: { description: "The item now.", ...json(CatalogItem) },
          404: { description: "No such item." },
        },
      },
      small,
    ),
    async (c) => {
      const actor = actorOf(c);
      const { itemId } = c.req.valid("param");
      const body = c.req.valid("json");
      const now = deps.clock();
      const item = await db.transaction(async (tx) => {
        const before = await readItem(tx, itemId);
        if (!before) throw notFound(`catalog item "${itemId}"`);
        await updateItem(tx, itemId, body, actor, now.toISOString());
        const { name, points, stock, perPersonLimit } = before;
        await recordAudit(
          tx,
          now,
          actor,
          "catalog.edit",
          { type: "catalog", id: itemId },
          { before: { name, points, stock, perPersonLimit }, after: body },
        );
        return (await readItem(tx, itemId))!;
      });
      return c.json(item, 200);
    },
  );

  app.openapi(
    route("publisher", {
      method: "post",
      path: "/catalog/items/{itemId}/retire",
      operationId: "retireCatalogItem",
      tags: ["catalog"],
      summary: "Retire an item: nobody can redeem it from now on",
      description: "The item and its redemptions stay (the ledger names it); retiring again changes nothing.",
      request: { params: ItemParam },
      responses: {
        200: { description: "The item, retired.", ...json(CatalogItem) },
        404: { description: "No such item." },
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { itemId } = c.req.valid("param");
      const now = deps.clock();
      const item = await db.transaction(async (tx) => {
        const before = await readItem(tx, itemId);
        if (!before) throw notFound(`catalog item "${itemId}"`);
        if (before.retiredAt !== null) return before;
        await retireItem(tx, itemId, actor, now.toISOString());
        await recordAudit(tx, now, actor, "catalog.retire", { type: "catalog", id: itemId }, {});
        return (await readItem(tx, itemId))!;
      });
      return c.json(item, 200);
    },
  );

  app.openapi(
    route(
      "publisher",
      {
        method: "post",
        path: "/catalog/items/{itemId}/redeem",
        operationId: "redeemCatalogItem",
        tags: ["catalog"],
        summary: "Redeem an item for a person: spend its points in the engine, take one from stock",
        description:
          "Exactly once per key, both or neither: the same request again answers the first redemption " +
          "(`replayed`). Refused whole (409) when points are short (with the balance), the item is out of stock, " +
          "the person reached its limit, or it is retired. When the engine cannot be reached: 503 with " +
          "Retry-After, nothing spent and no stock taken; when its answer was lost, 503 too, the item kept for " +
          "the key until the same request settles it.",
        request: { params: ItemParam, body: { required: true, ...json(CatalogRedeemRequest) } },
        responses: {
          200: { description: "Redeemed (now, or by the first request with this key).", ...json(CatalogRedemption) },
          404: { description: "No such item." },
          409: { description: "Refused: nothing spent, no stock taken.", ...json(CatalogRedeemRefused) },
          422: { description: "The key already redeemed another item or for another person." },
          502: { description: "The engine refused the request as malformed or unauthorised: nothing spent." },
          503: { description: "The engine did not answer (Retry-After), or none is configured." },
        },
      },
      small,
    ),
    async (c) => {
      const { itemId } = c.req.valid("param");
      return c.json(await redeemItem(deps, itemId, c.req.valid("json")), 200);
    },
  );

  return app;
}
