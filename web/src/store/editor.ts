/**
 * The editor's one source of truth: the journey document being edited, the selection, the
 * clipboard and the undo history. The canvas renders this store and sends it intents; it never
 * owns journey state. Only `doc` is in the undo history (zundo), so selecting or saving is not an
 * undoable step, and a drag is one step however many frames it took.
 */
import { create } from "zustand";
import { temporal } from "zundo";
import { hasInput, kindOf, type DraftJourney } from "@lifeloop/shared";
import { layoutNodes } from "../canvas/layout.ts";
import { coalesces } from "./fieldEdit.ts";

export type Doc = DraftJourney;
export type DocNode = Doc["nodes"][number];
type DocEdge = Doc["edges"][number];
export type XY = { x: number; y: number };

interface Selection {
  nodes: string[];
  edges: string[];
}

interface Clipboard {
  nodes: DocNode[];
  edges: DocEdge[];
}

export interface EditorState {
  doc: Doc | null;
  /** The draft's ETag as the API last answered it; saves send it as If-Match. */
  etag: string | null;
  /** The document as last saved (or loaded): `dirty` is a comparison with it, never a flag to forget. */
  saved: Doc | null;
  selection: Selection;
  clipboard: Clipboard | null;

  load(doc: Doc, etag: string | null): void;
  markSaved(doc: Doc, etag: string): void;
  /** Journey-level fields (name, goal, entry, settings, exit criteria, segments, catalog). */
  patchJourney(patch: Partial<Omit<Doc, "nodes" | "edges" | "id" | "schemaVersion">>): void;
  addNode(kind: string, position: XY): string;
  updateNode(id: string, patch: { params?: unknown; label?: string | undefined; note?: string | undefined }): void;
  /** Positions while dragging are applied without history; the drag's start is one undo step. */
  moveNodes(positions: Record<string, XY>, dragging: boolean): void;
  /** One edge per branch: connecting a branch again replaces its edge. Returns false when refused. */
  connect(source: string, sourceHandle: string, target: string): boolean;
  remove(selection: Selection): void;
  select(selection: Selection): void;
  deleteSelection(): void;
  copySelection(): void;
  cut(): void;
  paste(offset?: XY): void;
  /** Resolves once the new positions are in the document (the layout code is fetched on first use). */
  autoLayout(): Promise<void>;
}

const EMPTY: Selection = { nodes: [], edges: [] };

/** A readable id that is not taken: `wait`, `wait_2`, … */
export function freshId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stem = base.replace(/[^A-Za-z0-9_-]/g, "_").replace(/^[^A-Za-z0-9]+/, "") || "node";
  if (!used.has(stem)) return stem;
  for (let n = 2; ; n++) if (!used.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

const edgeId = (doc: Doc, source: string, handle: string): string =>
  freshId(
    `e_${source}_${handle}`.slice(0, 60),
    doc.edges.map((e) => e.id),
  );

export const isDirty = (s: Pick<EditorState, "doc" | "saved">): boolean =>
  s.doc !== s.saved && JSON.stringify(s.doc) !== JSON.stringify(s.saved);

export const useEditor = create<EditorState>()(
  temporal(
    (set, get) => {
      const edit = (fn: (doc: Doc) => Doc | null): void => {
        const { doc } = get();
        if (!doc) return;
        const next = fn(doc);
        if (next && next !== doc) set({ doc: next });
      };

      return {
        doc: null,
        etag: null,
        saved: null,
        selection: EMPTY,
        clipboard: null,

        load(doc, etag) {
          // A journey of one node (a blank one's trigger) opens with it selected: its form is
          // where the next typing goes, one click fewer.
          const only = doc.nodes.length === 1 ? doc.nodes[0]!.id : null;
          set({ doc, saved: doc, etag, selection: only ? { nodes: [only], edges: [] } : EMPTY });
          useEditor.temporal.getState().clear();
        },
        markSaved(doc, etag) {
          // The API answers with the document as parsed (defaults filled): keep what the person
          // sees unless it changed meanwhile, so typing during a save is not lost.
          set((s) => ({ saved: s.doc, etag, doc: s.doc ?? doc }));
        },
        patchJourney(patch) {
          edit((doc) => ({ ...doc, ...patch }));
        },
        addNode(kind, position) {
          const def = kindOf(kind);
          const doc = get().doc;
          if (!def || !doc) throw new Error(`unknown node kind "${kind}"`);
          const id = freshId(
            kind.replace(/-/g, "_"),
            doc.nodes.map((n) => n.id),
          );
          const node = {
            id,
            kind,
            position: { x: Math.round(position.x), y: Math.round(position.y) },
            params: def.defaults(),
          } as DocNode;
          set({ doc: { ...doc, nodes: [...doc.nodes, node] }, selection: { nodes: [id], edges: [] } });
          return id;
        },
        updateNode(id, patch) {
          edit((doc) => ({
            ...doc,
            nodes: doc.nodes.map((n) => {
              if (n.id !== id) return n;
              const next = { ...n, ...(patch.params !== undefined ? { params: patch.params } : {}) } as DocNode;
              if ("label" in patch) {
                if (patch.label) next.label = patch.label;
                else delete next.label;
              }
              if ("note" in patch) {
                if (patch.note) next.note = patch.note;
                else delete next.note;
              }
              return next;
            }),
          }));
        },
        moveNodes(positions, dragging) {
          const t = useEditor.temporal.getState();
          edit((doc) => ({
            ...doc,
            nodes: doc.nodes.map((n) => {
              const p = positions[n.id];
              return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
            }),
          }));
          // The first frame of a drag was recorded above (the position before it); the rest are not.
          if (dragging && t.isTracking) t.pause();
          if (!dragging && !t.isTracking) t.resume();
        },
        connect(source, sourceHandle, target) {
          const doc = get().doc;
          if (!doc || source === target) return false;
          const to = doc.nodes.find((n) => n.id === target);
          if (!to || !hasInput(to.kind) || !doc.nodes.some((n) => n.id === source)) return false;
          const kept = doc.edges.filter((e) => !(e.source === source && e.sourceHandle === sourceHandle));
          const edge = { id: edgeId(doc, source, sourceHandle), source, sourceHandle, target } as DocEdge;
          set({ doc: { ...doc, edges: [...kept, edge] } });
          return true;
        },
        remove(sel) {
          const nodes = new Set(sel.nodes);
          const edges = new Set(sel.edges);
          edit((doc) => {
            if (nodes.size === 0 && edges.size === 0) return null;
            return {
              ...doc,
              nodes: doc.nodes.filter((n) => !nodes.has(n.id)),
              edges: doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
            };
          });
          set((s) => ({
            selection: {
              nodes: s.selection.nodes.filter((n) => !nodes.has(n)),
              edges: s.selection.edges.filter((e) => !edges.has(e)),
            },
          }));
        },
        select(selection) {
          const cur = get().selection;
          if (same(cur.nodes, selection.nodes) && same(cur.edges, selection.edges)) return;
          set({ selection });
        },
        deleteSelection() {
          get().remove(get().selection);
        },
        copySelection() {
          const { doc, selection } = get();
          if (!doc || selection.nodes.length === 0) return;
          const ids = new Set(selection.nodes);
          set({
            clipboard: {
              nodes: doc.nodes.filter((n) => ids.has(n.id)),
              edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
            },
          });
        },
        cut() {
          get().copySelection();
          get().deleteSelection();
        },
        paste(offset = { x: 40, y: 40 }) {
          const { doc, clipboard } = get();
          if (!doc || !clipboard || clipboard.nodes.length === 0) return;
          const taken: string[] = doc.nodes.map((n) => n.id);
          const rename = new Map<string, string>();
          const nodes = clipboard.nodes.map((n) => {
            const id = freshId(n.id.replace(/_\d+$/, ""), taken);
            taken.push(id);
            rename.set(n.id, id);
            return { ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } } as DocNode;
          });
          const takenEdges: string[] = doc.edges.map((e) => e.id);
          const edges = clipboard.edges.map((e) => {
            const source = rename.get(e.source)!;
            const id = freshId(`e_${source}_${e.sourceHandle}`.slice(0, 60), takenEdges);
            takenEdges.push(id);
            return { ...e, id, source, target: rename.get(e.target)! } as DocEdge;
          });
          set({
            doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] },
            // Pasting again shifts again, so copies never stack exactly.
            clipboard: { nodes: nodes, edges },
            selection: { nodes: nodes.map((n) => n.id), edges: [] },
          });
        },
        async autoLayout() {
          const doc = get().doc;
          if (!doc) return;
          const positions = await layoutNodes(doc);
          // Applied to the document as it is now: an edit made meanwhile is kept, its nodes placed.
          edit((now) => ({
            ...now,
            nodes: now.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })),
          }));
        },
      };
    },
    {
      partialize: (s) => ({ doc: s.doc }),
      equality: (a, b) => a.doc === b.doc,
      limit: 200,
      // The keystrokes after a field edit's first are not steps of their own (fieldEdit.ts). zundo types the
      // recorder as a setState; it is called with its own four arguments, passed on unchanged.
      handleSet: (record) =>
        ((...args: Parameters<typeof record>) => {
          if (!coalesces()) record(...args);
        }) as typeof record,
    },
  ),
);

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export const undo = (): void => useEditor.temporal.getState().undo();
export const redo = (): void => useEditor.temporal.getState().redo();
