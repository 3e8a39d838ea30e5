// Placeholder until the inspector lands (being written now).
import { useEditor } from "../store/editor.ts";

export function Inspector() {
  const id = useEditor((s) => s.selection.nodes[0]);
  return <div className="inspector" data-testid="inspector">{id ?? ""}</div>;
}
