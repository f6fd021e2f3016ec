import { errors, IMAGE_FORMATS, oneOf } from '@fluxir/core';
import sharp from 'sharp';

export interface ImageHeader {
  readonly width: number;
  readonly height: number;
}

/**
 * Reads only an upload's header, so a corrupt file (E_DECODE) or one over the pixel limit (E_TOO_LARGE)
 * is refused when it is submitted, before it takes a place in the queue.
 */
export async function readImageHeader(data: Uint8Array, name: string, maxPixels: number): Promise<ImageHeader> {
  // sharp() itself throws on an empty buffer: called inside the chain, that is E_DECODE like the rest.
  const meta = await Promise.resolve()
    .then(() => sharp(data, { limitInputPixels: false }).metadata())
    .catch((error: unknown) => {
      throw errors.decode(name, error instanceof Error ? error.message : String(error));
    });
  if (!IMAGE_FORMATS.some((format) => format === meta.format)) {
    throw errors.decode(name, `unsupported format ${meta.format}; expected ${oneOf(IMAGE_FORMATS)}`);
  }
  if (!meta.width || !meta.height) throw errors.decode(name, 'the header has no image size');
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) throw errors.tooLarge(name, pixels, maxPixels);
  // EXIF orientations 5 to 8 swap width and height once applied.
  const swapped = (meta.orientation ?? 1) >= 5;
  return swapped ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
}
