import type { ProtocolError, ProtocolErrorCode } from '../protocol/error-codes';

/**
 * Codes a client sees: every protocol code the host sends, plus two that only the client can
 * observe (the host never answered).
 */
export type ClientErrorCode =
  | ProtocolErrorCode
  /** The host could not be reached, or refused the connection for a reason it did not name. */
  | 'E_CONNECT'
  /** The host did not acknowledge a request in time (or the connection closed before it did). */
  | 'E_NO_REPLY';

/** Every failure the client reports: a stable `code` for programs, a `message` for people. */
export class FluxirClientError extends Error {
  override readonly name = 'FluxirClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The client's own messages, in one place (tests assert with the same factories). */
export const clientErrors = {
  fromProtocol: (error: ProtocolError) => new FluxirClientError(error.code, error.message),
  aborted: () => new FluxirClientError('E_ABORTED', 'the job was cancelled'),
  connect: (url: string, reason: string) => new FluxirClientError('E_CONNECT', `cannot connect to ${url}: ${reason}`),
  noReply: (request: string, ms: number) =>
    new FluxirClientError('E_NO_REPLY', `the host did not answer ${request} within ${Math.round(ms / 1000)} s`),
  closed: () => new FluxirClientError('E_CONNECT', 'the client was closed'),
  badImage: (what: string) =>
    new FluxirClientError('E_BAD_REQUEST', `${what} must be a Blob, an ArrayBuffer or a Uint8Array`),
} as const;

/** A thrown value as a FluxirClientError (socket.io's ack time-out included). */
export function asClientError(error: unknown, request: string, timeoutMs: number): FluxirClientError {
  if (error instanceof FluxirClientError) return error;
  if (error instanceof Error && /timed out/i.test(error.message)) return clientErrors.noReply(request, timeoutMs);
  return new FluxirClientError('E_INTERNAL', error instanceof Error ? error.message : String(error));
}
