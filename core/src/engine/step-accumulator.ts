import type { Tile } from './tiling';

/**
 * The sum of one step's feathered tiles, kept only for the band of rows the current row of tiles
 * covers. Rows above the band are final once the tiles that reach them are in, and no later tile reads
 * them, so they are written straight into the sampler state: a step needs one band of extra memory
 * instead of a second whole image. The additions are the same, in the same order, so the sum is exact.
 */
export class StepAccumulator {
  private readonly band: Float32Array;
  private readonly rowLength: number;
  private top = 0;

  constructor(
    private readonly state: Float32Array,
    width: number,
    private readonly height: number,
    private readonly channels: number,
    private readonly bandRows: number,
  ) {
    this.rowLength = width * channels;
    if (state.length !== this.rowLength * height) throw new RangeError(`state has ${state.length} samples, expected ${this.rowLength * height}`);
    this.band = new Float32Array(this.rowLength * Math.min(bandRows, height));
  }

  /** Starts a step: the state keeps the previous step's values until rows are settled. */
  begin(): void {
    this.top = 0;
    this.band.fill(0);
  }

  /** Adds a tile's values (padded rows of `paddedWidth` pixels) times its feather weights. */
  add(tile: Tile, values: Float32Array, paddedWidth: number): void {
    if (tile.y < this.top || tile.y + tile.height > this.top + this.bandRows) {
      throw new RangeError(`tile rows ${tile.y}..${tile.y + tile.height} fall outside the band ${this.top}..${this.top + this.bandRows}`);
    }
    const c = this.channels;
    for (let j = 0; j < tile.height; j++) {
      const wy = tile.wy[j];
      const rowStart = (tile.y - this.top + j) * this.rowLength;
      for (let i = 0; i < tile.width; i++) {
        const w = wy * tile.wx[i];
        const dst = rowStart + (tile.x + i) * c;
        const src = (j * paddedWidth + i) * c;
        for (let k = 0; k < c; k++) this.band[dst + k] += w * values[src + k];
      }
    }
  }

  /** Every tile that reaches a row above `row` is in: those rows go into the state. */
  settleAbove(row: number): void {
    const rows = Math.min(row, this.height) - this.top;
    if (rows <= 0) return;
    const length = Math.min(rows, this.bandRows) * this.rowLength;
    this.state.set(this.band.subarray(0, length), this.top * this.rowLength);
    this.band.copyWithin(0, length);
    this.band.fill(0, this.band.length - length);
    this.top += rows;
  }

  /** Ends the step: the state now holds the whole new image. */
  finish(): void {
    this.settleAbove(this.height);
  }
}
