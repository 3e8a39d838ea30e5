/**
 * Ids are branded (shared/src/schema/event.ts, common.ts): the engine takes a person's id only as a
 * `UserId`, which comes from parsing at an edge. The `@ts-expect-error` lines are the test: tsc
 * (`npm test` type-checks every test file) fails if any of them ever compiles.
 */
import { EventId, JourneyId, UserId } from "@lifeloop/shared";
import { describe, expect, it } from "vitest";
import type { SidecarStore } from "../store/port.ts";
import { newUserState } from "./step.ts";
import type { CoreEvent } from "./types.ts";

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

  it("are parsed with the envelope's rules: 1-128 characters, no NUL", () => {
    expect(UserId.safeParse("").success).toBe(false);
    expect(UserId.safeParse("a\u0000b").success).toBe(false);
    expect(UserId.safeParse("x".repeat(129)).success).toBe(false);
    expect(UserId.parse("user-1")).toBe("user-1");
  });
});
