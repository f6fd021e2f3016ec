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
export class FairQueue<T extends { readonly id: string; readonly clientId: string }> {
  private readonly pending = new Map<string, Waiting<T>[]>();
  private readonly lastTurn = new Map<string, number>();
  private arrivals = 0;
  private turns = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const list = this.pending.get(item.clientId) ?? [];
    list.push({ item, arrival: this.arrivals++ });
    this.pending.set(item.clientId, list);
    this.count++;
  }

  next(): T | undefined {
    const clientId = pickClient(this.pending, this.lastTurn);
    if (clientId === undefined) return undefined;
    const list = this.pending.get(clientId)!;
    const { item } = list.shift()!;
    if (!list.length) this.pending.delete(clientId);
    this.count--;
    this.lastTurn.delete(clientId);
    this.lastTurn.set(clientId, this.turns++);
    this.forgetOldTurns();
    return item;
  }

  remove(id: string): T | undefined {
    for (const [clientId, list] of this.pending) {
      const at = list.findIndex((waiting) => waiting.item.id === id);
      if (at < 0) continue;
      const [{ item }] = list.splice(at, 1);
      if (!list.length) this.pending.delete(clientId);
      this.count--;
      return item;
    }
    return undefined;
  }

  /** Everything waiting, in the order it will run (if nothing else arrives). */
  order(): T[] {
    const pending = new Map([...this.pending].map(([clientId, list]) => [clientId, [...list]]));
    const lastTurn = new Map(this.lastTurn);
    const out: T[] = [];
    for (let turn = this.turns; ; turn++) {
      const clientId = pickClient(pending, lastTurn);
      if (clientId === undefined) return out;
      const list = pending.get(clientId)!;
      out.push(list.shift()!.item);
      if (!list.length) pending.delete(clientId);
      lastTurn.set(clientId, turn);
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
    for (const clientId of this.lastTurn.keys()) {
      if (this.lastTurn.size <= REMEMBERED_CLIENTS) return;
      if (!this.pending.has(clientId)) this.lastTurn.delete(clientId);
    }
  }
}

function pickClient<T>(pending: Map<string, Waiting<T>[]>, lastTurn: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestKey: [number, number] = [Infinity, Infinity];
  for (const [clientId, list] of pending) {
    const key: [number, number] = [lastTurn.get(clientId) ?? -1, list[0].arrival];
    if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      best = clientId;
      bestKey = key;
    }
  }
  return best;
}
