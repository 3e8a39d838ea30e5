/** Compiler issues as the inspector lists them, and by field for the form to show beside each field. */
import type { Issue, Lang } from "@lifeloop/shared";
import { issueText, type IssueNode } from "../i18n/issues.ts";
import { normalizeField } from "./SchemaForm.tsx";

/**
 * The issues no field of the form below shows (a branch left unconnected, a step nobody reaches),
 * each in plain words: what a field shows is said once, beside it.
 */
export function IssueList({
  issues,
  testId,
  title,
  lang,
  node,
}: {
  issues: Issue[];
  testId: string;
  title: string;
  lang: Lang;
  node?: IssueNode;
}) {
  if (issues.length === 0) return null;
  return (
    <section className="inspector__issues" data-testid={testId} aria-label={title}>
      {issues.map((issue, i) => {
        const plain = issueText(issue, lang, node);
        return (
          <p
            key={i}
            className={`inspector__issue inspector__issue--${issue.severity}`}
            data-testid="inspector-issue"
            data-field={issue.field ?? ""}
            data-code={issue.code}
            title={plain.detail ?? undefined}
          >
            {issue.severity === "error" ? "⛔" : "⚠"} {plain.text}
          </p>
        );
      })}
    </section>
  );
}

/** Compiler messages, in plain words, by normalized field ("params.branches.1.rule"); each said once. */
export function issuesByField(
  issues: readonly Issue[],
  field: (i: Issue) => string | undefined,
  text: (i: Issue) => string,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const issue of issues) {
    const f = field(issue);
    if (!f) continue;
    const key = normalizeField(f);
    const list = out.get(key) ?? [];
    const t = text(issue);
    if (!list.includes(t)) out.set(key, [...list, t]);
  }
  return out;
}

/** "params.branches.1.rule" → ["branches", 1, "rule"] (after the form's base, "params"). */
export function fieldPath(field: string, base: string): Array<string | number> | null {
  const f = normalizeField(field);
  const parts = f.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (base === "") return parts;
  if (parts[0] !== base) return null;
  return parts.slice(1);
}
