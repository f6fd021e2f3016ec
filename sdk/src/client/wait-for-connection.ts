import type { Socket } from 'socket.io-client';
import type { ProtocolError } from '../protocol/error-codes';
import { clientErrors, type FluxirClientError } from './client-errors';

/**
 * Resolves once the socket is connected. Rejects with the host's code (E_UNAUTHORIZED...) when
 * its middleware refuses the connection, which socket.io does not retry; with E_CONNECT when the
 * socket gives up or `timeoutMs` passes.
 */
export function waitForConnection(socket: Socket, timeoutMs: number, describeUrl: string): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastReason = 'no answer';
    const done = (error?: FluxirClientError) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onConnect = () => done();
    const onError = (error: Error & { data?: unknown }) => {
      lastReason = error.message;
      const refusal = protocolErrorOf(error.data);
      if (refusal) done(clientErrors.fromProtocol(refusal));
      else if (!socket.active) done(clientErrors.connect(describeUrl, lastReason));
    };
    const timer = setTimeout(() => done(clientErrors.connect(describeUrl, lastReason)), timeoutMs);
    socket.on('connect', onConnect);
    socket.on('connect_error', onError);
  });
}

/** The `{ code, message }` a host puts in a refused connection's error data (directly or under `error`). */
function protocolErrorOf(data: unknown): ProtocolError | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const candidate = (data as { error?: unknown }).error ?? data;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const { code, message } = candidate as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? ({ code, message } as ProtocolError) : undefined;
}
