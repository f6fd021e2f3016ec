import type { ProtocolError, ProtocolErrorCode } from '@fluxir/sdk/protocol';
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '../../logging/logger.interface';
import type { ServerLimits } from '../../config/server-config.interface';
import { serverErrors, toProtocolError } from '../../errors/server-error';
import type { ServerMetrics } from '../server-metrics.interface';
import type { ErrorBody } from './rest-schemas';

const STATUS: Partial<Record<ProtocolErrorCode, number>> = {
  E_BAD_REQUEST: 400,
  E_PARAMS: 400,
  E_DECODE: 400,
  E_MASK: 400,
  E_UNAUTHORIZED: 401,
  E_FORBIDDEN: 403,
  E_NOT_FOUND: 404,
  E_UNKNOWN_TASK: 404,
  E_UNKNOWN_VERSION: 404,
  E_NOT_READY: 409,
  E_ABORTED: 409,
  E_PAYLOAD_TOO_LARGE: 413,
  E_TOO_LARGE: 413,
  E_CLIENT_LIMIT: 429,
  E_RATE_LIMITED: 429,
  E_QUEUE_FULL: 503,
  E_SHUTTING_DOWN: 503,
  E_TIMEOUT: 504,
};

export function httpStatus(code: ProtocolErrorCode): number {
  return STATUS[code] ?? 500;
}

/** Every REST error body: `{ error: { code, message } }`. */
export function sendError(res: Response, error: ProtocolError, metrics: ServerMetrics): void {
  metrics.error(error.code);
  res.status(httpStatus(error.code)).json({ error } satisfies ErrorBody);
}

/** Express's last error handler: body-parser and multer failures get protocol codes like everything else. */
export function errorHandler(limits: ServerLimits, metrics: ServerMetrics, logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const report = toProtocolError(translate(error, limits));
    if (report.code === 'E_INTERNAL') logger.error({ err: error }, 'request failed');
    if (res.headersSent) return void res.end();
    sendError(res, report, metrics);
  };
}

function translate(error: unknown, limits: ServerLimits): unknown {
  const { type, code, status } = (error ?? {}) as { type?: string; code?: string; status?: number };
  if (type === 'entity.too.large' || code === 'LIMIT_FILE_SIZE') {
    return serverErrors.uploadTooLarge(limits.maxUploadBytes);
  }
  if (typeof code === 'string' && code.startsWith('LIMIT_')) return serverErrors.badRequest(`bad multipart upload: ${String((error as Error).message)}`);
  if (status && status >= 400 && status < 500) return serverErrors.badRequest((error as Error).message);
  return error;
}
