import type { Logger as PinoLogger } from 'pino';
import type { Logger } from './logger.interface';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

/**
 * Logs as JSON lines to stderr (stdout belongs to command output such as `--json`). Synchronous, so
 * nothing is lost when the CLI exits right after a failure. pino loads with the first line logged:
 * most command line runs log none, and they start faster without it.
 */
export function createLogger(level: LogLevel = 'warn', stream?: { write(line: string): void }): Logger {
  let pino: PinoLogger | undefined;
  const log = (at: Exclude<LogLevel, 'silent'>) => (fields: object, message?: string) => {
    if (RANK[at] < RANK[level]) return;
    pino ??= pinoLogger(level, stream);
    if (message === undefined) pino[at](fields);
    else pino[at](fields, message);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function pinoLogger(level: LogLevel, stream?: { write(line: string): void }): PinoLogger {
  const pino = require('pino') as typeof import('pino');
  const options = { level, base: undefined };
  return stream ? pino(options, stream) : pino(options, pino.destination({ dest: 2, sync: true }));
}
