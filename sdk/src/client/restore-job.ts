import type { HostEventName, ServerToClientEvents } from '../protocol/socket-events';
import { toBytes } from './binary';
import { clientErrors, FluxirClientError } from './client-errors';
import { EventChannel } from './event-channel';
import type { RestoreEvent, RestoreOptions, RestoreResult } from './restore-events';

/** The server events that concern one job. */
export type JobEventName = Exclude<keyof ServerToClientEvents, HostEventName>;
export type JobEventPayload<E extends JobEventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * One submitted job as the caller sees it: `result` (a promise), the events as an async iterator
 * (`for await (const event of job)`), the callbacks of RestoreOptions, and `cancel()`.
 * Events replayed after a reconnect are recognised by their sequence number and delivered once.
 */
export class RestoreJob implements AsyncIterable<RestoreEvent> {
  readonly result: Promise<RestoreResult>;
  private id: string | undefined;
  private lastSeq = 0;
  private lastPreviewStep = 0;
  private lastPosition = -1;
  private settled = false;
  private cancelRequested = false;
  private readonly channel = new EventChannel<RestoreEvent>((event) => event.type === 'preview');
  private resolveResult!: (result: RestoreResult) => void;
  private rejectResult!: (error: FluxirClientError) => void;

  constructor(
    private readonly options: RestoreOptions,
    private readonly requestCancel: (jobId: string) => Promise<unknown>,
  ) {
    this.result = new Promise<RestoreResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // A caller that only iterates still sees the error there; this keeps it from being "unhandled".
    this.result.catch(() => undefined);
    const { signal } = options;
    if (signal?.aborted) void this.cancel().catch(() => undefined);
    else signal?.addEventListener('abort', () => void this.cancel().catch(() => undefined), { once: true });
  }

  /** The host's id, once it accepted the job. */
  get jobId(): string | undefined {
    return this.id;
  }

  /** The last sequence number seen: what a re-attach asks to resume after. */
  get afterSeq(): number {
    return this.lastSeq;
  }

  get done(): boolean {
    return this.settled;
  }

  [Symbol.asyncIterator](): AsyncIterator<RestoreEvent> {
    return this.channel[Symbol.asyncIterator]();
  }

  /** Stops the job on the host. The result rejects with E_ABORTED at once; this resolves when the host confirmed. */
  async cancel(): Promise<void> {
    if (this.settled) return;
    this.cancelRequested = true;
    this.fail(clientErrors.aborted());
    if (this.id) await this.requestCancel(this.id);
  }

  /** The host accepted the job. */
  accepted(jobId: string, position: number): void {
    this.id = jobId;
    if (this.cancelRequested) {
      void this.requestCancel(jobId).catch(() => undefined);
      return;
    }
    this.reportQueued(position);
  }

  fail(error: FluxirClientError): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectResult(error);
    this.channel.fail(error);
  }

  receive<E extends JobEventName>(name: E, payload: JobEventPayload<E>): void {
    if (this.settled) return;
    if (name === 'job:preview') {
      this.receivePreview(payload as JobEventPayload<'job:preview'>);
      return;
    }
    if (payload.seq <= this.lastSeq) return;
    this.lastSeq = payload.seq;
    switch (name) {
      case 'job:queued':
        return this.reportQueued((payload as JobEventPayload<'job:queued'>).position);
      case 'job:started': {
        const { jobId, plugin, version, steps, width, height } = payload as JobEventPayload<'job:started'>;
        return this.emit({ type: 'started', jobId, plugin, version, steps, width, height });
      }
      case 'job:progress': {
        const { jobId, step, steps, tile, tiles, fraction, etaMs } = payload as JobEventPayload<'job:progress'>;
        return this.emit({ type: 'progress', jobId, step, steps, tile, tiles, fraction, etaMs });
      }
      case 'job:result':
        return this.succeed(payload as JobEventPayload<'job:result'>);
      case 'job:error':
        return this.fail(clientErrors.fromProtocol((payload as JobEventPayload<'job:error'>).error));
      case 'job:cancelled':
        return this.fail(clientErrors.aborted());
    }
  }

  private receivePreview(event: JobEventPayload<'job:preview'>): void {
    // Previews are never replayed, and being volatile some are dropped: order by how far the job
    // was (a preview within a step, tile of tiles, comes before the step's own), not by seq.
    const reached = event.tile !== undefined && event.tiles ? event.step - 1 + event.tile / (event.tiles + 1) : event.step;
    if (reached <= this.lastPreviewStep) return;
    this.lastPreviewStep = reached;
    const { jobId, step, steps, t, tile, tiles, mime, width, height } = event;
    const part = tile !== undefined && tiles !== undefined ? { tile, tiles } : {};
    this.emit({ type: 'preview', jobId, step, steps, t, ...part, mime, width, height, data: toBytes(event.data) });
  }

  private reportQueued(position: number): void {
    if (position === this.lastPosition || !this.id) return;
    this.lastPosition = position;
    this.emit({ type: 'queued', jobId: this.id, position });
  }

  private succeed(event: JobEventPayload<'job:result'>): void {
    const { jobId, plugin, version, steps, mime, width, height, ms } = event;
    const result: RestoreResult = { jobId, plugin, version, steps, mime, width, height, ms, data: toBytes(event.data) };
    this.emit({ type: 'result', ...result });
    this.settled = true;
    this.resolveResult(result);
    this.channel.end();
  }

  private emit(event: RestoreEvent): void {
    this.channel.push(event);
    this.call(this.options.onEvent, event);
    if (event.type === 'progress') this.call(this.options.onProgress, event);
    if (event.type === 'preview') this.call(this.options.onPreview, event);
  }

  /** A throwing callback is the caller's bug; it must not stop the job's other deliveries. */
  private call<T>(callback: ((value: T) => void) | undefined, value: T): void {
    if (!callback) return;
    try {
      callback(value);
    } catch (error) {
      setTimeout(() => {
        throw error;
      });
    }
  }
}
