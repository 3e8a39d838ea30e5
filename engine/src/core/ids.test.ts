/**
 * Ids are branded (shared/src/schema/event.ts, common.ts): the engine takes a person's id only as a
 * `UserId`, which comes from parsing at an edge. The `@ts-expect-error` lines are the test: tsc
 * (`npm test` type-checks every test file) fails if any of them ever compiles.
 */
import { EventId, JourneyId, NodeId, UserId } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import type { GrantRow, SidecarStore, StoreTx } from "../store/port.ts";
import type { World } from "./journeys.ts";
import { newUserState } from "./step.ts";
import type { CoreEvent, Effect, Input } from "./types.ts";

describe("branded ids", () => {
  it("keep a journey id, an event id or a bare string from standing for a person", () => {
    const journey = JourneyId.parse("welcome");
    const event = EventId.parse("e1");
    // @ts-expect-error a journey id is not a user id
    expect(() => newUserState(journey)).not.toThrow();
    // @ts-expect-error an event id is not a user id
    newUserState(event);
    // @ts-expect-error a bare string is not a user id: parse it where it comes in
    newUserState("u1");
    const person = UserId.parse("u1");
    expect(newUserState(person).userId).toBe("u1");
    const lookUp = (store: SidecarStore) => {
      // @ts-expect-error the store's reads take a UserId too
      void store.userState(journey);
      return store.userState(person);
    };
    expect(typeof lookUp).toBe("function");
    const swapped: CoreEvent = {
      // @ts-expect-error an event's id and its person cannot be swapped
      id: person,
      // @ts-expect-error (the other half of the swap)
      userId: event,
      type: "login",
      at: 0,
      props: {},
    };
    expect(swapped.type).toBe("login");
  });

  it("keep a node id and a journey id apart, and a bare string from standing for either", () => {
    const journey = JourneyId.parse("welcome");
    const node = NodeId.parse("gift");
    const person = UserId.parse("u1");
    const effect: Effect = {
      at: 0,
      userId: person,
      // @ts-expect-error an effect's journey is a JourneyId, not a node's id
      journeyId: node,
      version: 1,
      // @ts-expect-error and its node is a NodeId, not the journey's id
      nodeId: journey,
      kind: "goal",
      name: "g",
    };
    expect(effect.kind).toBe("goal");
    const moved: Effect = {
      at: 0,
      userId: person,
      // @ts-expect-error a bare string is no journey id: it comes from the compiler or an edge's parse
      journeyId: "welcome",
      version: 1,
      // @ts-expect-error nor a node id
      nodeId: "gift",
      kind: "move",
      handle: "next",
      // @ts-expect-error where a move leads is a node too
      to: "end",
    };
    expect(moved.kind).toBe("move");
    const scheduled: Input = {
      type: "schedule",
      at: 0,
      journeyId: journey,
      // @ts-expect-error a scheduled entry names its trigger node by NodeId
      nodeId: journey,
    };
    expect(scheduled.type).toBe("schedule");
    const lookUp = (world: World) => {
      // @ts-expect-error the world finds journeys by JourneyId
      void world.liveVersion(node);
      // @ts-expect-error …and never by a bare string
      void world.version("welcome", 1);
      return world.isPaused(journey);
    };
    expect(typeof lookUp).toBe("function");

    const grant: GrantRow = {
      grantKey: "k",
      userId: person,
      journeyId: journey,
      version: 1,
      // @ts-expect-error the ledger's node is a NodeId
      nodeId: "gift",
      type: "points",
      amount: 1,
      code: null,
      unit: "points",
      budgetId: null,
      at: 0,
    };
    expect(grant.journeyId).toBe("welcome");
    const reads = (store: SidecarStore, tx: StoreTx) => {
      // @ts-expect-error the ledger filters by a JourneyId, not a node's id
      void store.ledger({ journeyId: node, limit: 1 });
      // @ts-expect-error …and by a NodeId, not a bare string
      void store.ledger({ nodeId: "gift", limit: 1 });
      // @ts-expect-error a re-drive's journey is a JourneyId
      void store.redriveOutbox({ journeyId: "welcome" }, 0, 1, () => "[]");
      // @ts-expect-error paused journeys are JourneyIds
      void tx.claimDue(0, [node], 1);
      const row = { key: "k", kind: "reward" as const, userId: person, channel: "c", payload: "{}", createdAt: 0 };
      // @ts-expect-error an outbox row's journey and node cannot be swapped
      void tx.insertOutbox({ ...row, journeyId: node, nodeId: journey });
      void tx.insertOutbox({ ...row, journeyId: journey, nodeId: node });
      return store.ledger({ journeyId: journey, nodeId: node, limit: 1 });
    };
    expect(typeof reads).toBe("function");
  });

  it("are parsed with the envelope's rules: 1-128 characters, no NUL", () => {
    expect(UserId.safeParse("").success).toBe(false);
    expect(UserId.safeParse("a\u0000b").success).toBe(false);
    expect(UserId.safeParse("x".repeat(129)).success).toBe(false);
    expect(UserId.parse("user-1")).toBe("user-1");
  });
});
