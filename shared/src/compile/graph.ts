/**
 * Plain graph algorithms over node ids, free of journey details so they are easy to test:
 * reachability and strongly connected components (Tarjan, iterative so big journeys cannot
 * overflow the stack).
 */
export type Adjacency = Map<string, string[]>;

export function reachableFrom(starts: Iterable<string>, adj: Adjacency): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of adj.get(n) ?? []) if (!seen.has(m)) stack.push(m);
  }
  return seen;
}

/** Strongly connected components, each in discovery order; components come out in reverse topological order. */
export function stronglyConnected(nodes: readonly string[], adj: Adjacency): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];

  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const succ = adj.get(frame.node) ?? [];
      if (frame.next < succ.length) {
        const m = succ[frame.next++]!;
        if (!index.has(m)) {
          index.set(m, counter);
          low.set(m, counter++);
          stack.push(m);
          onStack.add(m);
          work.push({ node: m, next: 0 });
        } else if (onStack.has(m)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(m)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let m: string;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          component.push(m);
        } while (m !== frame.node);
        out.push(component.reverse());
      }
    }
  }
  return out;
}

/** True when the component loops: more than one node, or one node with an edge to itself. */
export function isCyclic(component: readonly string[], adj: Adjacency): boolean {
  return component.length > 1 || (adj.get(component[0]!) ?? []).includes(component[0]!);
}
