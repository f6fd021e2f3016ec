import { createImage, type Image } from '../common/image';

/** Rows `top` (inclusive) to `bottom` (exclusive) of an image, as an image of their own. */
export function cropRows(image: Image, top: number, bottom: number): Image {
  const row = image.width * image.channels;
  return createImage(image.width, bottom - top, image.channels, image.data.slice(top * row, bottom * row));
}

/**
 * Runs a local filter band by band so that a whole-image `prepare` holds a few band-sized temporaries
 * instead of a few full-size ones (a 24 MP guided filter alone made about 2 GB of them). `render(top,
 * bottom)` returns the filter's output for rows top..bottom-1, which include `halo` rows beyond the
 * band on each side; only the band's own rows are kept. With `halo` at least the filter's reach, the
 * result equals the whole-image filter exactly: rows near a band's cut, where the filter sees the cut
 * as a border, are the discarded halo.
 */
export function mapRowBands(
  width: number,
  height: number,
  channels: number,
  halo: number,
  render: (top: number, bottom: number) => Image,
  bandRows = Math.max(256, 4 * halo),
): Image {
  const out = createImage(width, height, channels);
  const row = width * channels;
  for (let y0 = 0; y0 < height; y0 += bandRows) {
    const y1 = Math.min(height, y0 + bandRows);
    const top = Math.max(0, y0 - halo);
    const bottom = Math.min(height, y1 + halo);
    const band = render(top, bottom);
    if (band.width !== width || band.height !== bottom - top || band.channels !== channels) {
      throw new RangeError(`a band filter returned ${band.width}x${band.height}x${band.channels} for ${width}x${bottom - top}x${channels}`);
    }
    out.data.set(band.data.subarray((y0 - top) * row, (y1 - top) * row), y0 * row);
  }
  return out;
}
