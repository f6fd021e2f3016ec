import { createImage, type Image } from '../common/image';

/**
 * Conversions between sharp's raw interleaved samples and fluxir's float images. sharp always hands
 * us RGB or RGBA (we ask it for sRGB so palettes, CMYK and ICC profiles are resolved); `keep` picks
 * the channels the caller wants, e.g. `[0, 3]` for grey + alpha.
 */
export function rawToImage(
  raw: Uint8Array | Uint16Array,
  width: number,
  height: number,
  rawChannels: number,
  keep: readonly number[],
): Image {
  const scale = raw instanceof Uint16Array ? 1 / 65535 : 1 / 255;
  const channels = keep.length;
  const image = createImage(width, height, channels);
  const out = image.data;
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const src = i * rawChannels;
    const dst = i * channels;
    for (let c = 0; c < channels; c++) out[dst + c] = raw[src + keep[c]] * scale;
  }
  return image;
}

/** Quantises to 8 or 16 bits, clamping to [0, 1] (the engine may overshoot slightly). */
export function imageToRaw(image: Image, bitDepth: 8 | 16): Uint8Array | Uint16Array {
  const max = bitDepth === 16 ? 65535 : 255;
  const out = bitDepth === 16 ? new Uint16Array(image.data.length) : new Uint8Array(image.data.length);
  const data = image.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v > 0 ? (v < 1 ? Math.round(v * max) : max) : 0;
  }
  return out;
}
