/**
 * One person's steps through a journey in a marketer's words: each line's time, the node (a link
 * that selects it) and why, with branches as the canvas labels them and money in the journey's
 * currency. The simulate panel and the test-event panel both read a run this way.
 */
import { formatAmount, type Lang } from "@lifeloop/shared";
import { useTranslation } from "react-i18next";
import { viewOf } from "../canvas/summary.ts";
import { formatDate } from "../format.ts";
import { knownCatalog } from "../catalog/known.ts";
import { readingText } from "../i18n/fields.ts";
import type { Doc, DocNode } from "../store/editor.ts";
import { nodeName, selectNode } from "./common.tsx";
import { whyOf, type Step, type WhyFormat } from "./simulation.ts";

/** How the "why" of a step reads for this journey, in `lang`: its time zone, catalog, node and branch names. */
export function whyFormat(doc: Pick<Doc, "timeZone" | "catalog" | "nodes">, lang: Lang): WhyFormat {
  const byId = new Map<string, DocNode>(doc.nodes.map((n) => [n.id, n]));
  const time = (iso: string) => formatDate(iso, doc.timeZone, lang);
  // The workspace's known events too, as the canvas reads rules: their labels and currencies.
  const catalog = knownCatalog(doc.catalog);
  return {
    time,
    money: (unit: string, minor: number) => formatAmount(minor, unit, lang),
    reading: (label: string, value: unknown) => readingText(label, value, { catalog, lang, time }),
    branch: (nodeId, handle) => {
      const n = byId.get(nodeId);
      const h = n ? viewOf(n, lang).handles.find((x) => x.id === handle) : undefined;
      return h ? h.label[lang] : handle;
    },
    node: (id) => nodeName(byId.get(id), id, lang),
  };
}

function TimelineLine({ step, fmt, nodeLabel }: { step: Step; fmt: WhyFormat; nodeLabel: string | null }) {
  const { t } = useTranslation();
  const why = whyOf(step, fmt);
  return (
    <li
      className={`timeline__step timeline__step--${step.kind.replace(":", "-")}`}
      data-testid="sim-step"
      data-kind={step.kind}
      data-node={step.nodeId ?? ""}
    >
      <time>{fmt.time(step.at)}</time>
      {nodeLabel && step.nodeId && (
        <button type="button" className="link" onClick={() => selectNode(step.nodeId!)}>
          {nodeLabel}
        </button>
      )}
      <span className="timeline__why">
        {t(why.key, { ...why.values, defaultValue: `${step.kind} ${JSON.stringify(why.values)}` })}
      </span>
    </li>
  );
}

/** One person's steps, oldest first, with the journey's time zone: the simulate panel's and the test event's. */
export function PersonTimeline({
  testId,
  userId,
  steps,
  fmt,
  nodes,
  timeZone,
  lang,
}: {
  testId: string;
  userId: string | undefined;
  steps: readonly Step[];
  fmt: WhyFormat;
  nodes: ReadonlyMap<string, DocNode>;
  timeZone: string;
  lang: Lang;
}) {
  const { t } = useTranslation();
  return (
    <section className="timeline" data-testid={testId}>
      <h4>
        {t("sim.timeline", { user: userId })} <span className="muted">({timeZone})</span>
      </h4>
      <ol>
        {steps.map((s, i) => (
          <TimelineLine
            key={i}
            step={s}
            fmt={fmt}
            nodeLabel={s.nodeId ? nodeName(nodes.get(s.nodeId), s.nodeId, lang) : null}
          />
        ))}
      </ol>
    </section>
  );
}
