/**
 * Gaussian noise that depends only on (seed, pixel position in the whole image, channel), so that
 * overlapping tiles draw the same value for the same pixel.
 */
export function positionNoise(seed: number, x: number, y: number, channel: number): number {
  const u1 = (hash(seed, x, y, channel * 2) + 0.5) / 4294967296;
  const u2 = (hash(seed, x, y, channel * 2 + 1) + 0.5) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function hash(seed: number, x: number, y: number, c: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ x ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ y ^ (h >>> 16), 0x27d4eb2f);
  h = Math.imul(h ^ c ^ (h >>> 15), 0x165667b1);
  h ^= h >>> 16;
  return h >>> 0;
}
