/**
 * The report projector alone in a process, for the kill test (engine/src/report/kill.test.ts):
 * projects the ab-onboarding facts of the database given, ten timeline rows per transaction, each
 * transaction held open a few ms so a SIGKILL can land inside one; prints one line per batch.
 */
import { zonesOf } from "../report/index.ts";
import { ReportProjector } from "../report/project.ts";
import { SqliteStore } from "../store/sqlite/store.ts";
import { sampleWorld } from "./samples.ts";

const db = process.argv[2];
if (!db) throw new Error("usage: project-child.ts <engine.sqlite>");
const store = new SqliteStore({ path: db });
const world = sampleWorld("ab-onboarding");
const projector = new ReportProjector(store.facts, {
  ...zonesOf(() => world),
  batch: 10,
  beforeCommit: () => {
    const until = Date.now() + 3;
    while (Date.now() < until);
  },
});
for (let n = 1; ; n++) {
  const r = projector.catchUp({ maxBatches: 1 });
  process.stdout.write(`batch ${n}\n`);
  if (!r.more) break;
}
process.stdout.write("done\n");
store.close();
