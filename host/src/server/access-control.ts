import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { ServerConfig } from '../config/server-config.interface';
import { serverErrors } from '../errors/server-error';

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

/** `Authorization: Bearer <token>`. A token in the URL is refused (see `refuseTokenInUrl`), never read. */
export function tokenFromHttp(authorization: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  return bearer ? bearer[1].trim() : undefined;
}

/** URLs land in access logs, proxies and browser histories, so a token there is an error, not a credential. */
export function refuseTokenInUrl(query: unknown): void {
  if (query && typeof query === 'object' && 'token' in query) throw serverErrors.tokenInUrl();
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const UNSPECIFIED = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Whether a Host header names this host: the listen address, loopback names, `allowedHosts`, and any
 * IP address when listening on every interface. A page that rebinds its own domain name to this host's
 * address still sends that domain name here, so it is refused; an IP literal cannot be rebound.
 */
export function hostAllowed(config: ServerConfig, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader.toLowerCase());
  const listen = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const names = [...LOOPBACK_NAMES, listen.toLowerCase(), ...config.allowedHosts.map((allowed) => allowed.toLowerCase())];
  if (names.includes(name)) return true;
  return UNSPECIFIED.has(config.host) && isIP(name.replace(/^\[|\]$/g, '')) !== 0;
}

/**
 * Whether a browser origin may call the host: in the allow-list, "*" there, or the host's own origin
 * (the page the host serves itself; its Host header has passed `hostAllowed`).
 */
export function originAllowed(config: ServerConfig, origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  if (config.corsOrigins.includes('*') || config.corsOrigins.includes(origin)) return true;
  try {
    return host !== undefined && hostAllowed(config, host) && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** `name:port`, `[v6]:port` or a bare name: the name, brackets kept for IPv6. */
function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
