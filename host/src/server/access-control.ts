import { timingSafeEqual } from 'node:crypto';
import type { ServerConfig } from '../common/server-config-protocol';
import { serverErrors } from '../common/server-error';

export type AccessLevel = 'admin' | 'user';

/**
 * Who a token makes the caller. Without a configured token everyone is a user; the admin token, when
 * set, is the only way to be admin and is accepted wherever the shared token is. E_UNAUTHORIZED otherwise.
 */
export function accessFor(config: ServerConfig, token: string | undefined): AccessLevel {
  if (token !== undefined && config.adminToken && sameToken(token, config.adminToken)) return 'admin';
  if (!config.token) return 'user';
  if (token !== undefined && sameToken(token, config.token)) return 'user';
  throw serverErrors.unauthorized();
}

/** Admin operations: open when no admin token is configured (but still behind the shared token). */
export function requireAdmin(config: ServerConfig, level: AccessLevel): void {
  if (config.adminToken && level !== 'admin') throw serverErrors.forbidden('this needs the admin token');
}

/** `Authorization: Bearer <token>`, else the `token` query parameter. */
export function tokenFromHttp(authorization: string | undefined, query: unknown): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (bearer) return bearer[1].trim();
  const value = (query as Record<string, unknown> | undefined)?.token;
  return typeof value === 'string' ? value : undefined;
}

/** Whether a browser origin may call the host: in the allow-list, "*" there, or the host's own origin. */
export function originAllowed(config: ServerConfig, origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  if (config.corsOrigins.includes('*') || config.corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
