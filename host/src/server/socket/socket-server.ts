import type { Server as HttpServer } from 'node:http';
import { handshakeAuthSchema, type ClientToServerEvents, type ServerToClientEvents } from '@fluxir/sdk/protocol';
import type { interfaces } from 'inversify';
import { Server } from 'socket.io';
import { JobIntake } from '../job-intake.interface';
import { JobQueue } from '../../jobs/job-queue.interface';
import { Logger } from '../../logging/logger.interface';
import { PluginCatalog } from '../../plugins/plugin-catalog.interface';
import { PluginRegistry } from '../../plugins/plugin-registry.interface';
import { ServerConfig } from '../../config/server-config.interface';
import { ServerState } from '../server-state.interface';
import { serverErrors, toProtocolError } from '../../errors/server-error';
import { ServerMetrics } from '../server-metrics.interface';
import { ResumeKeys } from '../resume-keys.interface';
import { hostAllowed, originAllowed, refuseTokenInUrl } from '../access-control';
import { Authenticator } from '../authenticator';
import { SocketSession, type HostSocket, type SocketData } from './socket-session';

export type HostIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * socket.io on the host's HTTP server. The handshake is checked once: Host header and origin (before
 * the upgrade), token (with the per-address failure budget), and the principal from `auth.resumeKey`
 * (or a fresh one). A refused connection gets `connect_error` whose `data` is `{ code, message }`.
 */
export function attachSocketServer(httpServer: HttpServer, container: interfaces.Container): HostIo {
  const config = container.get<ServerConfig>(ServerConfig);
  const metrics = container.get<ServerMetrics>(ServerMetrics);
  const logger = container.get<Logger>(Logger);
  const authenticator = container.get(Authenticator);
  const keys = container.get<ResumeKeys>(ResumeKeys);
  const io: HostIo = new Server(httpServer, {
    // Image and mask at their limits, plus room for the rest of the message.
    maxHttpBufferSize: 2 * config.limits.maxUploadBytes + 1e6,
    cors: { origin: (origin, callback) => callback(null, originAllowed(config, origin, undefined)), credentials: false },
    allowRequest: (req, callback) => {
      const { host, origin } = req.headers;
      callback(null, hostAllowed(config, host) && originAllowed(config, origin, host));
    },
  });
  const state = container.get<ServerState>(ServerState);
  io.use((socket, next) => {
    try {
      if (state.stopping) throw serverErrors.shuttingDown();
      const auth = handshakeAuthSchema.safeParse(socket.handshake.auth ?? {});
      if (!auth.success) throw serverErrors.badRequest('the handshake auth must be { token?: string, resumeKey?: string }');
      refuseTokenInUrl(socket.handshake.query);
      socket.data.access = authenticator.access(socket.handshake.address, auth.data.token);
      const principal = keys.verify(auth.data.resumeKey) ?? keys.mint();
      socket.data.owner = principal.owner;
      socket.data.resumeKey = principal.resumeKey;
      next();
    } catch (error) {
      const report = toProtocolError(error);
      metrics.error(report.code);
      next(Object.assign(new Error(report.message), { data: report }));
    }
  });
  const services = {
    intake: container.get<JobIntake>(JobIntake),
    queue: container.get<JobQueue>(JobQueue),
    catalog: container.get<PluginCatalog>(PluginCatalog),
    metrics,
    logger,
  };
  // Panels refresh their plugin list when a plugin is installed, disabled, reloaded or removed.
  container.get<PluginRegistry>(PluginRegistry).onDidChange(({ kind, id, version }) => io.emit('plugins:changed', { change: kind, id, version }));
  io.on('connection', (socket: HostSocket) => {
    logger.debug({ owner: socket.data.owner, socket: socket.id }, 'client connected');
    new SocketSession(socket, services);
    socket.emit('session', { resumeKey: socket.data.resumeKey });
  });
  return io;
}
