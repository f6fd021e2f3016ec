import type { Logger } from '../logging/logger.interface';
import { createLogger, type LogLevel } from '../logging/pino-logger';

export interface CapturedLog {
  readonly level: number;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

/** A pino logger whose lines are parsed into `lines`, for asserting what was reported. */
export function captureLogger(level: LogLevel = 'debug'): { logger: Logger; lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as CapturedLog) });
  return { logger, lines };
}
