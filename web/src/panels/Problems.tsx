/** The compiler's problems for the draft; clicking one selects the node it names and brings it into view. */
import { useReactFlow } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import { useEditor } from "../store/editor.ts";
import { useValidation } from "../store/validation.ts";

export function Problems() {
  const { t } = useTranslation();
  const { issues, errors, warnings, pending } = useValidation();
  const flow = useReactFlow();
  const focus = (nodeId: string | undefined) => {
    if (!nodeId) return;
    useEditor.getState().select({ nodes: [nodeId], edges: [] });
    void flow.fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 });
  };
  return (
    <section className="problems" data-testid="problems" aria-live="polite">
      <header>
        <strong>{t("problems.title")}</strong>
        <span className={errors ? "badge badge--error" : "badge badge--ok"} data-testid="problems-errors">
          {t("problems.errors", { count: errors })}
        </span>
        <span className="badge badge--warning">{t("problems.warnings", { count: warnings })}</span>
        {pending && <span className="muted">{t("problems.checking")}</span>}
      </header>
      {issues.length === 0 ? (
        <p className="muted">{t("problems.none")}</p>
      ) : (
        <ul>
          {issues.map((i, n) => (
            <li key={`${i.path}-${i.code}-${n}`}>
              <button type="button" className={`problem problem--${i.severity}`} data-testid="problem" data-code={i.code} data-node={i.nodeId ?? ""} onClick={() => focus(i.nodeId)}>
                <span className="problem__where">{i.nodeId ?? i.path}</span>
                {i.field && <span className="problem__field">{i.field}</span>}
                <span className="problem__message">{i.message}</span>
                <code className="problem__code">{i.code}</code>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
