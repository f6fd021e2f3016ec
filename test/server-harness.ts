import { AbortError, createImage, encodeImage, type Engine, type RestoreRequest, type RestoreResult } from '@fluxir/core';
import type { ClientToServerEvents, ServerToClientEvents } from '@fluxir/sdk/protocol';
import type { Container } from 'inversify';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_SERVER_CONFIG, type ServerConfig, type ServerLimits } from '../host/src/config/server-config.interface';
import { HostServer } from '../host/src/server/host-server';
import { createServerContainer } from '../host/src/server/server-container';
import { captureLogger, type CapturedLog } from '../host/src/testing/capture-logger';
import { FakeEngine } from '../host/src/testing/fake-engine';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServerOptions {
  readonly config?: Partial<Omit<ServerConfig, 'limits'>>;
  readonly limits?: Partial<ServerLimits>;
  /** Makes the engine; FakeEngine by default, 'real' for the engine with the shipped weights. */
  readonly engine?: (() => Engine | Promise<Engine>) | 'real';
  readonly pluginDirs?: string[];
  /** Binds extra services (route contributions) before the app is built. */
  readonly setup?: (container: Container) => void;
  /** A fixed port (a host "restarted" on the port of one that stopped); default a free one. */
  readonly port?: number;
}

export interface TestServer {
  readonly server: HostServer;
  readonly url: string;
  readonly logs: CapturedLog[];
  /** A socket; its resume key arrives with `session` (see `resumeKeyOf`). */
  connect(auth?: { token?: string; resumeKey?: string }): Promise<Client>;
  close(): Promise<void>;
}

/** A host on a free loopback port with the workspace's built-in plugins and, by default, FakeEngine. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const config: ServerConfig = {
    ...DEFAULT_SERVER_CONFIG,
    logLevel: 'warn',
    ...options.config,
    port: 0,
    limits: { ...DEFAULT_SERVER_CONFIG.limits, shutdownGraceMs: 2000, ...options.limits },
  };
  const { logger, lines } = captureLogger('warn');
  const make = options.engine;
  const container = createServerContainer(config, {
    logger,
    engineFactory: make === 'real' ? undefined : async () => (make ? make() : new FakeEngine()),
    pluginDirs: options.pluginDirs,
  });
  options.setup?.(container);
  const server = new HostServer(container);
  const url = (await server.start(options.port ?? 0, '127.0.0.1')).replace('127.0.0.1', 'localhost');
  const clients: Client[] = [];
  return {
    server,
    url,
    logs: lines,
    connect: (auth = {}) => {
      const client: Client = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      // Listening before the connection: the host sends `session` right after it.
      sessions.set(client, new Promise((resolve) => client.once('session', ({ resumeKey }) => resolve(resumeKey))));
      clients.push(client);
      return new Promise((resolve, reject) => {
        client.once('connect', () => resolve(client));
        client.once('connect_error', reject);
      });
    },
    close: async () => {
      for (const client of clients) client.disconnect();
      await server.stop(500);
    },
  };
}

const sessions = new WeakMap<Client, Promise<string>>();

/** The resume key the host issued to a socket of `TestServer.connect`. */
export function resumeKeyOf(client: Client): Promise<string> {
  const key = sessions.get(client);
  if (!key) throw new Error('not a socket of TestServer.connect');
  return key;
}

/** A FakeEngine whose steps take `stepMs` each, checking for cancellation between steps like the real one. */
export class PacedEngine extends FakeEngine {
  constructor(readonly stepMs: number) {
    super();
  }

  override async restore(request: RestoreRequest): Promise<RestoreResult> {
    this.requests.push(request);
    const started = performance.now();
    const { steps } = request;
    const { y } = request.input;
    const schedule = this.schedule(request.task, steps);
    for (let step = 1; step <= steps; step++) {
      if (request.signal?.aborted) throw new AbortError();
      await new Promise((resolve) => setTimeout(resolve, this.stepMs));
      request.onProgress?.({ step, steps, tile: 1, tiles: 1, fraction: step / steps, etaMs: (steps - step) * this.stepMs });
      request.onPreview?.({ step, steps, t: schedule[step], image: y });
    }
    if (request.signal?.aborted) throw new AbortError();
    return { image: y, steps, schedule, ms: performance.now() - started };
  }
}

/** A PNG of a smooth colour pattern. */
export async function pngImage(width: number, height: number, channels: 1 | 3 | 4 = 3): Promise<Buffer> {
  const image = createImage(width, height, channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) image.data[(y * width + x) * channels + c] = c === 3 ? 1 : ((x + 2 * y + 40 * c) % 64) / 63;
    }
  }
  return encodeImage(image, 'png');
}

/** A white square in the middle of a black mask. */
export async function pngMask(width: number, height: number): Promise<Buffer> {
  const mask = createImage(width, height, 1);
  for (let y = height >> 2; y < (3 * height) >> 2; y++) for (let x = width >> 2; x < (3 * width) >> 2; x++) mask.data[y * width + x] = 1;
  return encodeImage(mask, 'png');
}

export interface LoggedEvent {
  readonly name: string;
  // Payloads are checked field by field in the tests.
  readonly payload: { readonly jobId?: string; readonly seq?: number; readonly [field: string]: unknown };
  readonly at: number;
}

const FINAL = new Set(['job:result', 'job:error', 'job:cancelled']);

/** Every event a client receives, with helpers to wait for one. */
export class EventLog {
  readonly events: LoggedEvent[] = [];
  private readonly waiters: { test: (e: LoggedEvent) => boolean; resolve: (e: LoggedEvent) => void }[] = [];

  constructor(client: Client) {
    client.onAny((name: string, payload: LoggedEvent['payload']) => {
      const event = { name, payload, at: performance.now() };
      this.events.push(event);
      for (const waiter of [...this.waiters]) {
        if (!waiter.test(event)) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    });
  }

  forJob(jobId: string, name?: string): LoggedEvent[] {
    return this.events.filter((e) => e.payload?.jobId === jobId && (name === undefined || e.name === name));
  }

  waitFor(test: (e: LoggedEvent) => boolean, timeoutMs = 15_000): Promise<LoggedEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  final(jobId: string, timeoutMs?: number): Promise<LoggedEvent> {
    return this.waitFor((e) => e.payload?.jobId === jobId && FINAL.has(e.name), timeoutMs);
  }
}

export type AckResponse = { ok: true; [field: string]: unknown } | { ok: false; error: { code: string; message: string } };

/** Emits with an acknowledgement, failing the test if the host does not answer in time. */
export function request(client: Client, event: string, ...args: unknown[]): Promise<AckResponse> {
  // The typed emit cannot take a run-time event name; tests also send payloads the types forbid.
  const untyped = client.timeout(10_000) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<AckResponse> };
  return untyped.emitWithAck(event, ...args);
}

export function errorCode(response: AckResponse): string | undefined {
  return response.ok ? undefined : response.error.code;
}
