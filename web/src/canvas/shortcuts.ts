/**
 * Keyboard shortcuts, listed once: the help panel renders this table and the handler reads it,
 * so the two can never disagree.
 */
import { useEffect } from "react";
import { redo, undo, useEditor } from "../store/editor.ts";
import { saveDraft } from "../store/persistence.ts";

export interface Shortcut {
  keys: string;
  /** i18n key of what it does. */
  label: string;
  match(e: KeyboardEvent): boolean;
  run(): void;
}

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const key = (e: KeyboardEvent, k: string) => e.key.toLowerCase() === k;

export const SHORTCUTS: Shortcut[] = [
  { keys: "Ctrl/⌘ + Z", label: "shortcut.undo", match: (e) => mod(e) && !e.shiftKey && key(e, "z"), run: undo },
  {
    keys: "Ctrl/⌘ + Shift + Z · Ctrl/⌘ + Y",
    label: "shortcut.redo",
    match: (e) => mod(e) && ((e.shiftKey && key(e, "z")) || key(e, "y")),
    run: redo,
  },
  {
    keys: "Ctrl/⌘ + C",
    label: "shortcut.copy",
    match: (e) => mod(e) && key(e, "c"),
    run: () => useEditor.getState().copySelection(),
  },
  {
    keys: "Ctrl/⌘ + X",
    label: "shortcut.cut",
    match: (e) => mod(e) && key(e, "x"),
    run: () => useEditor.getState().cut(),
  },
  {
    keys: "Ctrl/⌘ + V",
    label: "shortcut.paste",
    match: (e) => mod(e) && key(e, "v"),
    run: () => useEditor.getState().paste(),
  },
  {
    keys: "Ctrl/⌘ + A",
    label: "shortcut.selectAll",
    match: (e) => mod(e) && key(e, "a"),
    run: () => {
      const doc = useEditor.getState().doc;
      if (doc) useEditor.getState().select({ nodes: doc.nodes.map((n) => n.id), edges: doc.edges.map((e) => e.id) });
    },
  },
  {
    keys: "Delete · Backspace",
    label: "shortcut.delete",
    match: (e) => !mod(e) && (e.key === "Delete" || e.key === "Backspace"),
    run: () => useEditor.getState().deleteSelection(),
  },
  { keys: "Ctrl/⌘ + S", label: "shortcut.save", match: (e) => mod(e) && key(e, "s"), run: () => void saveDraft() },
  {
    keys: "Shift + L",
    label: "shortcut.layout",
    match: (e) => !mod(e) && e.shiftKey && key(e, "l"),
    run: () => void useEditor.getState().autoLayout(),
  },
  {
    keys: "Esc",
    label: "shortcut.deselect",
    match: (e) => e.key === "Escape",
    run: () => useEditor.getState().select({ nodes: [], edges: [] }),
  },
];

/** Typing in a form field keeps its own keys (undo inside a text box, Backspace…). */
function inField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.tagName) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

/**
 * While a dialog or a menu is open the page behind it is inert, its shortcuts too: Escape closes the
 * dialog without clearing the selection, Delete deletes nothing behind it.
 */
const modalOpen = (): boolean =>
  document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]') !== null;

export function useShortcuts(extra: Shortcut[] = []): void {
  useEffect(() => {
    const all = [...extra, ...SHORTCUTS];
    const onKey = (e: KeyboardEvent) => {
      if (modalOpen()) return;
      if (inField(e.target)) {
        if (!(mod(e) && key(e, "s"))) return;
      }
      const hit = all.find((s) => s.match(e));
      if (!hit) return;
      e.preventDefault();
      hit.run();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [extra]);
}
