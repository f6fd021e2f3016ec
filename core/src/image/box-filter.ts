import { createImage, type Image } from '../common/image';

/**
 * Mean over a (2 * radius + 1)^2 window per channel, the window clipped at the borders (dividing by
 * the pixels it covers). Running sums make it cost the same for any radius.
 */
export function boxMean(image: Image, radius: number): Image {
  const { width, height, channels } = image;
  const r = Math.max(0, Math.floor(radius));
  const rows = createImage(width, height, channels);
  const line = new Float64Array((width + 1) * channels);
  for (let y = 0; y < height; y++) {
    const base = y * width * channels;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) line[(x + 1) * channels + c] = line[x * channels + c] + image.data[base + x * channels + c];
    }
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width, x + r + 1);
      const inv = 1 / (hi - lo);
      for (let c = 0; c < channels; c++) rows.data[base + x * channels + c] = (line[hi * channels + c] - line[lo * channels + c]) * inv;
    }
  }
  const out = createImage(width, height, channels);
  const rowLength = width * channels;
  const column = new Float64Array((height + 1) * rowLength);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < rowLength; i++) column[(y + 1) * rowLength + i] = column[y * rowLength + i] + rows.data[y * rowLength + i];
  }
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - r);
    const hi = Math.min(height, y + r + 1);
    const inv = 1 / (hi - lo);
    for (let i = 0; i < rowLength; i++) out.data[y * rowLength + i] = (column[hi * rowLength + i] - column[lo * rowLength + i]) * inv;
  }
  return out;
}

/** Minimum over a (2 * radius + 1)^2 window per channel (erosion), the window clipped at the borders. */
export function minFilter(image: Image, radius: number): Image {
  const { width, height, channels } = image;
  const r = Math.max(0, Math.floor(radius));
  const rows = createImage(width, height, channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      for (let c = 0; c < channels; c++) {
        let m = Infinity;
        for (let k = lo; k <= hi; k++) {
          const v = image.data[(y * width + k) * channels + c];
          if (v < m) m = v;
        }
        rows.data[(y * width + x) * channels + c] = m;
      }
    }
  }
  const out = createImage(width, height, channels);
  const rowLength = width * channels;
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - r);
    const hi = Math.min(height - 1, y + r);
    for (let i = 0; i < rowLength; i++) {
      let m = Infinity;
      for (let k = lo; k <= hi; k++) {
        const v = rows.data[k * rowLength + i];
        if (v < m) m = v;
      }
      out.data[y * rowLength + i] = m;
    }
  }
  return out;
}
