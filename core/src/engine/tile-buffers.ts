import type { Tile } from './tiling';

/**
 * Copies a tile out of a whole-image interleaved buffer into a tensor-ready array of size
 * paddedWidth x paddedHeight, reflecting at the image border (the network needs sides that are a
 * multiple of its level count), optionally mapping each sample (e.g. [0, 1] -> [-1, 1], or a code to
 * the sample it stands for).
 */
export function gatherTile(
  source: ArrayLike<number>,
  imageWidth: number,
  imageHeight: number,
  channels: number,
  tile: Tile,
  paddedWidth: number,
  paddedHeight: number,
  map?: (value: number) => number,
): Float32Array {
  const out = new Float32Array(paddedWidth * paddedHeight * channels);
  for (let j = 0; j < paddedHeight; j++) {
    const sy = reflect(tile.y + j, imageHeight);
    for (let i = 0; i < paddedWidth; i++) {
      const sx = reflect(tile.x + i, imageWidth);
      const src = (sy * imageWidth + sx) * channels;
      const dst = (j * paddedWidth + i) * channels;
      for (let c = 0; c < channels; c++) out[dst + c] = map ? map(source[src + c]) : source[src + c];
    }
  }
  return out;
}

/** Adds a tile's values, times its feather weights, into a preview buffer down-scaled by an integer factor (box average). */
export function accumulatePreview(
  target: Float32Array,
  previewWidth: number,
  previewHeight: number,
  factor: number,
  tile: Tile,
  values: Float32Array,
  paddedWidth: number,
): void {
  const scale = 1 / (factor * factor);
  for (let j = 0; j < tile.height; j++) {
    const py = Math.min(previewHeight - 1, Math.floor((tile.y + j) / factor));
    for (let i = 0; i < tile.width; i++) {
      const px = Math.min(previewWidth - 1, Math.floor((tile.x + i) / factor));
      const w = tile.wy[j] * tile.wx[i] * scale;
      const dst = (py * previewWidth + px) * 3;
      const src = (j * paddedWidth + i) * 3;
      for (let c = 0; c < 3; c++) target[dst + c] += w * values[src + c];
    }
  }
}

export function reflect(index: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  const m = ((index % period) + period) % period;
  return m < length ? m : period - m;
}

export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
