import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AbortError, FluxirError, type EncodeOptions, type ErrorCode, type Image, type Mask, type PreparedInput } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { inject, injectable } from 'inversify';
import type { ImageCodec } from './image-codec.interface';
import { Logger } from '../logging/logger.interface';
import { PluginRegistry, type LoadedPlugin } from '../plugins/plugin-registry.interface';
import type { PrepareRunner } from './prepare-runner.interface';
import { InThreadPrepareRunner } from './in-thread-prepare-runner';
import { OFF_THREAD_SCRIPT } from './off-thread-script';

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Reply = { id: number; result: unknown } | { id: number; failure: { message: string; code?: string } };

/** Where @fluxir/core resolves from for the worker: this package's folder (host/, in src and dist alike). */
const RESOLVE_FROM = path.join(__dirname, '..', '..', 'package.json');

/**
 * The serving host's CPU-heavy steps around the engine, on one worker thread, jobs in turn: decoding
 * uploads, the plugin's `prepare`, encoding results. The event loop stays free for health checks,
 * other clients and lock renewals. A plugin without an entry file (made in memory) prepares in place.
 * A worker that dies fails the requests it held and is replaced on the next one.
 */
@injectable()
export class OffThreadWorker implements PrepareRunner, ImageCodec {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly tokens = new WeakMap<LoadedPlugin, number>();
  private nextId = 0;
  private nextToken = 0;
  private readonly inThread = new InThreadPrepareRunner();

  constructor(
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /**
   * A job cancelled or timed out while its plugin prepares ends at once: the thread is replaced, so a
   * `prepare` that never returns cannot hold every later job (requests it held alongside fail too).
   */
  prepare(plugin: PluginDefinition, input: Image, params: Record<string, unknown>, mask?: Mask, signal?: AbortSignal): Promise<PreparedInput> {
    const loaded = this.registry.entries().find((entry) => entry.plugin.definition === plugin)?.plugin;
    if (!loaded?.entry) return this.inThread.prepare(plugin, input, params, mask);
    if (signal?.aborted) return Promise.reject(new AbortError());
    const payload = { entry: loaded.entry, dir: loaded.dir, token: this.tokenOf(loaded), input, params, mask };
    const prepared = this.call<PreparedInput>('prepare', payload, [input.data, mask?.data]);
    if (!signal) return prepared;
    const worker = this.worker;
    const onAbort = () => {
      if (worker && this.worker === worker) {
        this.lost(worker, new AbortError());
        void worker.terminate();
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return prepared.finally(() => signal.removeEventListener('abort', onAbort));
  }

  decode(image: Uint8Array, mask: Uint8Array | undefined, maxPixels: number): Promise<{ image: Image; mask?: Mask }> {
    return this.call('decode', { image, mask, maxPixels }, []);
  }

  encode(image: Image, format: string, options: EncodeOptions): Promise<Buffer> {
    // Structured cloning turns the Buffer into a plain Uint8Array: same bytes, no copy.
    return this.call<Uint8Array>('encode', { image, format, options }, [image.data]).then((data) => Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  /**
   * Starts the thread and loads @fluxir/core and every plugin there, so the first job does not wait
   * for it (about half a second).
   */
  async warmUp(): Promise<void> {
    const plugins = this.registry.entries().flatMap(({ plugin }) => (plugin.entry ? [{ entry: plugin.entry, dir: plugin.dir, token: this.tokenOf(plugin) }] : []));
    await this.call('preload', { plugins }, []);
  }

  /** Called when the container is disposed. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  /** `handOver`: arrays the caller gives up; those owning their whole buffer move without a copy. */
  private call<T>(op: string, payload: object, handOver: readonly (ArrayBufferView | undefined)[]): Promise<T> {
    const id = this.nextId++;
    const owned = handOver.filter((view): view is ArrayBufferView => view !== undefined && view.byteLength === view.buffer.byteLength);
    const transfer = [...new Set(owned.map((view) => view.buffer as ArrayBuffer))];
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.thread().postMessage({ id, op, payload }, transfer);
    });
  }

  /** A new number each time the host loads a plugin anew (a reload), so the worker loads it anew too. */
  private tokenOf(plugin: LoadedPlugin): number {
    let token = this.tokens.get(plugin);
    if (token === undefined) this.tokens.set(plugin, (token = this.nextToken++));
    return token;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(OFF_THREAD_SCRIPT, { eval: true, workerData: { resolveFrom: RESOLVE_FROM } });
    worker.unref();
    worker.on('message', (reply: Reply) => this.answer(reply));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the off-thread worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private answer(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (!waiting) return;
    if ('result' in reply) return waiting.resolve(reply.result);
    const { message, code } = reply.failure;
    // FluxirErrors (E_DECODE, E_PARAMS, E_MASK...) keep their code; anything else is E_INTERNAL or, from a plugin, E_PLUGIN upstream.
    waiting.reject(code ? new FluxirError(code as ErrorCode, message.replace(`${code}: `, '')) : new Error(message));
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (!(error instanceof AbortError)) this.logger.error({ err: error }, 'the off-thread worker stopped; the next job starts another');
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
