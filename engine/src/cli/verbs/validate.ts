import { compileJourney, formatAmount, type CostReport, type Issue } from "@lifeloop/shared";
import { parse } from "../args.ts";
import { CliError, expandFiles, readJsonFile } from "../read.ts";
import type { Verb } from "../verb.ts";

export const validate: Verb = {
  name: "validate",
  usage: "validate FILE|DIR… [--json]",
  summary: "check journey files; exit 0 when all are valid, 1 when not",
  run(argv, out) {
    const { values, positionals } = parse(argv, { json: { type: "boolean", default: false } });
    if (positionals.length === 0) throw new CliError("validate: name at least one journey file");
    const results = expandFiles(positionals).map((file) => {
      try {
        const r = compileJourney(readJsonFile(file));
        return { file, ok: r.ok, issues: r.issues, cost: r.cost };
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        return {
          file,
          ok: false,
          issues: [
            { severity: "error", code: "unreadable", path: "$", message: e.message.replace(`${file}: `, "") } as Issue,
          ],
          cost: null,
        };
      }
    });
    if (values.json) {
      out.stdout(JSON.stringify(results, null, 2));
    } else {
      for (const r of results) {
        for (const i of r.issues) out.stdout(formatIssue(r.file, i));
        const warnings = r.issues.filter((i) => i.severity === "warning").length;
        if (r.ok)
          out.stdout(
            `${r.file}: valid${warnings ? ` (${warnings} warning${warnings > 1 ? "s" : ""})` : ""}` +
              formatCost(r.cost),
          );
      }
      const bad = results.filter((r) => !r.ok).length;
      if (results.length > 1) out.stdout(`${results.length - bad} valid, ${bad} invalid`);
    }
    return results.every((r) => r.ok) ? 0 : 1;
  },
};

export function formatIssue(file: string, i: Issue): string {
  const node = i.nodeId ? ` node ${i.nodeId}` : "";
  return `${file}: ${i.severity} ${i.path}${node}: ${i.message} [${i.code}]`;
}

function formatCost(cost: CostReport | null): string {
  if (!cost || Object.keys(cost).length === 0) return "";
  const parts = Object.entries(cost).map(([unit, c]) =>
    c.perUser === null ? `${unit} unbounded per person` : `at most ${formatAmount(c.perUser, unit)} per person`,
  );
  return `; rewards: ${parts.join(", ")}`;
}
