import { FluxirError, type ErrorCode } from '@fluxir/core';

/** What a client is told about a failure: a stable code and the message. */
export interface ErrorReport {
  readonly code: ErrorCode | 'E_INTERNAL';
  readonly message: string;
}

/**
 * True for fluxir errors, including those thrown through another copy of @fluxir/core, where
 * `instanceof` would say no: a plugin installed with its own dependencies has its own SDK and so its
 * own core, whichever SDK version it was built against.
 */
export function isFluxirError(error: unknown): error is FluxirError {
  if (error instanceof FluxirError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  const named = error instanceof Error && (error.name === 'FluxirError' || error.name === 'AbortError');
  return named && typeof code === 'string' && /^E_[A-Z_]+$/.test(code);
}

/** E_INTERNAL marks a bug rather than bad input: anything that is not a FluxirError. */
export function toErrorReport(error: unknown): ErrorReport {
  if (isFluxirError(error)) return { code: error.code, message: error.message };
  return { code: 'E_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
