/** Compiler issues as the inspector lists them, and by field for the form to show beside each field. */
import type { Issue } from "@lifeloop/shared";
import { normalizeField } from "./SchemaForm.tsx";

export function IssueList({ issues, testId, title }: { issues: Issue[]; testId: string; title: string }) {
  if (issues.length === 0) return null;
  return (
    <section className="inspector__issues" data-testid={testId} aria-label={title}>
      {issues.map((issue, i) => (
        <p key={i} className={`inspector__issue inspector__issue--${issue.severity}`} data-testid="inspector-issue" data-field={issue.field ?? ""} data-code={issue.code}>
          {issue.severity === "error" ? "⛔" : "⚠"} {issue.field && <code>{issue.field}</code>} {issue.message}
        </p>
      ))}
    </section>
  );
}

/** Compiler messages by normalized field ("params.branches.1.rule"). */
export function issuesByField(issues: readonly Issue[], field: (i: Issue) => string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const issue of issues) {
    const f = field(issue);
    if (!f) continue;
    const key = normalizeField(f);
    out.set(key, [...(out.get(key) ?? []), issue.message]);
  }
  return out;
}

