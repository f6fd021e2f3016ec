import { StepAccumulator } from './step-accumulator';
import { planTiles, type Tile } from './tiling';

/** The reference: every tile added into a whole-image buffer. */
function wholeImageSum(width: number, height: number, tiles: Tile[], values: Float32Array[], paddedWidth: number[]): Float32Array {
  const sum = new Float32Array(width * height * 3);
  tiles.forEach((tile, t) => {
    for (let j = 0; j < tile.height; j++) {
      for (let i = 0; i < tile.width; i++) {
        const w = tile.wy[j] * tile.wx[i];
        for (let c = 0; c < 3; c++) sum[((tile.y + j) * width + tile.x + i) * 3 + c] += w * values[t][(j * paddedWidth[t] + i) * 3 + c];
      }
    }
  });
  return sum;
}

function randomTileValues(tiles: Tile[], seed: number) {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const paddedWidth = tiles.map((tile) => Math.ceil(tile.width / 8) * 8);
  const values = tiles.map((tile, t) => Float32Array.from({ length: paddedWidth[t] * Math.ceil(tile.height / 8) * 8 * 3 }, next));
  return { values, paddedWidth };
}

describe('StepAccumulator', () => {
  it.each([
    [150, 130, 48, 16],
    [97, 40, 32, 8],
    [40, 200, 64, 16],
    [64, 64, 512, 32],
  ])('gives exactly the whole-image sum of the tiles for %ix%i (tile %i, overlap %i)', (width, height, tileSize, overlap) => {
    const tiles = planTiles(width, height, tileSize, overlap);
    const { values, paddedWidth } = randomTileValues(tiles, width * height);
    const state = new Float32Array(width * height * 3).fill(7);
    const accumulator = new StepAccumulator(state, width, height, 3, Math.max(...tiles.map((t) => t.height)));
    for (let step = 0; step < 2; step++) {
      accumulator.begin();
      tiles.forEach((tile, i) => {
        accumulator.add(tile, values[i], paddedWidth[i]);
        if (i + 1 < tiles.length) accumulator.settleAbove(tiles[i + 1].y);
      });
      accumulator.finish();
      expect(state).toEqual(wholeImageSum(width, height, tiles, values, paddedWidth));
    }
  });

  it('leaves rows that tiles still read untouched until their tile row is done', () => {
    const [width, height] = [100, 100];
    const tiles = planTiles(width, height, 48, 16);
    const { values, paddedWidth } = randomTileValues(tiles, 3);
    const state = new Float32Array(width * height * 3).fill(7);
    const accumulator = new StepAccumulator(state, width, height, 3, tiles[0].height);
    accumulator.begin();
    const secondRow = tiles.findIndex((tile) => tile.y > 0);
    for (let i = 0; i < secondRow; i++) accumulator.add(tiles[i], values[i], paddedWidth[i]);
    accumulator.settleAbove(tiles[secondRow].y);
    const firstUnsettled = tiles[secondRow].y * width * 3;
    expect(state.subarray(0, firstUnsettled).every((v) => v !== 7)).toBe(true);
    expect(state.subarray(firstUnsettled).every((v) => v === 7)).toBe(true);
  });

  it('refuses a tile outside the band it holds', () => {
    const tiles = planTiles(100, 100, 48, 16);
    const accumulator = new StepAccumulator(new Float32Array(100 * 100 * 3), 100, 100, 3, tiles[0].height);
    accumulator.begin();
    const last = tiles[tiles.length - 1];
    expect(() => accumulator.add(last, new Float32Array(48 * 48 * 3), 48)).toThrow(RangeError);
  });
});
