/**
 * Waiters ordered by priority (lower first), first come first served within a priority. The
 * limiters serve earlier users first, so a slice stopped at its deadline leaves unfinished mostly
 * the users at the end of its window, and the cursor (which cannot pass an unfinished user)
 * advances as far as the work done allows.
 */
export class WaitingQueue<T> {
  private readonly heap: { readonly priority: number; readonly seq: number; readonly item: T }[] = [];
  private seq = 0;

  /** Number of waiting items. */
  get length(): number {
    return this.heap.length;
  }

  /** Adds an item. */
  push(item: T, priority = 0): void {
    const heap = this.heap;
    heap.push({ priority, seq: this.seq++, item });
    for (let i = heap.length - 1; i > 0;) {
      const parent = Math.floor((i - 1) / 2);
      if (!this.before(i, parent)) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /** Removes and returns the first item, or undefined when empty. */
  shift(): T | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const first = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.before(left, smallest)) smallest = left;
        if (right < heap.length && this.before(right, smallest)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    return first.item;
  }

  /** Removes and returns every item (in no particular order). */
  drain(): T[] {
    return this.heap.splice(0).map((e) => e.item);
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    return x.priority < y.priority || (x.priority === y.priority && x.seq < y.seq);
  }
}
