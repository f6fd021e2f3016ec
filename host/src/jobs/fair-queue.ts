/**
 * Waiting items, served round-robin by client: each client with waiting items gets one turn per round,
 * so one client with many jobs cannot starve the others. A client seen for the first time joins at the
 * end of the current round.
 */
export class FairQueue<T extends { readonly id: string; readonly clientId: string }> {
  private readonly pending = new Map<string, T[]>();
  private clients: string[] = [];
  /** Index in `clients` of the client whose turn is next. */
  private cursor = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const list = this.pending.get(item.clientId);
    if (list) list.push(item);
    else {
      this.pending.set(item.clientId, [item]);
      this.clients.splice(this.cursor, 0, item.clientId);
      this.cursor++;
    }
    this.count++;
  }

  next(): T | undefined {
    if (!this.clients.length) return undefined;
    this.cursor %= this.clients.length;
    const clientId = this.clients[this.cursor];
    const list = this.pending.get(clientId)!;
    const item = list.shift()!;
    this.count--;
    if (list.length) this.cursor++;
    else this.dropClient(this.cursor);
    return item;
  }

  remove(id: string): T | undefined {
    for (const [index, clientId] of this.clients.entries()) {
      const list = this.pending.get(clientId)!;
      const at = list.findIndex((item) => item.id === id);
      if (at < 0) continue;
      const [item] = list.splice(at, 1);
      this.count--;
      if (!list.length) {
        this.dropClient(index);
        if (index < this.cursor) this.cursor--;
      }
      return item;
    }
    return undefined;
  }

  /** Everything waiting, in the order it will run. */
  order(): T[] {
    const n = this.clients.length;
    const start = n ? this.cursor % n : 0;
    const lists = Array.from({ length: n }, (_, i) => [...this.pending.get(this.clients[(start + i) % n])!]);
    const out: T[] = [];
    while (out.length < this.count) for (const list of lists) if (list.length) out.push(list.shift()!);
    return out;
  }

  drain(): T[] {
    const all = this.order();
    this.pending.clear();
    this.clients = [];
    this.cursor = 0;
    this.count = 0;
    return all;
  }

  private dropClient(index: number): void {
    this.pending.delete(this.clients[index]);
    this.clients.splice(index, 1);
  }
}
