/**
 * The mask's earlier states, newest last: at most `limit` of them, and no more than `maxBytes`
 * together (each is a full-size copy: 64 MB for a 16 MP image), always at least the latest one.
 */
export class MaskHistory {
  private readonly states: ImageData[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxBytes = 256e6,
  ) {}

  get canUndo(): boolean {
    return this.states.length > 0;
  }

  push(state: ImageData): void {
    this.states.push(state);
    const kept = Math.max(1, Math.min(this.limit, Math.floor(this.maxBytes / state.data.byteLength)));
    if (this.states.length > kept) this.states.splice(0, this.states.length - kept);
  }

  pop(): ImageData | undefined {
    return this.states.pop();
  }

  clear(): void {
    this.states.length = 0;
  }
}
