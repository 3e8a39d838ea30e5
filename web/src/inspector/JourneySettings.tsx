/**
 * What the inspector shows with nothing selected: the journey's own settings, each section a form
 * generated from the shared journey schema (name, time zone, entry policy, goal, exit criteria,
 * quiet hours and frequency cap, group and priority, segments, catalog), written back with `patchJourney`.
 */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { DraftJourney, type Issue } from "@lifeloop/shared";
import type { z } from "zod";
import { useEditor, type Doc } from "../store/editor.ts";
import { useValidation } from "../store/validation.ts";
import { ruleContextFor, suggestionsFor, useJourneyFacts, type JourneyFacts } from "./context.ts";
import { hasField, issueText } from "../i18n/issues.ts";
import { fieldPath, IssueList, issuesByField } from "./Issues.tsx";
import type { RuleContext } from "./rules.ts";
import { KnownEvents } from "./KnownEvents.tsx";
import { SchemaForm } from "./SchemaForm.tsx";
import { useLang } from "../i18n/useLang.ts";

type Key = keyof Omit<Doc, "nodes" | "edges" | "id" | "schemaVersion">;

interface SectionDef {
  id: string;
  keys: Key[];
  scope: RuleContext["scope"];
  open: boolean;
}

const SECTIONS: SectionDef[] = [
  { id: "basics", keys: ["name", "description", "timeZone"], scope: "run", open: true },
  { id: "entry", keys: ["entry"], scope: "run", open: true },
  { id: "goal", keys: ["goal"], scope: "run", open: true },
  { id: "exitCriteria", keys: ["exitCriteria"], scope: "run", open: false },
  { id: "settings", keys: ["settings"], scope: "run", open: false },
  { id: "group", keys: ["group", "priority", "groupPeriod"], scope: "run", open: false },
  // Segment conditions are about a person: no event, no trigger.
  { id: "segments", keys: ["segments"], scope: "profile", open: false },
  { id: "catalog", keys: ["catalog"], scope: "run", open: false },
];

const NO_ISSUES: Issue[] = [];
/** "$.goal.window" → "goal.window"; node issues are the node inspector's. */
const journeyField = (i: Issue): string | undefined =>
  i.nodeId ? undefined : i.path.replace(/^\$\.?/, "") || undefined;

/** The journey's field an issue is about, as a path under the whole document, when a section shows it. */
function placedIn(i: Issue, doc: Doc): SectionDef | null {
  const f = journeyField(i);
  const path = f ? fieldPath(f, "") : null;
  if (!path || path.length === 0) return null;
  const key = path[0] as Key;
  const section = SECTIONS.find((s) => s.keys.includes(key));
  if (!section) return null;
  const schema: z.ZodType = DraftJourney.shape[key];
  return hasField(schema, doc[key], path.slice(1)) ? section : null;
}

export function JourneySettings() {
  const { t } = useTranslation();
  const lang = useLang();
  const doc = useEditor((s) => s.doc);
  const all = useValidation((s) => s.issues);
  const own = useMemo(
    () => all.filter((i) => !i.nodeId && SECTIONS.some((s) => s.keys.some((k) => journeyField(i)?.startsWith(k)))),
    [all],
  );
  const byField = useMemo(() => issuesByField(own, journeyField, (i) => issueText(i, lang).text), [own, lang]);
  // Said beside its field when a section shows that field (the section opens); listed above otherwise.
  const { unplaced, withIssues } = useMemo(() => {
    const withIssues = new Set<string>();
    const rest: Issue[] = [];
    for (const i of own) {
      const section = doc ? placedIn(i, doc) : null;
      if (section) withIssues.add(section.id);
      else rest.push(i);
    }
    return { unplaced: rest.length ? rest : NO_ISSUES, withIssues };
  }, [own, doc]);
  const facts = useJourneyFacts();
  const suggestions = useMemo(() => suggestionsFor(facts), [facts]);
  if (!doc) return null;
  return (
    <div className="journey-settings" data-testid="journey-settings">
      <h2 className="inspector__title">{t("settings.title")}</h2>
      <IssueList issues={unplaced} testId="journey-issues" title={t("settings.issues")} lang={lang} />
      {SECTIONS.map((s) => (
        <Section
          key={s.id}
          def={s}
          doc={doc}
          facts={facts}
          issues={byField}
          suggestions={suggestions}
          hasIssues={withIssues.has(s.id)}
        />
      ))}
    </div>
  );
}

/** The keys of a section as a zod pick mask. */
function maskOf(keys: Key[]): Partial<Record<Key, true>> {
  const mask: Partial<Record<Key, true>> = {};
  for (const k of keys) mask[k] = true;
  return mask;
}

function Section({
  def,
  doc,
  facts,
  issues,
  suggestions,
  hasIssues,
}: {
  def: SectionDef;
  doc: Doc;
  facts: JourneyFacts;
  issues: Map<string, string[]>;
  suggestions: Record<string, string[]> | undefined;
  hasIssues: boolean;
}) {
  const { t } = useTranslation();
  // One part (entry, goal…): its own schema, named by its key, so no legend repeats the section's title.
  const only = def.keys.length === 1 ? def.keys[0]! : null;
  const schema = useMemo(
    (): z.ZodType => (only ? DraftJourney.shape[only] : DraftJourney.pick(maskOf(def.keys))),
    [def, only],
  );
  const value = useMemo(
    () => (only ? doc[only] : Object.fromEntries(def.keys.filter((k) => doc[k] !== undefined).map((k) => [k, doc[k]]))),
    [def, doc, only],
  );
  const ruleContext = useMemo(() => (parent: unknown) => ruleContextFor(facts, def.scope, parent), [facts, def.scope]);
  return (
    <details className="settings-section" open={def.open || hasIssues} data-testid={`settings-${def.id}`}>
      <summary>{t(`settings.${def.id}`)}</summary>
      <SchemaForm
        schema={schema}
        base={only ?? ""}
        rootLabel={only ?? undefined}
        testId={`form-${def.id}`}
        value={value}
        issues={issues}
        ruleContext={ruleContext}
        suggestions={suggestions}
        onChange={(next) => {
          // Every key of the section, so a removed optional part (the goal) is removed.
          const v = (only ? { [only]: next } : (next ?? {})) as Record<string, unknown>;
          useEditor.getState().patchJourney(Object.fromEntries(def.keys.map((k) => [k, v[k]])) as Partial<Doc>);
        }}
      />
      {only === "catalog" && <KnownEvents own={doc.catalog} />}
    </details>
  );
}
