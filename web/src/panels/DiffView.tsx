/** What changed between two sides of a journey (versions or the draft), as the API's diff says it. */
import { useTranslation } from "react-i18next";
import type { DiffResult } from "../api/client.ts";

const show = (v: unknown): string => (v === undefined ? "∅" : JSON.stringify(v));

function Field({ path, before, after }: { path: string; before?: unknown; after?: unknown }) {
  return (
    <li className="diff__field">
      <code>{path || "·"}</code>: <del>{show(before)}</del> → <ins>{show(after)}</ins>
    </li>
  );
}

/**
 * `from` names the side the diff starts from ("v2", the draft, "∅"): the publish dialog's and an
 * approval's "from the live version" line. `intro` replaces that line (the history's "from A to B").
 */
export function DiffView({ diff: d, from, intro }: { diff: DiffResult["diff"]; from?: string; intro?: string }) {
  const { t } = useTranslation();
  return (
    <div className="diff">
      <p className="muted">{intro ?? t("publish.diffFrom", { from: from ?? t("publish.draft") })}</p>
      {d.unchanged && <p data-testid="diff-unchanged">{t("publish.unchanged")}</p>}
      {d.nodes.added.length > 0 && (
        <div data-testid="diff-nodes-added">
          <h4>{t("publish.nodesAdded")}</h4>
          <ul>
            {d.nodes.added.map((n) => (
              <li key={n.id} className="diff__added">
                + {n.id} <span className="muted">({n.kind})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {d.nodes.removed.length > 0 && (
        <div data-testid="diff-nodes-removed">
          <h4>{t("publish.nodesRemoved")}</h4>
          <ul>
            {d.nodes.removed.map((n) => (
              <li key={n.id} className="diff__removed">
                − {n.id} <span className="muted">({n.kind})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {d.nodes.changed.length > 0 && (
        <div data-testid="diff-nodes-changed">
          <h4>{t("publish.nodesChanged")}</h4>
          <ul>
            {d.nodes.changed.map((n) => (
              <li key={n.id} data-testid={`diff-node-${n.id}`}>
                {n.id} <span className="muted">({n.kind})</span>
                <ul>
                  {n.fields.map((f) => (
                    <Field key={f.path} {...f} />
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
      {d.nodes.moved.length > 0 && <p className="muted">{t("publish.moved", { count: d.nodes.moved.length })}</p>}
      {(d.edges.added.length > 0 || d.edges.removed.length > 0) && (
        <div data-testid="diff-edges">
          <h4>{t("publish.edges")}</h4>
          <ul>
            {d.edges.added.map((e) => (
              <li key={`+${e.id}`} className="diff__added">
                + {e.source}.{e.sourceHandle} → {e.target}
              </li>
            ))}
            {d.edges.removed.map((e) => (
              <li key={`-${e.id}`} className="diff__removed">
                − {e.source}.{e.sourceHandle} → {e.target}
              </li>
            ))}
          </ul>
        </div>
      )}
      {d.journey.length > 0 && (
        <div data-testid="diff-journey">
          <h4>{t("publish.journeyChanges")}</h4>
          <ul>
            {d.journey.map((f) => (
              <Field key={f.path} {...f} />
            ))}
          </ul>
        </div>
      )}
      {(d.segments.added.length > 0 || d.segments.removed.length > 0 || d.segments.changed.length > 0) && (
        <div data-testid="diff-segments">
          <h4>{t("publish.segments")}</h4>
          <ul>
            {d.segments.added.map((s) => (
              <li key={`+${s}`} className="diff__added">
                + {s}
              </li>
            ))}
            {d.segments.removed.map((s) => (
              <li key={`-${s}`} className="diff__removed">
                − {s}
              </li>
            ))}
            {d.segments.changed.map((s) => (
              <li key={s.id}>
                {s.id}
                <ul>
                  {s.fields.map((f) => (
                    <Field key={f.path} {...f} />
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
