/**
 * A push-to-pull queue for one consumer: the job pushes events as they arrive, a `for await` loop
 * pulls them. Events are buffered until pulled, so a loop started late misses nothing, except
 * that of the values `droppable` accepts (previews) only the newest `keepDroppable` wait in the
 * buffer: a job nobody iterates does not pile up frames.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];

  constructor(
    private readonly droppable: (value: T) => boolean = () => false,
    private readonly keepDroppable = 4,
  ) {}

  private readonly waiting: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }> = [];
  private ended = false;
  private failure: unknown = undefined;
  private failed = false;

  push(value: T): void {
    if (this.ended) return;
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter.resolve({ value, done: false });
      return;
    }
    this.buffer.push(value);
    if (this.droppable(value) && this.buffer.filter(this.droppable).length > this.keepDroppable) {
      this.buffer.splice(this.buffer.findIndex(this.droppable), 1);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const waiter of this.waiting.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failed = true;
    this.failure = error;
    this.ended = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const value = this.buffer.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (this.failed) return Promise.reject(this.failure);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
      },
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }
}
