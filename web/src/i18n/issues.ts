/**
 * The compiler's issues as the editor shows them: in plain words in the person's language
 * (shared's catalog, compile/messages.ts), a branch named as the canvas labels it, and whether a
 * form shows an issue beside one of its fields (so the lists above the form leave it out).
 */
import { kindOf, plainIssue, plainSchemaMessage, type Issue, type Lang, type PlainIssue } from "@lifeloop/shared";
import type { z } from "zod";
import { shapeOf, variantOf } from "../inspector/schema.ts";

/** The node an issue is about, as far as naming its branches needs. */
export interface IssueNode {
  kind: string;
  params: unknown;
}

/** The label of branch `handle` of a node ("Yes", "Timed out"), when its params parse. */
function branchLabel(node: IssueNode | undefined, handle: string, lang: Lang): string | undefined {
  const def = node ? kindOf(node.kind) : undefined;
  if (!node || !def) return undefined;
  const parsed = def.params.safeParse(node.params);
  if (!parsed.success) return undefined;
  return def.handles(parsed.data).find((h) => h.id === handle)?.label[lang];
}

/** An issue in plain words; `node` (the one it is about) lets a branch be named as the canvas shows it. */
export function issueText(issue: Issue, lang: Lang, node?: IssueNode): PlainIssue {
  const handle = /^handles\.(.+)$/.exec(issue.field ?? "")?.[1];
  const branch = handle ? branchLabel(node, handle, lang) : undefined;
  return plainIssue(issue, lang, branch ? { branch } : {});
}

/** A form's own validation message (zod's) in plain words, as the compiler's same message reads. */
export const formErrorText = (message: string, lang: Lang): string => plainSchemaMessage(message, lang) ?? message;

/**
 * Whether a form generated from `schema` for `value` has a field at `path` to show an issue
 * beside: the path runs through the schema's objects, the chosen variant, lists and records, or
 * ends inside a rule (rule builders show what is wrong anywhere inside them).
 */
export function hasField(schema: z.ZodType, value: unknown, path: ReadonlyArray<string | number>): boolean {
  let s = schema;
  let v = value;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const shape = shapeOf(s);
    const child = v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[part] : undefined;
    switch (shape.type) {
      case "rule":
        return true;
      case "object": {
        const f = shape.fields.find(([k]) => k === part);
        if (!f) return false;
        s = f[1];
        break;
      }
      case "variants": {
        const chosen = variantOf(shape, v);
        return hasField(chosen.schema, v, path.slice(i));
      }
      case "intersection":
        return shape.parts.some((p) => hasField(p, v, path.slice(i)));
      case "array":
        if (typeof part !== "number" && !/^\d+$/.test(String(part))) return false;
        s = shape.element;
        break;
      case "record":
        s = shape.value;
        break;
      default:
        return false;
    }
    v = child;
  }
  return true;
}
