import { cloneImage, type Image } from '../common/image';
import { luma } from './color';
import { gaussianBlur } from './convolve';
import { guidedFilter } from './guided-filter';
import { estimateNoiseSigma } from './noise';
import { cropRows, mapRowBands } from './row-bands';

/** The guided filter's radius, and its reach (the guide blur's 3 sigma plus two box filters) as the band halo. */
const RADIUS = 3;
const HALO = 3 + 2 * RADIUS + 1;

/**
 * A fast edge-preserving denoiser for RGB: a guided filter steered by the slightly blurred luma, its edge
 * threshold set by the noise level estimated from the image itself, so a clean image comes back as it
 * is. Runs in bands of rows. The start of denoising's path, and of low light's after the exposure stretch.
 */
export function guidedDenoise(rgb: Image): Image {
  const sigma = estimateNoiseSigma(rgb);
  if (sigma < 1 / 255) return cloneImage(rgb);
  const eps = 0.25 * sigma * sigma;
  return mapRowBands(rgb.width, rgb.height, rgb.channels, HALO, (top, bottom) => {
    const band = cropRows(rgb, top, bottom);
    return guidedFilter(gaussianBlur(luma(band), 1), band, RADIUS, eps);
  });
}
