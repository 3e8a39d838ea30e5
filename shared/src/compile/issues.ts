/**
 * A problem found in a journey, said so that a person (or the editor) can go straight to it:
 * the JSON path in the document, the node it belongs to, the field inside that node.
 */
export interface Issue {
  severity: "error" | "warning";
  /** Stable machine code: "dangling_edge", "unknown_variable", … (the editor translates by code). */
  code: string;
  message: string;
  /** JSON path in the document: "$.nodes[3].params.timeout". */
  path: string;
  nodeId?: string;
  /** Field inside the node: "params.timeout", "handles.yes". */
  field?: string;
}

export class IssueList {
  readonly items: Issue[] = [];

  add(issue: Issue): void {
    this.items.push(issue);
  }
  error(code: string, path: string, message: string, where: { nodeId?: string; field?: string } = {}): void {
    this.add({ severity: "error", code, message, path, ...where });
  }
  warning(code: string, path: string, message: string, where: { nodeId?: string; field?: string } = {}): void {
    this.add({ severity: "warning", code, message, path, ...where });
  }
  get hasErrors(): boolean {
    return this.items.some((i) => i.severity === "error");
  }
  /** Errors first, then by document order of the path, so output reads top to bottom. */
  sorted(): Issue[] {
    return [...this.items].sort(
      (a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) || comparePaths(a.path, b.path),
    );
  }
}

function comparePaths(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const na = Number(pa[i]);
    const nb = Number(pb[i]);
    if (i % 2 === 1 && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
    return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}
