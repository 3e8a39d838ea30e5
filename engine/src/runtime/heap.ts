import type { UserId } from "@lifeloop/shared";

/** A binary min-heap of (time, user) pairs, ties broken by user id so the order is deterministic. */
export class DueHeap {
  private readonly items: Array<[number, UserId]> = [];

  get size(): number {
    return this.items.length;
  }

  peek(): [number, UserId] | undefined {
    return this.items[0];
  }

  push(at: number, userId: UserId): void {
    const items = this.items;
    items.push([at, userId]);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): [number, string] | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && less(items[l]!, items[m]!)) m = l;
        if (r < items.length && less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

const less = (a: [number, string], b: [number, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
