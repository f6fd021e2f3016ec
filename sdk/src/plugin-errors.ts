import { errors, FluxirError, oneOf } from '@fluxir/core';

export { FluxirError, oneOf };

/**
 * The errors a plugin raises, each with a stable code the host, the CLI and the socket protocol pass
 * on unchanged. Throw these (never a bare `Error`) from `prepare`, `degrade` and `baseline`, and
 * assert with the same factories in tests: the message text is part of the API.
 */
export const pluginErrors = {
  /** E_PARAMS: a parameter (or an image property) is not what the task accepts. */
  invalidParameter: (name: string, expected: string, actual: unknown): FluxirError =>
    errors.invalidParameter(name, expected, actual),
  /** E_MASK: the task needs a mask (white = fill) and none was given for `file`. */
  maskMissing: (task: string, file = 'the input'): FluxirError => errors.maskMissing(task, file),
  /** E_MASK: the mask and the image differ in size. */
  maskMismatch: (
    file: string,
    mask: { readonly width: number; readonly height: number },
    image: { readonly width: number; readonly height: number },
  ): FluxirError => errors.maskMismatch(file, mask, image),
  /** E_PARAMS: a clean training image whose sides are not divisible by the task's shrink factor. */
  indivisibleSize: (task: string, factor: number, image: { readonly width: number; readonly height: number }): FluxirError =>
    errors.invalidParameter(
      `${task} clean image size`,
      `sides divisible by the scale ${factor} (crop it first)`,
      `${image.width}x${image.height}`,
    ),
  /** E_PLUGIN: the plugin itself failed (a codec or resource it needs is unavailable). */
  pluginFailure: (task: string, reason: string): FluxirError => errors.plugin(task, reason),
};

/** The stable code of an error a plugin threw (`E_...`), or undefined for anything else. Works across copies of the SDK. */
export function errorCodeOf(error: unknown): string | undefined {
  if (error instanceof FluxirError) return error.code;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E_[A-Z_]+$/.test(code) ? code : undefined;
}
