import { inject, injectable } from 'inversify';
import { ServerConfig } from '../config/server-config.interface';
import { ServerError, serverErrors } from '../errors/server-error';
import { accessFor, type AccessLevel } from './access-control';

const WINDOW_MS = 60_000;

/**
 * Token checks for REST and sockets, with a per-address budget of failures: after
 * `limits.authFailuresPerMinute` wrong or missing tokens within a minute, that address is refused with
 * E_RATE_LIMITED (even with the right token) until the minute is over, so guessing a token costs time.
 */
@injectable()
export class Authenticator {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(@inject(ServerConfig) private readonly config: ServerConfig) {}

  access(address: string | undefined, token: string | undefined): AccessLevel {
    const key = address ?? 'unknown';
    this.checkBudget(key);
    try {
      return accessFor(this.config, token);
    } catch (error) {
      if (error instanceof ServerError && error.code === 'E_UNAUTHORIZED') this.countFailure(key);
      throw error;
    }
  }

  /** The admin token, or `refusal()`: any other token (even the shared one) counts as a failure. */
  admin(address: string | undefined, token: string | undefined, refusal: () => Error): void {
    const key = address ?? 'unknown';
    if (token === undefined) throw serverErrors.unauthorized();
    if (this.access(address, token) === 'admin') return;
    this.countFailure(key);
    throw refusal();
  }

  private checkBudget(key: string): void {
    const now = Date.now();
    const record = this.failures.get(key);
    if (record && now - record.since >= WINDOW_MS) this.failures.delete(key);
    const current = this.failures.get(key);
    if (current && current.count >= this.config.limits.authFailuresPerMinute) {
      throw serverErrors.rateLimited(Math.ceil((current.since + WINDOW_MS - now) / 1000));
    }
  }

  /** Seconds until an address that is refused may try again (for Retry-After). */
  retryAfterSeconds(address: string | undefined): number {
    const record = this.failures.get(address ?? 'unknown');
    return record ? Math.max(1, Math.ceil((record.since + WINDOW_MS - Date.now()) / 1000)) : 1;
  }

  private countFailure(key: string): void {
    const now = Date.now();
    const record = this.failures.get(key) ?? { count: 0, since: now };
    record.count++;
    this.failures.set(key, record);
    // Bounded memory under a spray of addresses: forget the windows that are over.
    if (this.failures.size > 10_000) for (const [other, r] of this.failures) if (now - r.since >= WINDOW_MS) this.failures.delete(other);
  }
}
