/** The compiler's problems for the draft; clicking one selects the node it names and brings it into view. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { issueText } from "../i18n/issues.ts";
import { useFitNodes } from "../canvas/fitNodes.ts";
import { useEditor } from "../store/editor.ts";
import { useValidation } from "../store/validation.ts";
import { nodeName } from "./common.tsx";
import { useLang } from "../i18n/useLang.ts";

export function Problems() {
  const { t } = useTranslation();
  const lang = useLang();
  const { issues, errors, warnings, pending, doc } = useValidation();
  // The results are the draft's on screen only once the check has run on it: between an edit and the
  // live check's effect marking them pending, they are still the previous draft's.
  const onScreen = useEditor((s) => s.doc);
  // A journey just begun is not broken: its one "error" is the next thing to do.
  const begun = errors === 1 && issues.some((i) => i.code === "journey_empty");
  const fit = useFitNodes();
  const [open, setOpen] = useState(true);
  const focus = (nodeId: string | undefined) => {
    if (!nodeId) return;
    useEditor.getState().select({ nodes: [nodeId], edges: [] });
    fit([nodeId], { duration: 300, maxZoom: 1.2 });
  };
  return (
    <section
      className={`problems${open ? "" : " problems--collapsed"}`}
      data-testid="problems"
      aria-live="polite"
      // The journey on screen has been checked (the canvas benchmark times it).
      data-checked={!pending && doc !== null && doc === onScreen ? "" : undefined}
    >
      <header>
        <strong>{t("problems.title")}</strong>
        <span
          className={begun ? "badge badge--hint" : errors ? "badge badge--error" : "badge badge--ok"}
          data-testid="problems-errors"
          data-begun={begun || undefined}
        >
          {begun ? t("problems.begun") : t("problems.errors", { count: errors })}
        </span>
        <span className="badge badge--warning">{t("problems.warnings", { count: warnings })}</span>
        {pending && <span className="muted">{t("problems.checking")}</span>}
        <button
          type="button"
          className="problems__toggle"
          data-testid="problems-toggle"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? t("problems.hide") : t("problems.show")}
        </button>
      </header>
      {!open ? null : issues.length === 0 ? (
        <p className="muted">{t("problems.none")}</p>
      ) : (
        <ul>
          {issues.map((i, n) => {
            const node = i.nodeId ? doc?.nodes.find((x) => x.id === i.nodeId) : undefined;
            const plain = issueText(i, lang, node);
            return (
              <li key={`${i.path}-${i.code}-${n}`}>
                <button
                  type="button"
                  className={`problem problem--${i.severity}`}
                  data-testid="problem"
                  data-code={i.code}
                  data-node={i.nodeId ?? ""}
                  data-severity={i.severity}
                  onClick={() => focus(i.nodeId)}
                  // The compiler's technical words are English: in Chinese a tooltip, not text on the page.
                  title={lang === "en" ? undefined : (plain.detail ?? undefined)}
                >
                  <span className="problem__where">
                    {i.nodeId ? nodeName(node, i.nodeId, lang) : t("problems.journey")}
                  </span>
                  <span className="problem__message">{plain.text}</span>
                  {plain.detail && lang === "en" && <span className="problem__detail">{plain.detail}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
