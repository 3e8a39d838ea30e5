import { spawnSync } from "node:child_process";

/**
 * Prometheus's own linter, `promtool check metrics` (Debian's `prometheus` package; .ci/run installs
 * it). Under CI=true a missing promtool is an error, so the lint cannot pass by not running;
 * locally the tests that need it are skipped, loudly.
 */
export const promtool: { available: boolean; reason: string } = (() => {
  const probe = spawnSync("promtool", ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return { available: true, reason: "" };
  const reason =
    `promtool not found (${probe.error?.message ?? probe.stderr.trim()}): apt-get install ` +
    `--no-install-recommends prometheus`;
  if (process.env.CI === "true")
    throw new Error(`[promtool] ${reason}. CI=true, so the metrics lint fails instead of being skipped.`);
  console.warn(`\n[promtool] *** SKIPPED: ${reason}. Under CI=true this fails. ***\n`);
  return { available: false, reason };
})();

/** promtool's complaints about one exposition, one a line; empty when it is clean. */
export function promtoolProblems(exposition: string): string[] {
  const run = spawnSync("promtool", ["check", "metrics"], { input: exposition, encoding: "utf8", timeout: 10_000 });
  if (run.error) throw run.error;
  const out = `${run.stdout}${run.stderr}`
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  // A non-zero exit with no text would be a lint that failed unseen: report it as a problem.
  if (run.status !== 0 && out.length === 0) return [`promtool exited ${run.status} without output`];
  return out;
}
