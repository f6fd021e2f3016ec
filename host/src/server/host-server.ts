import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Container } from 'inversify';
import { EngineProvider } from '../restore/engine-provider.interface';
import { JobQueue } from '../jobs/job-queue.interface';
import { Logger } from '../logging/logger.interface';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import { ServerConfig } from '../config/server-config.interface';
import { PrepareRunner } from '../restore/prepare-runner.interface';
import { ResumeKeys } from './resume-keys.interface';
import { ServerState } from './server-state.interface';
import { sharedResumeSecret } from '../jobs/redis/redis-resume-secret';
import { disposeHostContainer } from '../host-container';
import { createHttpApp } from './http-app-factory';
import { attachSocketServer, type HostIo } from './socket/socket-server';

/**
 * How long a stopping host waits for websockets to finish their close handshake before it cuts them:
 * a peer that never answers the close frame would otherwise hold the stop for ws's 30 s timeout.
 */
const SOCKET_CLOSE_WAIT_MS = 1000;

/** One listening host: express and socket.io on one port, sharing the container's queue and engine. */
export class HostServer {
  readonly http: HttpServer;
  readonly io: HostIo;
  private readonly logger: Logger;
  private stopped?: Promise<void>;
  /** Every open TCP connection, upgraded websockets included (the HTTP server stops tracking those). */
  private readonly sockets = new Set<Socket>();

  constructor(readonly container: Container) {
    this.logger = container.get<Logger>(Logger);
    const { headersTimeoutMs, requestTimeoutMs } = this.config.limits;
    // Checked every second rather than Node's 30 s, so slow or half-open clients are dropped on time.
    this.http = createServer({ connectionsCheckingInterval: 1000 }, createHttpApp(container));
    this.http.headersTimeout = Math.min(headersTimeoutMs, requestTimeoutMs);
    this.http.requestTimeout = requestTimeoutMs;
    this.http.keepAliveTimeout = 5000;
    this.http.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.io = attachSocketServer(this.http, container);
  }

  /** Loads the engine (so the first job does not pay for it), then listens. Resolves to the base URL. */
  async start(port = this.config.port, host = this.config.host): Promise<string> {
    await this.warmUp();
    await this.container.get<PrepareRunner>(PrepareRunner).warmUp?.();
    await this.container.get<JobQueue>(JobQueue).open?.();
    const { redisUrl, resumeSecret } = this.config;
    if (redisUrl && !resumeSecret) this.container.get<ResumeKeys>(ResumeKeys).useSecret(await sharedResumeSecret(redisUrl));
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => resolve());
    });
    const address = this.http.address() as AddressInfo;
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    const registry = this.container.get<PluginRegistry>(PluginRegistry);
    for (const failure of registry.failures()) this.logger.warn({ dir: failure.dir, code: failure.code }, `plugin not loaded: ${failure.message}`);
    this.logger.info({ url, plugins: registry.ids() }, `fluxir host listening on ${url}`);
    return url;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /**
   * Graceful stop: refuse new jobs and connections, tell connected clients, let running jobs finish
   * within the grace period (then cancel them), close every socket and dispose the engine.
   */
  stop(graceMs = this.config.limits.shutdownGraceMs): Promise<void> {
    this.stopped ??= this.shutdown(graceMs);
    return this.stopped;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.logger.info({ graceMs }, 'shutting down');
    this.container.get<ServerState>(ServerState).stopping = true;
    this.io.emit('server:shutdown', { graceMs });
    // The port stays open through the grace period, so health checks read 503 rather than a refused
    // connection; new jobs and sockets are refused with E_SHUTTING_DOWN meanwhile.
    await this.container.get<JobQueue>(JobQueue).close(graceMs);
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    // Let the final job events leave before the sockets close.
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.io.disconnectSockets(true);
    // socket.io's close waits for the HTTP server, which waits for every connection; what has not
    // closed by itself in time (a websocket whose peer never answers the close frame) is cut.
    const cut = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, SOCKET_CLOSE_WAIT_MS);
    await this.io.close().catch(() => undefined);
    await closed;
    clearTimeout(cut);
    await disposeHostContainer(this.container);
    this.logger.info({}, 'stopped');
  }

  private get config(): ServerConfig {
    return this.container.get<ServerConfig>(ServerConfig);
  }

  private async warmUp(): Promise<void> {
    const state = this.container.get<ServerState>(ServerState);
    try {
      const engine = await this.container.get<EngineProvider>(EngineProvider)();
      state.engine = { ready: true, version: engine.version, backend: engine.backend };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      state.engine = { ready: false, error: reason };
      this.logger.error({ err: error }, `the engine did not start; jobs will fail until it does: ${reason}`);
    }
  }
}
