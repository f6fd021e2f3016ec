import { createImage, type Image } from '../common/image';
import type { Rng } from '../common/rng';
import { resize } from './resize';

/**
 * Smooth random field in about [0, 1]: random values on a coarse grid of `cells` x `cells`,
 * bicubically up-sampled. Several octaves give low-frequency "cloud" structure.
 */
export function smoothNoiseField(width: number, height: number, rng: Rng, cells = 4, octaves = 2): Image {
  const out = createImage(width, height, 1);
  let amplitude = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const gw = Math.max(2, Math.round(cells * 2 ** o * Math.min(1, width / Math.max(width, height)) + 1));
    const gh = Math.max(2, Math.round(cells * 2 ** o * Math.min(1, height / Math.max(width, height)) + 1));
    const grid = createImage(gw, gh, 1);
    for (let i = 0; i < grid.data.length; i++) grid.data[i] = rng.next();
    const layer = resize(grid, width, height, 'bicubic');
    for (let i = 0; i < out.data.length; i++) out.data[i] += amplitude * layer.data[i];
    total += amplitude;
    amplitude *= 0.5;
  }
  for (let i = 0; i < out.data.length; i++) out.data[i] /= total;
  return out;
}
