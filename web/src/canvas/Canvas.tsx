/**
 * React Flow renders the editor store; every change a person makes goes back to the store as an
 * intent (move, select, connect, drop a kind). Node objects are cached per document node so a
 * 1,000-node journey re-renders only what changed.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from "react";
import {
  Background,
  Controls,
  getViewportForBounds,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type OnConnectEnd,
  type Viewport,
} from "@xyflow/react";
import { hasInput, kindOf } from "@lifeloop/shared";
import { useEditor, type DocNode, type XY } from "../store/editor.ts";
import { useOverlay } from "../store/overlay.ts";
import { useValidation } from "../store/validation.ts";
import { endPoint, nodeUnder } from "./bodyDrop.ts";
import { fitOptions, MAX_ZOOM, MIN_ZOOM } from "./fit.ts";
import { CanvasSearch } from "./CanvasSearch.tsx";
import { FoldingMiniMap, foldMiniMapOver } from "./FoldingMiniMap.tsx";
import { nodeTypes, type KindFlowNode } from "./KindNode.tsx";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout.ts";
import { bounds, Overview } from "./Overview.tsx";
import { selectBand, ZoomBandContext } from "./zoomBand.ts";
import { useLang } from "../i18n/useLang.ts";

export const KIND_MIME = "application/lifeloop-kind";

const NO_EDGES: Edge[] = [];

interface Cached {
  src: DocNode;
  selected: boolean;
  dims: { width: number; height: number } | undefined;
  data: KindFlowNode["data"];
  flow: KindFlowNode;
}

export function Canvas() {
  const lang = useLang();
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const byNode = useValidation((s) => s.byNode);
  const overlay = useOverlay((s) => s.overlay);
  const flow = useReactFlow();
  // The one subscription to the viewport: it changes only when the zoom crosses into another band.
  const band = useStore(selectBand);
  const rf = useStoreApi<KindFlowNode, Edge>();
  const cache = useRef(new Map<string, Cached>());
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const [measureTick, remeasured] = useReducer((x: number) => x + 1, 0);
  // Fit a journey that has nodes when it opens; an empty one keeps the default view so the first
  // dropped node stays where it was dropped.
  const [fitOnOpen] = useState(() => (useEditor.getState().doc?.nodes.length ?? 0) > 0);
  const [openFit] = useState(() => fitOptions(useEditor.getState().doc?.nodes.length ?? 0));
  const wrapper = useRef<HTMLDivElement>(null);
  const [openView, setOpenView] = useState<Viewport | undefined | null>(null);
  // Before React Flow mounts, the view the open's fit will reach, from the document's positions and
  // the canvas's size: the first render is then already in the right zoom band (a 1,000-node journey
  // draws 1,000 light boxes, not 1,000 full nodes first). fitView still corrects it once measured.
  useLayoutEffect(() => {
    const doc = useEditor.getState().doc;
    const box = doc && fitOnOpen ? bounds(doc) : null;
    const el = wrapper.current;
    if (!box || !el || el.clientWidth === 0 || el.clientHeight === 0) return setOpenView(undefined);
    const w = el.clientWidth;
    const h = el.clientHeight;
    const rect = { x: box.x, y: box.y, width: box.w, height: box.h };
    const view = getViewportForBounds(rect, w, h, openFit.minZoom ?? MIN_ZOOM, openFit.maxZoom ?? MAX_ZOOM, 0.1);
    // The store too, so the band read above is the fitted one on React Flow's first render.
    rf.setState({ transform: [view.x, view.y, view.zoom] });
    setOpenView(view);
  }, [fitOnOpen, openFit, rf]);

  // Each band draws its handles elsewhere (none in the overview): re-measure the nodes on the
  // canvas in one store update when the band changes (React Flow's resize observer only sees a
  // node whose size changed).
  const shownBand = useRef(band);
  useEffect(() => {
    if (shownBand.current === band) return;
    shownBand.current = band;
    if (band === "overview") return;
    const { domNode, updateNodeInternals } = rf.getState();
    const updates = new Map<string, { id: string; nodeElement: HTMLDivElement; force: boolean }>();
    for (const el of domNode?.querySelectorAll<HTMLDivElement>(".react-flow__node[data-id]") ?? []) {
      const id = el.dataset.id;
      if (id) updates.set(id, { id, nodeElement: el, force: true });
    }
    if (updates.size > 0) updateNodeInternals(updates);
  }, [band, rf]);

  // measureTick is the trigger: recompute after React Flow measured the nodes
  // biome-ignore lint/correctness/useExhaustiveDependencies: the reason above
  const nodes = useMemo(() => {
    if (!doc) return [];
    const selected = new Set(selection.nodes);
    const path = new Set(overlay?.path ?? []);
    const next = new Map<string, Cached>();
    const out = doc.nodes.map((src) => {
      const c = cache.current.get(src.id);
      const issues = byNode.get(src.id);
      const figures = overlay?.nodes[src.id];
      const onPath = path.has(src.id);
      const isSelected = selected.has(src.id);
      const dims = measured.current.get(src.id);
      // The data object is kept while what the node draws is unchanged (a move is not a change), so
      // the memoised node component skips it.
      const d = c?.data;
      const data =
        d &&
        d.look.params === src.params &&
        d.look.kind === src.kind &&
        d.look.label === src.label &&
        d.note === src.note &&
        d.issues === issues &&
        d.figures === figures &&
        d.onPath === onPath &&
        d.lang === lang
          ? d
          : {
              id: src.id,
              look: { kind: src.kind, params: src.params, label: src.label },
              note: src.note,
              lang,
              issues,
              figures,
              onPath,
            };
      const entry: Cached =
        c && c.src === src && c.selected === isSelected && c.dims === dims && c.data === data
          ? c
          : {
              src,
              selected: isSelected,
              dims,
              data,
              flow: {
                id: src.id,
                type: "kind",
                position: src.position,
                selected: isSelected,
                data,
                ...(dims ? { measured: dims } : {}),
                deletable: false,
              },
            };
      next.set(src.id, entry);
      return entry.flow;
    });
    cache.current = next;
    return out;
    // measureTick: measured sizes live in a ref; the tick tells this memo they changed.
  }, [doc, selection.nodes, byNode, overlay, lang, measureTick]);

  const edges = useMemo<Edge[]>(() => {
    if (!doc) return [];
    const selected = new Set(selection.edges);
    const taken = new Set(overlay?.pathEdges ?? []);
    return doc.edges.map((e) => {
      const count = overlay?.edges[e.id];
      const className = [count !== undefined ? "edge--counted" : "", taken.has(e.id) ? "edge--path" : ""]
        .filter(Boolean)
        .join(" ");
      return {
        id: e.id,
        source: e.source,
        sourceHandle: e.sourceHandle,
        target: e.target,
        targetHandle: "in",
        selected: selected.has(e.id),
        deletable: false,
        ...(count !== undefined
          ? {
              label: count.toLocaleString(lang),
              labelBgPadding: [4, 2] as [number, number],
            }
          : {}),
        ...(className ? { className } : {}),
      };
    });
  }, [doc, selection.edges, overlay, lang]);

  const onNodesChange = useCallback((changes: NodeChange<KindFlowNode>[]) => {
    const store = useEditor.getState();
    const moves: Record<string, XY> = {};
    let dragging = false;
    let moved = false;
    let dims = false;
    let selectionChanged = false;
    const sel = new Set(store.selection.nodes);
    for (const c of changes) {
      if (c.type === "position" && c.position) {
        moves[c.id] = c.position;
        moved = true;
        dragging ||= Boolean(c.dragging);
      } else if (c.type === "position" && c.dragging === false) {
        moved = true; // drag end with no new position: closes the history step
      } else if (c.type === "dimensions" && c.dimensions) {
        const prev = measured.current.get(c.id);
        if (!prev || prev.width !== c.dimensions.width || prev.height !== c.dimensions.height) {
          measured.current.set(c.id, { width: c.dimensions.width, height: c.dimensions.height });
          dims = true;
        }
      } else if (c.type === "select") {
        selectionChanged = true;
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
    }
    if (moved) store.moveNodes(moves, dragging);
    if (selectionChanged) store.select({ nodes: [...sel], edges: useEditor.getState().selection.edges });
    if (dims) remeasured();
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const store = useEditor.getState();
    const sel = new Set(store.selection.edges);
    let changed = false;
    for (const c of changes) {
      if (c.type !== "select") continue;
      changed = true;
      if (c.selected) sel.add(c.id);
      else sel.delete(c.id);
    }
    if (changed) store.select({ nodes: useEditor.getState().selection.nodes, edges: [...sel] });
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (c.source && c.target) useEditor.getState().connect(c.source, c.sourceHandle ?? "next", c.target);
  }, []);

  // Released on a node's body rather than its handle: connect to that node all the same.
  const onConnectEnd = useCallback<OnConnectEnd>((event, state) => {
    if (state.isValid || !state.fromNode || state.fromHandle?.type !== "source") return;
    const point = endPoint(event);
    const target = point ? nodeUnder(document, point) : null;
    if (target && target !== state.fromNode.id)
      useEditor.getState().connect(state.fromNode.id, state.fromHandle.id ?? "next", target);
  }, []);

  const isValidConnection = useCallback<IsValidConnection>((c) => {
    if (!c.source || !c.target || c.source === c.target) return false;
    const target = useEditor.getState().doc?.nodes.find((n) => n.id === c.target);
    return Boolean(target && hasInput(target.kind));
  }, []);

  const onDragOver = useCallback((e: React.DragEvent) => {
    if (!e.dataTransfer.types.includes(KIND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (!kind || !kindOf(kind)) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      useEditor.getState().addNode(kind, { x: p.x - 20, y: p.y - 20 });
      const zoom = flow.getZoom();
      const left = e.clientX - 20 * zoom;
      const top = e.clientY - 20 * zoom;
      foldMiniMapOver(e.currentTarget, {
        left,
        top,
        right: left + NODE_WIDTH * zoom,
        bottom: top + NODE_HEIGHT * zoom,
      });
    },
    [flow],
  );

  return (
    // the canvas wrapper only takes palette drops; every node and control inside is keyboard-reachable
    // biome-ignore lint/a11y/noStaticElementInteractions: the reason above
    <div
      className={`canvas canvas--${band}`}
      data-testid="canvas"
      ref={wrapper}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      {openView !== null && (
        <ZoomBandContext.Provider value={band}>
          <ReactFlow<KindFlowNode, Edge>
            nodes={nodes}
            // The whole journey in view: edges are lines on the overview's bitmap, not 1,000 mounted svgs.
            edges={band === "overview" ? NO_EDGES : edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            deleteKeyCode={null}
            selectionKeyCode="Shift"
            multiSelectionKeyCode={["Meta", "Control"]}
            onlyRenderVisibleElements
            fitView={fitOnOpen}
            fitViewOptions={openFit}
            {...(openView ? { defaultViewport: openView } : {})}
            minZoom={MIN_ZOOM}
            maxZoom={MAX_ZOOM}
          >
            {/* Far out, the dots are a dense pattern repainted on every pan frame and the minimap shows
            what the screen already does. */}
            {band === "normal" && <Background gap={24} />}
            <CanvasSearch />
            {band === "overview" && <Overview />}
            {band !== "overview" && <FoldingMiniMap />}
            <Controls showInteractive={false} fitViewOptions={fitOptions(doc?.nodes.length ?? 0)} />
          </ReactFlow>
        </ZoomBandContext.Provider>
      )}
    </div>
  );
}
