import { compactSamples } from './compact-samples';
import { etaByRounds, PartialPreview } from './partial-preview';
import { planTiles } from './tiling';

describe('etaByRounds', () => {
  it('counts tiles that finish together as one round', () => {
    // 4 tiles, 2 at once, 1 step: the first two finish together after 2.3 s, the last two 2.3 s later.
    expect(etaByRounds(2300, 0, 1, 4, 1, 2)).toBe(2300);
    expect(etaByRounds(2300, 0, 2, 4, 1, 2)).toBe(2300);
    expect(etaByRounds(4600, 0, 4, 4, 1, 2)).toBe(0);
    // One at a time it is per tile, as before.
    expect(etaByRounds(1000, 0, 1, 4, 1, 1)).toBe(3000);
    // Two steps of 3 tiles, 2 at once: 2 rounds a step, 4 in all.
    expect(etaByRounds(1000, 0, 2, 3, 2, 2)).toBe(3000);
  });
});

describe('PartialPreview', () => {
  it('shows restored tiles over the input, the input where no tile is done yet', () => {
    const width = 40;
    const height = 20;
    const tiles = planTiles(width, height, 24, 8);
    expect(tiles.length).toBeGreaterThan(1);
    const y = new Float32Array(width * height * 3).fill(-1); // black input
    const partial = new PartialPreview(compactSamples(y), width, height, { width, height, factor: 1 });
    const accumulated = new Float32Array(width * height * 3);
    // The first tile's estimate is white (1 in [-1, 1]), added with its feather weights.
    const first = tiles[0];
    for (let j = 0; j < first.height; j++)
      for (let i = 0; i < first.width; i++)
        for (let c = 0; c < 3; c++) accumulated[((first.y + j) * width + first.x + i) * 3 + c] += first.wy[j] * first.wx[i];
    partial.add(first);
    const image = partial.image(accumulated);
    expect(image.data[0]).toBeCloseTo(1); // inside the first tile only: restored
    expect(image.data[(height - 1) * width * 3 + (width - 1) * 3]).toBeCloseTo(0); // far corner: the input
    expect(partial.due).toBe(false);
  });
});
