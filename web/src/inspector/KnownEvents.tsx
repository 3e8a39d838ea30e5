/**
 * Under the journey's catalog: the events the workspace knows (seen by the API and the engine, or
 * in a sample) that the catalog does not declare yet, each with its properties and a button that
 * adds it in one action.
 */
import { useTranslation } from "react-i18next";
import type { Catalog } from "@lifeloop/shared";
import { declareEvent } from "../catalog/declare.ts";
import { undeclaredEvents } from "../catalog/known.ts";
import { useWorkspaceCatalog } from "../catalog/observed.ts";
import { eventName, propName } from "../i18n/catalogNames.ts";
import { useLang } from "../i18n/useLang.ts";

export function KnownEvents({ own }: { own: Catalog | undefined }) {
  const { t } = useTranslation();
  const lang = useLang();
  const workspace = useWorkspaceCatalog();
  const known = Object.entries(undeclaredEvents(own, workspace));
  if (known.length === 0) return null;
  return (
    <div className="known-events" data-testid="known-events">
      <p className="known-events__title">{t("settings.knownEvents")}</p>
      <ul>
        {known.map(([type, def]) => (
          <li key={type} data-testid={`known-event-${type}`}>
            <span className="known-events__name">
              {eventName(workspace, type, lang)}
              {eventName(workspace, type, lang) !== type && <code> {type}</code>}
            </span>
            <span className="known-events__props">
              {Object.keys(def.props)
                .map((p) => propName(workspace, type, p, lang))
                .join(lang === "zh-CN" ? "、" : ", ")}
            </span>
            <button
              type="button"
              className="link-button"
              data-testid={`declare-${type}`}
              title={t("rule.declareHelp", { event: type })}
              onClick={() => declareEvent(type, def)}
            >
              {t("rule.declare")}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
