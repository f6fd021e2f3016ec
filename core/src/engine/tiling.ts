/**
 * Tile layout with overlap and feathered blending. Each axis is cut into windows of at most `tile`
 * pixels overlapping by at least `overlap`; a tile's weight ramps up linearly across its overlaps and
 * the weights are normalised per pixel, so the weights of all tiles sum to one everywhere (a partition
 * of unity) and a blended constant stays that constant.
 */
export interface Tile {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Per-column and per-row weights; the tile's weight at (i, j) is wx[i] * wy[j]. */
  readonly wx: Float32Array;
  readonly wy: Float32Array;
}

export function planTiles(width: number, height: number, tile: number, overlap: number): Tile[] {
  if (tile <= overlap) throw new RangeError(`tile size ${tile} must exceed the overlap ${overlap}`);
  const cols = axisWindows(width, tile, overlap);
  const rows = axisWindows(height, tile, overlap);
  const tiles: Tile[] = [];
  for (const r of rows) for (const c of cols) tiles.push({ x: c.start, y: r.start, width: c.size, height: r.size, wx: c.weights, wy: r.weights });
  return tiles;
}

interface AxisWindow {
  readonly start: number;
  readonly size: number;
  readonly weights: Float32Array;
}

export function axisWindows(length: number, tile: number, overlap: number): AxisWindow[] {
  if (length <= tile) return [{ start: 0, size: length, weights: new Float32Array(length).fill(1) }];
  const count = Math.ceil((length - overlap) / (tile - overlap));
  // The fewest windows that fit, then shrunk evenly (to a multiple of 8) so they do not overlap more than needed.
  const size = Math.min(tile, Math.ceil((length + (count - 1) * overlap) / count / 8) * 8);
  const starts = Array.from({ length: count }, (_, i) => Math.round((i * (length - size)) / (count - 1)));
  const raw = starts.map((start) => {
    const tile = size;
    const w = new Float32Array(tile);
    for (let i = 0; i < tile; i++) {
      const left = start === 0 ? 1 : Math.min(1, (i + 1) / (overlap + 1));
      const right = start + tile === length ? 1 : Math.min(1, (tile - i) / (overlap + 1));
      w[i] = Math.min(left, right);
    }
    return w;
  });
  const sum = new Float32Array(length);
  starts.forEach((s, k) => raw[k].forEach((w, i) => (sum[s + i] += w)));
  return starts.map((start, k) => ({
    start,
    size,
    weights: raw[k].map((w, i) => w / sum[start + i]),
  }));
}
