/**
 * The canvas's search box (Ctrl/⌘+F focuses it): nodes matching the words typed — name, id, kind or
 * note — are counted as you type; Enter selects them all and centres the view on them.
 */
import { useState } from "react";
import { Panel } from "@xyflow/react";
import { useTranslation } from "react-i18next";
import { useEditor } from "../store/editor.ts";
import { fitOptions } from "./fit.ts";
import { useFitNodes } from "./fitNodes.ts";
import { matchNodes } from "./search.ts";

export const CANVAS_SEARCH_ID = "canvas-search";

export function CanvasSearch() {
  const { t } = useTranslation();
  const fit = useFitNodes();
  const [query, setQuery] = useState("");
  const nodes = useEditor((s) => s.doc?.nodes);
  const matches = nodes ? matchNodes(nodes, query) : [];
  const show = () => {
    if (matches.length === 0) return;
    useEditor.getState().select({ nodes: matches, edges: [] });
    fit(matches, fitOptions(matches.length, 250));
  };
  return (
    <Panel position="top-left" className="canvas-search">
      <input
        id={CANVAS_SEARCH_ID}
        type="search"
        data-testid="canvas-search"
        aria-label={t("canvas.search")}
        placeholder={t("canvas.searchPlaceholder")}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            show();
          } else if (e.key === "Escape") {
            setQuery("");
            e.currentTarget.blur();
          }
        }}
      />
      {query.trim() !== "" && (
        <output className="canvas-search__count" data-testid="canvas-search-count" aria-live="polite">
          {t("canvas.searchFound", { count: matches.length })}
        </output>
      )}
    </Panel>
  );
}
