import { createImage, type Image } from '../common/image';

/** The JPEG standard's example quantisation tables (Annex K), luma and chroma, in row order. */
const LUMA_TABLE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_TABLE = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  ...new Array<number>(32).fill(99),
];

/** cos((2x + 1) u pi / 16) scaled for an orthonormal 8-point DCT. */
const BASIS = (() => {
  const b = new Float32Array(64);
  for (let u = 0; u < 8; u++) {
    const scale = u === 0 ? Math.SQRT1_2 / 2 : 0.5;
    for (let x = 0; x < 8; x++) b[u * 8 + x] = scale * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return b;
})();

/** The libjpeg scaling of a table to a quality of 1 to 100. */
function scaledTable(table: readonly number[], quality: number): Float32Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const factor = q < 50 ? 5000 / q : 200 - 2 * q;
  return Float32Array.from(table, (v) => Math.min(255, Math.max(1, Math.floor((v * factor + 50) / 100))));
}

/**
 * The artefacts of a JPEG round trip at `quality`: YCbCr, chroma averaged over 2 x 2 pixels (4:2:0),
 * 8 x 8 DCT blocks quantised with the standard tables, and back. Synchronous, so a degradation can use
 * it; RGB in [0, 1] in, a new image out.
 */
export function jpegArtifacts(rgb: Image, quality: number): Image {
  const { width, height } = rgb;
  const planes = [new Float32Array(width * height), new Float32Array(width * height), new Float32Array(width * height)];
  for (let i = 0; i < width * height; i++) {
    const r = rgb.data[i * 3] * 255;
    const g = rgb.data[i * 3 + 1] * 255;
    const b = rgb.data[i * 3 + 2] * 255;
    planes[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
    planes[1][i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
    planes[2][i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
  const luma = scaledTable(LUMA_TABLE, quality);
  const chroma = scaledTable(CHROMA_TABLE, quality);
  quantisePlane(planes[0], width, height, luma);
  for (const plane of [planes[1], planes[2]]) {
    const cw = (width + 1) >> 1;
    const ch = (height + 1) >> 1;
    const small = subsample(plane, width, height, cw, ch);
    quantisePlane(small, cw, ch, chroma);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) plane[y * width + x] = small[(y >> 1) * cw + (x >> 1)];
  }
  const out = createImage(width, height, 3);
  for (let i = 0; i < width * height; i++) {
    const yv = planes[0][i] + 128;
    const cb = planes[1][i];
    const cr = planes[2][i];
    out.data[i * 3] = (yv + 1.402 * cr) / 255;
    out.data[i * 3 + 1] = (yv - 0.344136 * cb - 0.714136 * cr) / 255;
    out.data[i * 3 + 2] = (yv + 1.772 * cb) / 255;
  }
  return out;
}

function subsample(plane: Float32Array, width: number, height: number, cw: number, ch: number): Float32Array {
  const small = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const sx = 2 * x + dx;
          const sy = 2 * y + dy;
          if (sx < width && sy < height) {
            sum += plane[sy * width + sx];
            n++;
          }
        }
      }
      small[y * cw + x] = sum / n;
    }
  }
  return small;
}

/** Quantises every 8 x 8 block of a plane in place (edge blocks replicate the border, as encoders pad). */
function quantisePlane(plane: Float32Array, width: number, height: number, table: Float32Array): void {
  const block = new Float32Array(64);
  const coef = new Float32Array(64);
  const tmp = new Float32Array(64);
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        const sy = Math.min(height - 1, by + y);
        for (let x = 0; x < 8; x++) block[y * 8 + x] = plane[sy * width + Math.min(width - 1, bx + x)];
      }
      transform(block, coef, tmp, false);
      for (let k = 0; k < 64; k++) coef[k] = Math.round(coef[k] / table[k]) * table[k];
      transform(coef, block, tmp, true);
      for (let y = 0; y < 8 && by + y < height; y++) {
        for (let x = 0; x < 8 && bx + x < width; x++) plane[(by + y) * width + bx + x] = block[y * 8 + x];
      }
    }
  }
}

/** Separable 8 x 8 DCT-II (or its inverse): rows, then columns. */
function transform(src: Float32Array, dst: Float32Array, tmp: Float32Array, inverse: boolean): void {
  for (let y = 0; y < 8; y++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < 8; x++) s += inverse ? BASIS[x * 8 + u] * src[y * 8 + x] : BASIS[u * 8 + x] * src[y * 8 + x];
      tmp[y * 8 + u] = s;
    }
  }
  for (let x = 0; x < 8; x++) {
    for (let v = 0; v < 8; v++) {
      let s = 0;
      for (let y = 0; y < 8; y++) s += inverse ? BASIS[y * 8 + v] * tmp[y * 8 + x] : BASIS[v * 8 + y] * tmp[y * 8 + x];
      dst[v * 8 + x] = s;
    }
  }
}
