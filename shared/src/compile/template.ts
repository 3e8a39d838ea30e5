import { checkVariable, type VariableContext } from "./variables.ts";

/** `{{ path }}` or `{{ path | fallback }}`; fallback is literal text. */
const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

export interface TemplateProblem {
  code: "template_syntax" | "unknown_variable";
  message: string;
}

export function templateVariables(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function checkTemplate(text: string, vars: VariableContext): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const stripped = text.replace(PLACEHOLDER, "");
  if (stripped.includes("{{") || stripped.includes("}}")) {
    problems.push({ code: "template_syntax", message: 'a "{{" or "}}" is not closed, or a placeholder is empty' });
  }
  for (const path of templateVariables(text)) {
    if (path === "") {
      problems.push({ code: "template_syntax", message: "an empty {{ }} placeholder" });
      continue;
    }
    const why = checkVariable(path, { ...vars, template: true });
    if (why) problems.push({ code: "unknown_variable", message: why });
  }
  return problems;
}

/**
 * Fills a template from run data. Missing values use the fallback or become empty; values are
 * inserted as text, never interpreted, so a template cannot reach anything but plain data.
 */
export function renderTemplate(text: string, data: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_m, path: string, fallback: string | undefined) => {
    let v: unknown = data;
    for (const part of path.split(".")) {
      if (v === null || typeof v !== "object" || !Object.hasOwn(v, part)) {
        v = undefined;
        break;
      }
      v = (v as Record<string, unknown>)[part];
    }
    if (v === undefined || v === null || v === "") return fallback ?? "";
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  });
}
