import type { Image } from '../common/image';

/** The first `min(channels, 3)` channels of the region inside `border`, as 8-bit levels (round(v * 255)) in planes. */
export function toLevels(image: Image, border: number): { planes: Float64Array[]; width: number; height: number } {
  const width = image.width - 2 * border;
  const height = image.height - 2 * border;
  if (width <= 0 || height <= 0) {
    throw new RangeError(`border ${border} leaves nothing of a ${image.width}x${image.height} image`);
  }
  const channels = Math.min(image.channels, 3);
  const planes: Float64Array[] = [];
  for (let c = 0; c < channels; c++) {
    const plane = new Float64Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = image.data[((y + border) * image.width + x + border) * image.channels + c];
        plane[y * width + x] = Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
    }
    planes.push(plane);
  }
  return { planes, width, height };
}

export function checkSameShape(a: Image, b: Image): void {
  if (a.width !== b.width || a.height !== b.height || Math.min(a.channels, 3) !== Math.min(b.channels, 3)) {
    throw new RangeError(
      `cannot compare a ${a.width}x${a.height}x${a.channels} image with a ${b.width}x${b.height}x${b.channels} one`,
    );
  }
}
