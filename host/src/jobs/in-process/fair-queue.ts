interface Waiting<T> {
  readonly item: T;
  readonly arrival: number;
}

/** How many clients' last turns are remembered once they have nothing waiting. */
const REMEMBERED_CLIENTS = 10_000;

/**
 * Waiting items, served round-robin by client: the next item is the oldest of the client whose last turn
 * is longest ago (a client never served goes first), so one client's backlog cannot hold others back,
 * even when it was served just before the others arrived. Ties go to the earliest arrival.
 */
export class FairQueue<T extends { readonly id: string; readonly owner: string }> {
  private readonly pending = new Map<string, Waiting<T>[]>();
  private readonly lastTurn = new Map<string, number>();
  private arrivals = 0;
  private turns = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const list = this.pending.get(item.owner) ?? [];
    list.push({ item, arrival: this.arrivals++ });
    this.pending.set(item.owner, list);
    this.count++;
  }

  next(): T | undefined {
    const owner = pickClient(this.pending, this.lastTurn);
    if (owner === undefined) return undefined;
    const list = this.pending.get(owner)!;
    const { item } = list.shift()!;
    if (!list.length) this.pending.delete(owner);
    this.count--;
    this.lastTurn.delete(owner);
    this.lastTurn.set(owner, this.turns++);
    this.forgetOldTurns();
    return item;
  }

  remove(id: string): T | undefined {
    for (const [owner, list] of this.pending) {
      const at = list.findIndex((waiting) => waiting.item.id === id);
      if (at < 0) continue;
      const [{ item }] = list.splice(at, 1);
      if (!list.length) this.pending.delete(owner);
      this.count--;
      return item;
    }
    return undefined;
  }

  /** Everything waiting, in the order it will run (if nothing else arrives). */
  order(): T[] {
    const pending = new Map([...this.pending].map(([owner, list]) => [owner, [...list]]));
    const lastTurn = new Map(this.lastTurn);
    const out: T[] = [];
    for (let turn = this.turns; ; turn++) {
      const owner = pickClient(pending, lastTurn);
      if (owner === undefined) return out;
      const list = pending.get(owner)!;
      out.push(list.shift()!.item);
      if (!list.length) pending.delete(owner);
      lastTurn.set(owner, turn);
    }
  }

  drain(): T[] {
    const all = this.order();
    this.pending.clear();
    this.count = 0;
    return all;
  }

  private forgetOldTurns(): void {
    // Map order is turn order (re-inserted on every turn), so the first entries are the oldest.
    for (const owner of this.lastTurn.keys()) {
      if (this.lastTurn.size <= REMEMBERED_CLIENTS) return;
      if (!this.pending.has(owner)) this.lastTurn.delete(owner);
    }
  }
}

function pickClient<T>(pending: Map<string, Waiting<T>[]>, lastTurn: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestKey: [number, number] = [Infinity, Infinity];
  for (const [owner, list] of pending) {
    const key: [number, number] = [lastTurn.get(owner) ?? -1, list[0].arrival];
    if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      best = owner;
      bestKey = key;
    }
  }
  return best;
}
