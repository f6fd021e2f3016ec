import { createImage, type Image } from '../common/image';

/**
 * Mean over a (2 * radius + 1)^2 window per channel, the window clipped at the borders (dividing by
 * the pixels it covers). Running sums make it cost the same for any radius.
 */
export function boxMean(image: Image, radius: number): Image {
  const { width, height, channels } = image;
  const r = Math.max(0, Math.floor(radius));
  const rows = createImage(width, height, channels);
  const src = image.data;
  const dst = rows.data;
  // Along each row with a sliding sum per channel.
  for (let y = 0; y < height; y++) {
    const base = y * width * channels;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let x = 0; x < Math.min(r, width - 1) + 1; x++) sum += src[base + x * channels + c];
      for (let x = 0; x < width; x++) {
        dst[base + x * channels + c] = sum / (Math.min(width, x + r + 1) - Math.max(0, x - r));
        if (x + r + 1 < width) sum += src[base + (x + r + 1) * channels + c];
        if (x - r >= 0) sum -= src[base + (x - r) * channels + c];
      }
    }
  }
  // Down the columns with one running sum per column: a window of rows slides, so memory stays one row.
  const out = createImage(width, height, channels);
  const rowLength = width * channels;
  const sum = new Float64Array(rowLength);
  const addRow = (y: number, sign: number) => {
    const base = y * rowLength;
    for (let i = 0; i < rowLength; i++) sum[i] += sign * dst[base + i];
  };
  for (let y = 0; y < Math.min(r, height - 1) + 1; y++) addRow(y, 1);
  for (let y = 0; y < height; y++) {
    const inv = 1 / (Math.min(height, y + r + 1) - Math.max(0, y - r));
    const base = y * rowLength;
    for (let i = 0; i < rowLength; i++) out.data[base + i] = sum[i] * inv;
    if (y + r + 1 < height) addRow(y + r + 1, 1);
    if (y - r >= 0) addRow(y - r, -1);
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
