import { axisWindows, planTiles } from './tiling';

describe('planTiles', () => {
  it('uses one tile for an image that fits', () => {
    const tiles = planTiles(300, 200, 512, 32);
    expect(tiles).toHaveLength(1);
    expect(tiles[0]).toMatchObject({ x: 0, y: 0, width: 300, height: 200 });
  });

  it.each([
    [1000, 512, 32],
    [1100, 512, 48],
    [4000, 512, 32],
    [513, 512, 32],
  ])('covers %i px with tiles of %i overlapping by %i, weights summing to one', (length, tile, overlap) => {
    const windows = axisWindows(length, tile, overlap);
    const sum = new Float64Array(length);
    for (const w of windows) {
      expect(w.start).toBeGreaterThanOrEqual(0);
      expect(w.start + w.size).toBeLessThanOrEqual(length);
      w.weights.forEach((v, i) => (sum[w.start + i] += v));
    }
    for (const s of sum) expect(s).toBeCloseTo(1, 5);
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i - 1].start + windows[i - 1].size - windows[i].start).toBeGreaterThanOrEqual(overlap);
    }
  });

  it('feathers: a tile weighs less near a shared edge than in its middle', () => {
    const [first] = axisWindows(1000, 512, 32);
    expect(first.weights[0]).toBe(1);
    expect(first.weights[first.size - 1]).toBeLessThan(0.1);
  });

  it('gives a 2-D partition of unity', () => {
    const tiles = planTiles(900, 700, 256, 32);
    const sum = new Float64Array(900 * 700);
    for (const t of tiles)
      for (let j = 0; j < t.height; j++) for (let i = 0; i < t.width; i++) sum[(t.y + j) * 900 + t.x + i] += t.wx[i] * t.wy[j];
    expect(sum.reduce((a, b) => Math.min(a, b), Infinity)).toBeCloseTo(1, 5);
    expect(sum.reduce((a, b) => Math.max(a, b), -Infinity)).toBeCloseTo(1, 5);
  });
});
