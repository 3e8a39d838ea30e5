import { z } from "zod";
import { CHANNELS } from "../kinds/message.ts";
import { JourneyId, JsonValue, NodeId } from "../schema/common.ts";
import { UserId } from "../schema/event.ts";
import { RewardData } from "./effects.ts";

/**
 * A test send: one message node's template rendered for a chosen person and delivered through the
 * engine's outbox like a real message, marked as a test (its key starts "test/", its effect says
 * `test: true`). It is no step of any run, so reports and stats never count it.
 */

const Id = z.string().min(1).max(64);

/** What the editor asks the API for: the node, who gets it, and the person's data to render with. */
export const TestSendRequest = z.strictObject({
  nodeId: Id,
  userId: UserId.meta({ description: "The test person the message is delivered to." }),
  profile: z
    .record(z.string().max(64), JsonValue)
    .default({})
    .meta({ description: "The person's profile attributes." }),
  reward: RewardData.nullable().default(null).meta({ description: "The last reward, as {{reward.*}} reads it." }),
});
export type TestSendRequest = z.infer<typeof TestSendRequest>;

/** What the API hands the engine: the message already rendered (by shared's renderTemplate). */
export const TestMessage = z.strictObject({
  key: z
    .string()
    .regex(/^test\//)
    .max(300),
  userId: UserId,
  journeyId: JourneyId,
  nodeId: NodeId,
  channel: z.enum(CHANNELS),
  title: z.string().max(1000).nullable(),
  text: z.string().max(10_000),
});
export type TestMessage = z.infer<typeof TestMessage>;

export const TestSendResult = TestMessage.extend({ test: z.literal(true) });
export type TestSendResult = z.infer<typeof TestSendResult>;
