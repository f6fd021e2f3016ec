import { clamp01, createImage, type Image } from '../common/image';
import { Rng } from '../common/rng';

/**
 * A synthetic RGB photo stand-in for tests: smooth colour gradients, a hard-edged box and disc, a
 * striped patch of fine texture and a little seeded grain. Values stay inside [0.05, 0.95] so that
 * degradations are not clipped.
 */
export function testPattern(width: number, height: number, seed = 1): Image {
  const rng = new Rng(seed);
  const out = createImage(width, height, 3);
  const discX = width * rng.uniform(0.55, 0.7);
  const discY = height * rng.uniform(0.3, 0.45);
  const discR = Math.min(width, height) * 0.18;
  const phase = rng.uniform(0, Math.PI);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / Math.max(1, width - 1);
      const v = y / Math.max(1, height - 1);
      let r = 0.25 + 0.5 * u;
      let g = 0.3 + 0.4 * v;
      let b = 0.5 + 0.25 * Math.sin(2.5 * (u + v) + phase);
      if (u > 0.1 && u < 0.4 && v > 0.55 && v < 0.85) {
        r = 0.85;
        g = 0.75;
        b = 0.2;
      }
      if ((x - discX) ** 2 + (y - discY) ** 2 < discR * discR) {
        r = 0.15;
        g = 0.25;
        b = 0.7;
      }
      if (u > 0.55 && v > 0.6) {
        const stripes = 0.12 * Math.sin((x + 0.5 * y) * 1.3);
        r += stripes;
        g += stripes;
        b += stripes;
      }
      const grain = 0.015 * (rng.next() - 0.5);
      const i = (y * width + x) * 3;
      out.data[i] = 0.05 + 0.9 * clamp01(r + grain);
      out.data[i + 1] = 0.05 + 0.9 * clamp01(g + grain);
      out.data[i + 2] = 0.05 + 0.9 * clamp01(b + grain);
    }
  }
  return out;
}
