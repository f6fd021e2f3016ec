import sharp from 'sharp';
import type { Image } from '../common/image';
import { errors, FluxirError, oneOf } from '../common/errors';
import { IMAGE_FORMATS, type ImageFormat } from './image-format';
import { rawToImage } from './pixels';

export const DEFAULT_MAX_PIXELS = 100e6;

export interface ReadImageOptions {
  /** Images with more pixels are refused with E_TOO_LARGE before any pixel is decoded. Default 100 MP. */
  readonly maxPixels?: number;
}

export interface ImageInfo {
  readonly format: ImageFormat;
  /** Size after the EXIF orientation has been applied. */
  readonly width: number;
  readonly height: number;
  /** Channels of the returned image: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  readonly channels: 1 | 2 | 3 | 4;
  readonly hasAlpha: boolean;
  readonly grey: boolean;
  /** 16 for 16-bit PNG and TIFF; everything else is read as 8 bit. */
  readonly bitDepth: 8 | 16;
}

export interface DecodedImage {
  /**
   * Float samples in [0, 1], oriented upright. Colour images come back as RGB or RGBA (palettes, CMYK
   * and ICC profiles converted to sRGB); grey images stay grey: 1 channel, or 2 (grey, alpha).
   */
  readonly image: Image;
  readonly info: ImageInfo;
}

/** Reads and decodes an image file. Errors: E_DECODE (naming the file), E_TOO_LARGE. */
export function readImage(file: string, options: ReadImageOptions = {}): Promise<DecodedImage> {
  return decode(file, file, options);
}

/** Decodes an image held in memory; `name` is what error messages call it. */
export function decodeImage(buffer: Uint8Array, name: string, options: ReadImageOptions = {}): Promise<DecodedImage> {
  return decode(buffer, name, options);
}

async function decode(source: string | Uint8Array, name: string, options: ReadImageOptions): Promise<DecodedImage> {
  const maxPixels = checkMaxPixels(options.maxPixels);
  const header = await readHeader(source, name, maxPixels);
  // failOn 'error' also refuses truncated files, but tolerates the harmless warnings many cameras produce.
  const pipeline = sharp(source, { limitInputPixels: maxPixels, failOn: 'error' })
    .autoOrient()
    .toColourspace(header.bitDepth === 16 ? 'rgb16' : 'srgb')
    .raw(header.bitDepth === 16 ? { depth: 'ushort' } : {});
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true }).catch((error: unknown) => {
    throw decodeFailure(error, name, header.width * header.height, maxPixels);
  });
  // Views on sharp's buffer, not copies: for a 24 MP photo a copy is another 72 MB at the peak.
  const samples =
    header.bitDepth === 16
      ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
      : new Uint8Array(data.buffer, data.byteOffset, data.length);
  const hasAlpha = info.channels === 4;
  const keep = [...(header.grey ? [0] : [0, 1, 2]), ...(hasAlpha ? [3] : [])];
  const image = rawToImage(samples, info.width, info.height, info.channels, keep);
  return {
    image,
    info: {
      format: header.format,
      width: info.width,
      height: info.height,
      channels: image.channels as 1 | 2 | 3 | 4,
      hasAlpha,
      grey: header.grey,
      bitDepth: header.bitDepth,
    },
  };
}

interface Header {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly grey: boolean;
  readonly bitDepth: 8 | 16;
}

/** Reads only the header, so that the size limit is enforced before any pixel is decoded. */
async function readHeader(source: string | Uint8Array, name: string, maxPixels: number): Promise<Header> {
  // No pixel limit here: sharp would refuse the header without telling us the size. sharp() itself throws
  // on an empty buffer, so it is called inside the promise chain to report that as E_DECODE too.
  const meta = await Promise.resolve()
    .then(() => sharp(source, { limitInputPixels: false }).metadata())
    .catch((error: unknown) => {
      throw errors.decode(name, reason(error));
    });
  const format = IMAGE_FORMATS.find((f) => f === meta.format);
  if (!format) throw errors.decode(name, `unsupported format ${meta.format}; expected ${oneOf(IMAGE_FORMATS)}`);
  const { width, height } = meta;
  if (!width || !height) throw errors.decode(name, 'the header has no image size');
  if (width * height > maxPixels) throw errors.tooLarge(name, width * height, maxPixels);
  return {
    format,
    width,
    height,
    grey: meta.space === 'b-w' || meta.space === 'grey16',
    bitDepth: meta.depth === 'ushort' || meta.depth === 'short' ? 16 : 8,
  };
}

function checkMaxPixels(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_PIXELS;
  if (!Number.isFinite(value) || value < 1) {
    throw errors.invalidParameter('maxPixels', 'a positive number of pixels', value);
  }
  return Math.floor(value);
}

function decodeFailure(error: unknown, name: string, pixels: number, maxPixels: number): FluxirError {
  // The header can under-report (e.g. a multi-page TIFF); sharp's own limit then has the last word.
  if (reason(error).includes('exceeds pixel limit')) return errors.tooLarge(name, pixels, maxPixels);
  return errors.decode(name, reason(error));
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim() || 'unknown error';
}
