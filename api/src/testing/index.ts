/**
 * @lifeloop/api/testing: the API as the editor's end-to-end tests and benches start it. The real
 * server on a loopback port (SQLite files or PostgreSQL), with keys for every role, and the
 * 200-node journey the benches store.
 */
export { startServer, type TestServer } from "./harness.ts";
export type { EngineConnection } from "../context.ts";
export { bigJourney } from "../../bench/journey.ts";
