export const Logger = Symbol('Logger');
/** The part of pino's logger the host uses: structured fields first, then the message. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}
