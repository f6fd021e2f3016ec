import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ProtocolError } from '../protocol/error-codes';
import type {
  ClientToServerEvents,
  JobStatus,
  JobSummary,
  PluginInfo,
  ServerToClientEvents,
  SubmitJob,
} from '../protocol/socket-events';
import { type ImageSource, readImageSource } from './binary';
import { asClientError, clientErrors } from './client-errors';
import type { RestoreOptions } from './restore-events';
import { JobRouter } from './job-router';
import { type JobEventName, type JobEventPayload, RestoreJob } from './restore-job';
import { waitForConnection } from './wait-for-connection';

export interface FluxirClientOptions {
  /** Required when the host is configured with a token. */
  readonly token?: string;
  /**
   * The resume key of an earlier session (from `resumeKey` or `whenSession()`), to reach its jobs
   * again after a page reload. The host ignores a key it did not issue and issues a fresh one.
   */
  readonly resumeKey?: string;
  /** How long to wait for the first connection (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** How long to wait for the host to acknowledge a request (default 15 s). */
  readonly requestTimeoutMs?: number;
  /** How long to wait for the host to acknowledge a submitted job, upload included (default 120 s). */
  readonly submitTimeoutMs?: number;
  /** How long to wait before connecting again after a stopping host refused the connection (default 1 s). */
  readonly shutdownRetryMs?: number;
  /** Passed to socket.io-client (path, transports, extraHeaders...). */
  readonly socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export type ConnectionState = 'connected' | 'reconnecting' | 'closed';

const SHUTDOWN_RETRY_MS = 1000;

type Reply<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: ProtocolError };

const JOB_EVENTS: readonly JobEventName[] = [
  'job:queued',
  'job:started',
  'job:progress',
  'job:preview',
  'job:result',
  'job:error',
  'job:cancelled',
];

/**
 * A typed client of the fluxir host over socket.io, for browsers and Node. It reconnects by
 * itself and re-attaches to its unfinished jobs, so a dropped connection loses no event but
 * previews.
 */
export class FluxirClient {
  private currentResumeKey: string | undefined;
  private sessionStarted = false;
  private readonly sessionWaiters: ((resumeKey: string) => void)[] = [];
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly router = new JobRouter();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private readonly shutdownListeners = new Set<(graceMs: number) => void>();
  private connectedOnce = false;
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | undefined;

  /** Connects and waits for the host to accept the connection. */
  static async connect(url: string | undefined, options: FluxirClientOptions = {}): Promise<FluxirClient> {
    const client = new FluxirClient(url, options);
    try {
      await client.connected();
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** Starts connecting at once; `connected()` tells when it succeeded. `url` undefined = the page's origin. */
  constructor(
    readonly url: string | undefined,
    private readonly options: FluxirClientOptions = {},
  ) {
    this.currentResumeKey = options.resumeKey;
    // A function, so every reconnect presents the key the host issued last.
    const auth = (send: (data: object) => void) => send({ token: options.token, resumeKey: this.currentResumeKey });
    const socketOptions = { ...options.socketOptions, auth };
    this.socket = url === undefined ? io(socketOptions) : io(url, socketOptions);
    this.socket.on('session', ({ resumeKey }) => {
      this.currentResumeKey = resumeKey;
      this.sessionStarted = true;
      for (const resolve of this.sessionWaiters.splice(0)) resolve(resumeKey);
    });
    for (const name of JOB_EVENTS) {
      this.socket.on(name, ((payload: JobEventPayload<typeof name>) => this.router.route(name, payload)) as never);
    }
    this.socket.on('connect', () => {
      if (this.connectedOnce) this.reattach();
      this.connectedOnce = true;
      this.notify('connected');
    });
    this.socket.on('disconnect', () => this.notify(this.socket.active ? 'reconnecting' : 'closed'));
    // A host that is stopping refuses new connections with E_SHUTTING_DOWN. socket.io does not retry a
    // refusal on its own, so a client that reconnected during a restart's grace period would stay
    // offline when the host (or its replacement) comes back: it tries again instead.
    this.socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => {
      if (error.data?.code !== 'E_SHUTTING_DOWN' || this.closed) return;
      this.notify('reconnecting');
      clearTimeout(this.retry);
      this.retry = setTimeout(() => {
        if (!this.closed && !this.socket.connected) this.socket.connect();
      }, this.options.shutdownRetryMs ?? SHUTDOWN_RETRY_MS);
    });
    this.socket.on('server:shutdown', ({ graceMs }) => this.shutdownListeners.forEach((listener) => listener(graceMs)));
  }

  /**
   * The key the host issued to this client (undefined until its `session` event arrives). Whoever holds
   * it reaches this client's jobs: keep it where only this user can read it (sessionStorage, say).
   */
  get resumeKey(): string | undefined {
    return this.currentResumeKey;
  }

  /** Resolves with the resume key once the host has issued it (at once if it already has). */
  whenSession(): Promise<string> {
    if (this.sessionStarted && this.currentResumeKey !== undefined) return Promise.resolve(this.currentResumeKey);
    return new Promise((resolve) => this.sessionWaiters.push(resolve));
  }

  get isConnected(): boolean {
    return this.socket.connected;
  }

  /** Resolves once connected; rejects with E_UNAUTHORIZED and the like when refused, E_CONNECT on time-out. */
  connected(): Promise<void> {
    return waitForConnection(this.socket as unknown as Socket, this.options.connectTimeoutMs ?? 10_000, this.url ?? 'this page’s host');
  }

  /** Every loaded plugin version, newest first per plugin as the host lists them. */
  async plugins(): Promise<readonly PluginInfo[]> {
    const reply = await this.request('plugins:list', this.options.requestTimeoutMs, (socket) => socket.emitWithAck('plugins:list'));
    return reply.plugins;
  }

  /** This client's open and recent jobs. */
  async jobList(): Promise<readonly JobSummary[]> {
    const reply = await this.request('jobs:list', this.options.requestTimeoutMs, (socket) => socket.emitWithAck('jobs:list'));
    return reply.jobs;
  }

  /** Submits a job. The returned job is live at once: iterate it, await `job.result`, or pass callbacks. */
  restore(image: ImageSource, options: RestoreOptions): RestoreJob {
    const job = new RestoreJob(options, (jobId) => this.cancel(jobId));
    void this.submit(job, image, options).catch((error: unknown) => job.fail(asClientError(error, 'job:submit', 0)));
    return job;
  }

  /** Follows a job submitted earlier under this client's resume key (after a page reload, say). */
  attach(jobId: string, options: Omit<RestoreOptions, 'plugin' | 'mask' | 'params' | 'steps' | 'seed'> = {}): RestoreJob {
    const job = new RestoreJob({ plugin: '', ...options }, (id) => this.cancel(id));
    job.accepted(jobId, -1);
    this.router.track(jobId, job);
    void this.attachJob(job, jobId);
    return job;
  }

  /** Cancels a job of this client by id. */
  async cancel(jobId: string): Promise<JobStatus> {
    const reply = await this.request('job:cancel', this.options.requestTimeoutMs, (socket) =>
      socket.emitWithAck('job:cancel', { jobId }),
    );
    return reply.status;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** The host announced it is stopping. */
  onShutdown(listener: (graceMs: number) => void): () => void {
    this.shutdownListeners.add(listener);
    return () => this.shutdownListeners.delete(listener);
  }

  /** Disconnects; unfinished jobs fail with E_CONNECT (they keep running on the host). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.socket.close();
    this.router.failAll(clientErrors.closed());
    this.notify('closed');
  }

  private async submit(job: RestoreJob, image: ImageSource, options: RestoreOptions): Promise<void> {
    const payload: SubmitJob = {
      plugin: options.plugin,
      image: await readImageSource(image, 'image'),
      ...(options.mask !== undefined && { mask: await readImageSource(options.mask, 'mask') }),
      ...(options.version !== undefined && { version: options.version }),
      ...(options.params !== undefined && { params: options.params }),
      ...(options.steps !== undefined && { steps: options.steps }),
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(options.preview !== undefined && { preview: options.preview }),
      ...(options.resultMime !== undefined && { resultMime: options.resultMime }),
    };
    if (job.done) return;
    const reply = await this.request('job:submit', this.options.submitTimeoutMs ?? 120_000, (socket) =>
      socket.emitWithAck('job:submit', payload),
    );
    job.accepted(reply.jobId, reply.position);
    this.router.track(reply.jobId, job);
  }

  private reattach(): void {
    for (const [jobId, job] of this.router.open()) void this.attachJob(job, jobId);
  }

  private async attachJob(job: RestoreJob, jobId: string): Promise<void> {
    try {
      await this.request('job:attach', this.options.requestTimeoutMs, (socket) =>
        socket.emitWithAck('job:attach', { jobId, afterSeq: job.afterSeq }),
      );
    } catch (error) {
      // A connection that drops again re-attaches on its next connect; anything else ends the job.
      const clientError = asClientError(error, 'job:attach', this.options.requestTimeoutMs ?? 15_000);
      if (clientError.code !== 'E_NO_REPLY') job.fail(clientError);
    }
  }

  private async request<T>(
    label: string,
    timeoutMs: number | undefined,
    send: (socket: Socket<ServerToClientEvents, ClientToServerEvents>) => Promise<Reply<T>>,
  ): Promise<T> {
    const ms = timeoutMs ?? 15_000;
    let reply: Reply<T>;
    try {
      reply = await send(this.socket.timeout(ms) as unknown as Socket<ServerToClientEvents, ClientToServerEvents>);
    } catch (error) {
      throw asClientError(error, label, ms);
    }
    if (!reply.ok) throw clientErrors.fromProtocol(reply.error);
    return reply;
  }

  private notify(state: ConnectionState): void {
    for (const listener of this.connectionListeners) listener(state);
  }

}
