import type { EncodeOptions, Image, Mask } from '@fluxir/core';

export const ImageCodec = Symbol('ImageCodec');
/**
 * Decodes a job's uploads and encodes its result. Converting a large photo between bytes and float
 * pixels takes the CPU for a while, so a serving host does it on a worker thread (see PrepareRunner).
 */
export interface ImageCodec {
  /** E_DECODE, E_TOO_LARGE (over maxPixels), E_MASK as decodeImage and decodeMask give them. */
  decode(image: Uint8Array, mask: Uint8Array | undefined, maxPixels: number): Promise<{ image: Image; mask?: Mask }>;
  encode(image: Image, format: string, options: EncodeOptions): Promise<Buffer>;
}
