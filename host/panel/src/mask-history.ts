/** The mask's earlier states, newest last, at most `limit` of them (each is a full-size copy). */
export class MaskHistory {
  private readonly states: ImageData[] = [];

  constructor(private readonly limit: number) {}

  get canUndo(): boolean {
    return this.states.length > 0;
  }

  push(state: ImageData): void {
    this.states.push(state);
    if (this.states.length > this.limit) this.states.shift();
  }

  pop(): ImageData | undefined {
    return this.states.pop();
  }

  clear(): void {
    this.states.length = 0;
  }
}
