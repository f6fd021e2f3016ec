import type { ProtocolError, ProtocolErrorCode } from '@fluxir/sdk/protocol';
import { isFluxirError } from './error-report';

/** A refusal by the serving layer (queue, auth, limits), with a protocol error code. */
export class ServerError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ServerError';
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Every serving error message, in one place; tests assert with these same factories. */
export const serverErrors = {
  badRequest: (what: string) => new ServerError('E_BAD_REQUEST', what),
  payloadTooLarge: (what: string, bytes: number, limit: number) =>
    new ServerError('E_PAYLOAD_TOO_LARGE', `${what} is ${mb(bytes)}, over the limit of ${mb(limit)}`),
  uploadTooLarge: (limit: number) => new ServerError('E_PAYLOAD_TOO_LARGE', `the upload is over the limit of ${mb(limit)} per image`),
  unknownVersion: (plugin: string, range: string, loaded: string) =>
    new ServerError('E_UNKNOWN_VERSION', `plugin ${plugin} ${range} is not loaded; this host has ${plugin} ${loaded}`),
  unauthorized: () =>
    new ServerError('E_UNAUTHORIZED', 'a valid token is required (Authorization: Bearer <token>, or the socket auth token)'),
  tokenInUrl: () =>
    new ServerError('E_BAD_REQUEST', 'a token in the URL is refused (URLs end up in logs and histories); send Authorization: Bearer <token> or the socket auth token'),
  rateLimited: (seconds: number) =>
    new ServerError('E_RATE_LIMITED', `too many failed authentications from this address; try again in ${seconds} s`),
  hostNotAllowed: (host: string) =>
    new ServerError('E_FORBIDDEN', `this host does not answer to the name ${host}; add it to allowedHosts if it is yours`),
  originNotAllowed: (origin: string) => new ServerError('E_FORBIDDEN', `origin ${origin} is not allowed (corsOrigins)`),
  forbidden: (what: string) => new ServerError('E_FORBIDDEN', what),
  queueFull: (limit: number) => new ServerError('E_QUEUE_FULL', `the queue is full (${limit} jobs); try again later`),
  queueBytesFull: (limit: number) =>
    new ServerError('E_QUEUE_FULL', `the images waiting in the queue fill its ${limit} bytes (limits.maxQueuedBytes); try again later`),
  clientLimit: (limit: number) =>
    new ServerError('E_CLIENT_LIMIT', `this client (resume key) already has ${limit} open jobs; wait for one to finish`),
  notFound: (jobId: string) => new ServerError('E_NOT_FOUND', `no job ${jobId} (unknown, or its result has expired)`),
  noJobsForKey: () => new ServerError('E_NOT_FOUND', 'no jobs for this request: send the X-Fluxir-Resume-Key your jobs were submitted with'),
  noRoute: (method: string, path: string) => new ServerError('E_NOT_FOUND', `no route ${method} ${path}; see /api/openapi.json`),
  notReady: (jobId: string, status: string) => new ServerError('E_NOT_READY', `job ${jobId} is ${status}; its result is not ready`),
  timeout: (ms: number) => new ServerError('E_TIMEOUT', `the job ran longer than the limit of ${Math.round(ms / 1000)} s`),
  maskMissing: (plugin: string) => new ServerError('E_MASK', `plugin ${plugin} needs a mask (white = fill) with the image`),
  shuttingDown: () => new ServerError('E_SHUTTING_DOWN', 'the host is shutting down and accepts no new jobs'),
};

/** What a client is told: serving and engine errors keep their code, anything else is E_INTERNAL. */
export function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ServerError) return { code: error.code, message: error.detail };
  if (isFluxirError(error)) return { code: error.code, message: stripCode(error.message, error.code) };
  return { code: 'E_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

function stripCode(message: string, code: string): string {
  return message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
}
