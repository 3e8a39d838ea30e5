/**
 * The minimap, which folds away: a button on its corner hides it (and brings it back), and it folds
 * by itself when a node is dropped or added where it is drawn, so it never covers a new node. A
 * journey of more than 200 nodes opens with it folded until someone unfolds it: its svg, one shape
 * per node, is repainted on every pan frame.
 */
import { MiniMap, Panel } from "@xyflow/react";
import { kindOf } from "@lifeloop/shared";
import { useTranslation } from "react-i18next";
import { create } from "zustand";
import { useEditor } from "../store/editor.ts";
import type { KindFlowNode } from "./KindNode.tsx";

/** Folded or not as someone chose (null: not chosen, folded only for a large journey). */
const useMiniMap = create<{ folded: boolean | null }>(() => ({ folded: null }));
const FOLDED_ABOVE = 200;

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const overlaps = (a: Rect, b: Rect): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Folds the minimap of `canvas` when it covers any part of `rect` (screen pixels, a new node's box). */
export function foldMiniMapOver(canvas: Element | null, rect: Rect): void {
  const map = canvas?.querySelector(".react-flow__minimap");
  if (map && overlaps(map.getBoundingClientRect(), rect)) useMiniMap.setState({ folded: true });
}

export function FoldingMiniMap() {
  const { t } = useTranslation();
  const chosen = useMiniMap((s) => s.folded);
  const large = useEditor((s) => (s.doc?.nodes.length ?? 0) > FOLDED_ABOVE);
  const folded = chosen ?? large;
  return (
    <>
      {!folded && (
        <MiniMap
          pannable
          zoomable
          nodeStrokeWidth={3}
          ariaLabel={t("canvas.minimap")}
          nodeColor={(n) => kindOf((n.data as KindFlowNode["data"]).look.kind)?.meta.color ?? "#999"}
        />
      )}
      <Panel position="bottom-right" className={folded ? "minimap-toggle minimap-toggle--folded" : "minimap-toggle"}>
        <button
          type="button"
          data-testid="minimap-toggle"
          aria-expanded={!folded}
          aria-label={folded ? t("canvas.minimap.show") : t("canvas.minimap.hide")}
          title={folded ? t("canvas.minimap.show") : t("canvas.minimap.hide")}
          onClick={() => useMiniMap.setState({ folded: !folded })}
        >
          {folded ? "▣" : "▾"}
        </button>
      </Panel>
    </>
  );
}
