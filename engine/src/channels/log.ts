import type { Channel } from "./types.ts";

/**
 * For running without a host platform (local use, demos, tests): a message counts as delivered
 * when it reaches the outbox, and stays there queryable through GET /v1/messages.
 */
export const logChannel: Channel = {
  name: "log",
  receiver: "log",
  deliver: async () => ({ ok: true }),
};
