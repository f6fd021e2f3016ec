import { createImage, type Image } from '../common/image';
import type { CompactSamples } from './compact-samples';
import type { Tile } from './tiling';

/** The preview's size: the image down-scaled by an integer factor. */
export interface PreviewShape {
  readonly width: number;
  readonly height: number;
  readonly factor: number;
}

/**
 * Previews within the first step, as its tiles finish: the finished tiles' estimates over the
 * input where no tile has finished yet (blended by the tiles' own feather weights), at most one
 * every `intervalMs`. A one-step job otherwise shows nothing until its result.
 */
export class PartialPreview {
  private readonly coverage: Float32Array;
  private base: Float32Array | undefined;
  private lastAt = 0;

  constructor(
    private readonly y: CompactSamples,
    private readonly width: number,
    private readonly height: number,
    private readonly shape: PreviewShape,
    private readonly intervalMs = 250,
  ) {
    this.coverage = new Float32Array(shape.width * shape.height);
  }

  /** A tile's estimate went into the preview buffer: its share of each preview pixel is now restored. */
  add(tile: Tile): void {
    const { width, height, factor } = this.shape;
    const scale = 1 / (factor * factor);
    for (let j = 0; j < tile.height; j++) {
      const py = Math.min(height - 1, Math.floor((tile.y + j) / factor));
      for (let i = 0; i < tile.width; i++) {
        const px = Math.min(width - 1, Math.floor((tile.x + i) / factor));
        this.coverage[py * width + px] += tile.wy[j] * tile.wx[i] * scale;
      }
    }
  }

  get due(): boolean {
    return Date.now() - this.lastAt >= this.intervalMs;
  }

  /** The preview now, from the step's accumulated estimates (RGB in [-1, 1]); the buffer is left as it is. */
  image(accumulated: Float32Array): Image {
    this.lastAt = Date.now();
    const base = (this.base ??= this.downscaledInput());
    const out = new Float32Array(accumulated.length);
    for (let p = 0; p < this.coverage.length; p++) {
      const rest = Math.max(0, 1 - this.coverage[p]);
      for (let c = p * 3; c < p * 3 + 3; c++) {
        const v = (accumulated[c] + rest * base[c] + 1) / 2;
        out[c] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
    return createImage(this.shape.width, this.shape.height, 3, out);
  }

  /** y at the preview's size, weighted as the tiles' estimates are (box average, [-1, 1]). */
  private downscaledInput(): Float32Array {
    const { width, height, factor } = this.shape;
    const scale = 1 / (factor * factor);
    const base = new Float32Array(width * height * 3);
    for (let j = 0; j < this.height; j++) {
      const py = Math.min(height - 1, Math.floor(j / factor));
      for (let i = 0; i < this.width; i++) {
        const dst = (py * width + Math.min(width - 1, Math.floor(i / factor))) * 3;
        const src = (j * this.width + i) * 3;
        for (let c = 0; c < 3; c++) base[dst + c] += scale * this.y.read(this.y.codes[src + c]);
      }
    }
    return base;
  }
}

/**
 * Time left when `concurrency` tiles run at once: tiles finish in rounds of that many, so the pace
 * is per round (counting a started round as done), not per tile. Counting per tile, the second of
 * two tiles that finish together looked like a whole tile's time still to go.
 */
export function etaByRounds(elapsedMs: number, step: number, tile: number, tiles: number, steps: number, concurrency: number): number {
  const perStep = Math.ceil(tiles / Math.max(1, concurrency));
  const done = step * perStep + Math.ceil(tile / Math.max(1, concurrency));
  const total = steps * perStep;
  return done >= total ? 0 : (elapsedMs / done) * (total - done);
}
