import * as path from 'node:path';
import { createImage, pluginErrors, type Image } from '@fluxir/sdk';
import { createSyncFn } from 'synckit';

/** Chroma subsampling of the JPEG encoder: 4:2:0 halves the colour resolution (most cameras and web images). */
export type ChromaSubsampling = '4:2:0' | '4:4:4';

export interface JpegOptions {
  /** libjpeg quality, 1 to 100. */
  readonly quality: number;
  readonly chromaSubsampling: ChromaSubsampling;
}

type RoundTrip = (
  pixels: Uint8Array,
  width: number,
  height: number,
  quality: number,
  chromaSubsampling: ChromaSubsampling,
) => { data: Uint8Array; bytes: number };

// The worker file sits beside src/ and dist/ alike, so the same path works from sources and builds.
const WORKER = path.join(__dirname, '..', 'worker', 'jpeg-worker.js');
let roundTrip: RoundTrip | undefined;

/**
 * A real JPEG round trip of an RGB image in [0, 1]: 8-bit quantisation, libjpeg-turbo encoding
 * (via sharp) at the given quality and chroma subsampling, decoding. Synchronous, because a
 * degradation is; the codec runs in a worker thread that this thread waits for.
 */
export function jpegRoundTrip(rgb: Image, options: JpegOptions): { image: Image; bytes: number } {
  const pixels = new Uint8Array(rgb.width * rgb.height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(Math.min(1, Math.max(0, rgb.data[i])) * 255);
  let result: { data: Uint8Array; bytes: number };
  try {
    roundTrip ??= createSyncFn<RoundTrip>(WORKER);
    result = roundTrip(pixels, rgb.width, rgb.height, options.quality, options.chromaSubsampling);
  } catch (error) {
    throw pluginErrors.pluginFailure('jpeg-artifacts', `JPEG round trip failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const image = createImage(rgb.width, rgb.height, 3);
  for (let i = 0; i < result.data.length; i++) image.data[i] = result.data[i] / 255;
  return { image, bytes: result.bytes };
}
