import { allKinds } from "../kinds/index.ts";
import type { Catalog } from "../schema/journey.ts";
import type { RuleScope } from "../kinds/types.ts";
import { LEVEL_FIELDS } from "../schema/levels.ts";
import { WALLET_FIELDS } from "../wallet.ts";

/**
 * What a rule or template may read. Data handed to rules at run time has this shape:
 *   { event: {id, type, at, props}, trigger: {…same…}, profile: {…attributes, tags}, user: {id},
 *     wallet: {balance, expiring, expiring_at, expiring_<N>d}, level: {id, rank, xp} }
 * where `trigger` is the event that started the run, `wallet` the person's points (shared/src/wallet.ts)
 * and `level` their growth level (schema/levels.ts; empty when the workspace defines none).
 * Which roots exist depends on where the rule sits: segments read the profile and the level alone.
 */
const ROOTS: Record<RuleScope, readonly string[]> = {
  profile: ["profile", "user", "level"],
  entry: ["event", "profile", "user", "wallet", "level"],
  run: ["event", "trigger", "profile", "user", "wallet", "level"],
};
const EVENT_FIELDS = ["id", "type", "at", "props"];
const USER_FIELDS = ["id"];

/** Roots of run data that kinds set for the nodes after them (NodeKindDef.provides): templates may read them. */
function provided(): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const k of allKinds()) if (k.provides) out.set(k.provides.root, k.provides.fields);
  return out;
}

export interface VariableContext {
  scope: RuleScope;
  catalog?: Catalog;
  /** The event type `event` stands for here, when it is known (trigger filter, awaited event, goal). */
  eventType?: string;
  /** The event type `trigger` stands for, when the journey has a single event trigger. */
  triggerType?: string;
  /** Templates only: what kinds provide the nodes after them ({{reward.code}}). */
  template?: boolean;
}

/** Why `path` cannot be read here, or null when it can. */
export function checkVariable(path: string, ctx: VariableContext): string | null {
  if (path === "") return null;
  const parts = path.split(".");
  const root = parts[0]!;
  const extra = ctx.template ? provided() : null;
  const roots = extra ? [...ROOTS[ctx.scope], ...extra.keys()] : ROOTS[ctx.scope];
  if (!roots.includes(root)) {
    return `unknown variable "${path}": here a rule can read ${roots.map((r) => `${r}.…`).join(", ")}`;
  }
  const field = parts[1];
  if (field === undefined) return null;
  switch (root) {
    case "event":
    case "trigger": {
      if (!EVENT_FIELDS.includes(field)) return `unknown variable "${path}": an event has ${EVENT_FIELDS.join(", ")}`;
      const type = root === "event" ? ctx.eventType : ctx.triggerType;
      const known = type ? ctx.catalog?.events[type]?.props : undefined;
      const prop = parts[2];
      if (
        field === "props" &&
        prop !== undefined &&
        known &&
        Object.keys(known).length > 0 &&
        !Object.hasOwn(known, prop)
      ) {
        return (
          `unknown variable "${path}": the catalog lists no property "${prop}" on "${type}" (it ` +
          `has ${Object.keys(known).join(", ")})`
        );
      }
      return null;
    }
    case "user":
      return USER_FIELDS.includes(field) ? null : `unknown variable "${path}": user has ${USER_FIELDS.join(", ")}`;
    case "wallet":
      return WALLET_FIELDS.includes(field) && parts.length === 2
        ? null
        : `unknown variable "${path}": the wallet has ${WALLET_FIELDS.join(", ")}`;
    case "level":
      return LEVEL_FIELDS.includes(field) && parts.length === 2
        ? null
        : `unknown variable "${path}": the level has ${LEVEL_FIELDS.join(", ")}`;
    case "profile": {
      const attributes = ctx.catalog?.attributes;
      if (field === "tags" || !attributes || Object.keys(attributes).length === 0) return null;
      return Object.hasOwn(attributes, field)
        ? null
        : `unknown variable "${path}": the catalog lists no profile attribute "${field}"`;
    }
  }
  const fields = extra?.get(root);
  if (fields && !fields.includes(field)) return `unknown variable "${path}": ${root} has ${fields.join(", ")}`;
  return null;
}
