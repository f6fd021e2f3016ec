import pino from 'pino';
import type { Logger } from './logger.interface';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * Logs as JSON lines to stderr (stdout belongs to command output such as `--json`). Synchronous, so
 * nothing is lost when the CLI exits right after a failure.
 */
export function createLogger(level: LogLevel = 'warn', stream?: { write(line: string): void }): Logger {
  const options = { level, base: undefined };
  return stream ? pino(options, stream) : pino(options, pino.destination({ dest: 2, sync: true }));
}
