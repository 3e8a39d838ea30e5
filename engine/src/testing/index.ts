/**
 * What other packages' tests use of the engine's testing tools: a throwaway PostgreSQL server of
 * Debian's binaries (initdb into a temp directory, a free loopback port, restart/halt/start for
 * outage tests) and fresh databases on it.
 */
export {
  createDatabase,
  findBinaries,
  startServer,
  type ServerOptions,
  type TestServer,
} from "../store/pg/testing/server.ts";
export { parityProblems, schemaShape, type Shape } from "./schema-parity.ts";
export { pendingMigrations } from "./migrations.ts";
export { Receiver } from "./receiver.ts";
