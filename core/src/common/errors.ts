/**
 * Every error fluxir reports, with a stable code. Messages are part of the API: tests assert them
 * through these same factories.
 */
export type ErrorCode =
  | 'E_DECODE'
  | 'E_TOO_LARGE'
  | 'E_UNKNOWN_TASK'
  | 'E_MASK'
  | 'E_WRITE'
  | 'E_PARAMS'
  | 'E_WEIGHTS'
  | 'E_ABORTED'
  | 'E_DATA'
  | 'E_PLUGIN';

export class FluxirError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'FluxirError';
  }
}

export class AbortError extends FluxirError {
  constructor() {
    super('E_ABORTED', 'the restoration was cancelled');
    this.name = 'AbortError';
  }
}

export function oneOf(values: readonly string[]): string {
  return `one of: ${values.join(', ')}`;
}

export const errors = {
  decode: (file: string, reason: string) => new FluxirError('E_DECODE', `cannot decode ${file}: ${reason}`),
  tooLarge: (file: string, pixels: number, limit: number) =>
    new FluxirError(
      'E_TOO_LARGE',
      `${file} has ${(pixels / 1e6).toFixed(1)} megapixels, over the limit of ${(limit / 1e6).toFixed(1)} megapixels`,
    ),
  unknownTask: (task: string, known: readonly string[]) =>
    new FluxirError('E_UNKNOWN_TASK', `unknown task "${task}"; expected ${oneOf(known)}`),
  maskMissing: (task: string, file: string) =>
    new FluxirError('E_MASK', `task ${task} needs a mask (white = fill) for ${file}; pass --mask FILE|DIR`),
  maskMismatch: (file: string, mask: { width: number; height: number }, image: { width: number; height: number }) =>
    new FluxirError(
      'E_MASK',
      `mask for ${file} is ${mask.width}x${mask.height}, the image is ${image.width}x${image.height}`,
    ),
  write: (file: string, reason: string) => new FluxirError('E_WRITE', `cannot write ${file}: ${reason}`),
  invalidParameter: (name: string, expected: string, actual: unknown) =>
    new FluxirError('E_PARAMS', `expected ${expected} for ${name} but received ${describe(actual)}`),
  weights: (reason: string) => new FluxirError('E_WEIGHTS', reason),
  emptyData: (dir: string, reason: string) => new FluxirError('E_DATA', `no training photos in ${dir}: ${reason}`),
  photoTooSmall: (file: string, width: number, height: number, side: number) =>
    new FluxirError('E_DATA', `${file} is ${width}x${height} after cropping; evaluation needs at least ${side}x${side} pixels`),
  plugin: (id: string, reason: string) => new FluxirError('E_PLUGIN', `plugin ${id}: ${reason}`),
};

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
