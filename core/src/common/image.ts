/**
 * A decoded image in memory: interleaved (HWC) float32 samples in [0, 1].
 * `channels` is 1 (grey, also used for masks), 3 (RGB) or 4 (RGBA).
 */
export interface Image {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Float32Array;
}

/** A single-channel image where 1 marks pixels to fill (inpainting) and 0 pixels to keep. */
export type Mask = Image;

export function createImage(width: number, height: number, channels: number, data?: Float32Array): Image {
  const size = width * height * channels;
  if (data && data.length !== size) {
    throw new RangeError(`image data has ${data.length} samples, expected ${width}x${height}x${channels} = ${size}`);
  }
  return { width, height, channels, data: data ?? new Float32Array(size) };
}

export function cloneImage(image: Image): Image {
  return createImage(image.width, image.height, image.channels, new Float32Array(image.data));
}

/** Copies the first `count` channels (or pads grey to RGB) into a new image. */
export function toChannels(image: Image, channels: number): Image {
  if (image.channels === channels) return image;
  const out = createImage(image.width, image.height, channels);
  const n = image.width * image.height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const src = image.channels === 1 ? 0 : Math.min(c, image.channels - 1);
      out.data[i * channels + c] = c < image.channels || image.channels === 1 ? image.data[i * image.channels + src] : 1;
    }
  }
  return out;
}

export function cropImage(image: Image, x: number, y: number, width: number, height: number): Image {
  const out = createImage(width, height, image.channels);
  const c = image.channels;
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * image.width + x) * c;
    out.data.set(image.data.subarray(from, from + width * c), row * width * c);
  }
  return out;
}

export function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

export function clampImage(image: Image): Image {
  const data = image.data;
  for (let i = 0; i < data.length; i++) data[i] = clamp01(data[i]);
  return image;
}
