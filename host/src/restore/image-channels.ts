import { createImage, resize, type Image } from '@fluxir/core';

/**
 * The engine restores RGB only. These pure helpers take a user's image apart (colour, alpha) and put
 * the result back together in the user's layout: grey stays grey, alpha is carried over untouched.
 */
export interface SplitImage {
  /** 1 (grey) or 3 (RGB) channels. */
  readonly colour: Image;
  /** 1 channel, when the image had alpha. */
  readonly alpha?: Image;
}

/** Splits 2-channel (grey, alpha) and 4-channel (RGBA) images; 1 and 3 channels pass through. */
export function splitAlpha(image: Image): SplitImage {
  if (image.channels === 1 || image.channels === 3) return { colour: image };
  const colourChannels = image.channels - 1;
  const n = image.width * image.height;
  const colour = createImage(image.width, image.height, colourChannels);
  const alpha = createImage(image.width, image.height, 1);
  for (let i = 0; i < n; i++) {
    const src = i * image.channels;
    for (let c = 0; c < colourChannels; c++) colour.data[i * colourChannels + c] = image.data[src + c];
    alpha.data[i] = image.data[src + colourChannels];
  }
  return { colour, alpha };
}

/** Back to one channel as the mean of R, G and B (the engine saw R = G = B, so this undoes `toChannels(grey, 3)`). */
export function rgbToGrey(rgb: Image): Image {
  const n = rgb.width * rgb.height;
  const grey = createImage(rgb.width, rgb.height, 1);
  for (let i = 0; i < n; i++) grey.data[i] = (rgb.data[i * 3] + rgb.data[i * 3 + 1] + rgb.data[i * 3 + 2]) / 3;
  return grey;
}

/** Appends alpha as the last channel, resizing it (bilinear) when the colour image changed size. */
export function attachAlpha(colour: Image, alpha: Image): Image {
  const sized = alpha.width === colour.width && alpha.height === colour.height ? alpha : resize(alpha, colour.width, colour.height, 'bilinear');
  const channels = colour.channels + 1;
  const n = colour.width * colour.height;
  const out = createImage(colour.width, colour.height, channels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < colour.channels; c++) out.data[i * channels + c] = colour.data[i * colour.channels + c];
    const a = sized.data[i];
    out.data[i * channels + colour.channels] = a < 0 ? 0 : a > 1 ? 1 : a;
  }
  return out;
}
