import { clamp01, createImage, type Image } from '../common/image';
import { minFilter } from './box-filter';
import { channelMin, luma } from './color';
import { guidedFilter } from './guided-filter';
import { cropRows, mapRowBands } from './row-bands';

export interface DarkChannelDehazeOptions {
  /** Side of the square patch of the dark channel, odd; 15 in the paper. */
  readonly patch?: number;
  /** Fraction of the haze removed (keeping a little looks natural). */
  readonly omega?: number;
  /** Lower bound of the transmission, so dense haze does not blow up noise. */
  readonly t0?: number;
  /** Fraction of the pixels, brightest in the dark channel, that estimate the airlight. */
  readonly airlightFraction?: number;
  /** Refine the blocky transmission with a guided filter on the luma (He et al., 2013). */
  readonly refine?: boolean;
  readonly guideRadius?: number;
  readonly guideEps?: number;
}

/** Dark channel: the minimum over colour channels and over a `patch` x `patch` window. */
export function darkChannel(image: Image, patch = 15): Image {
  return minFilter(channelMin(image), patch >> 1);
}

/**
 * Airlight: the mean colour of the `fraction` of pixels with the brightest dark channel (the most
 * haze-opaque ones), found with a histogram instead of a full sort.
 */
export function estimateAtmosphericLight(image: Image, dark: Image, fraction = 0.001): number[] {
  const bins = 1024;
  const histogram = new Int32Array(bins);
  const n = dark.data.length;
  const bin = (v: number): number => Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
  for (let i = 0; i < n; i++) histogram[bin(dark.data[i])]++;
  const wanted = Math.max(1, Math.round(n * fraction));
  let threshold = bins - 1;
  for (let seen = 0; threshold > 0; threshold--) {
    seen += histogram[threshold];
    if (seen >= wanted) break;
  }
  const c = image.channels;
  const sum = [0, 0, 0];
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (bin(dark.data[i]) < threshold) continue;
    for (let k = 0; k < 3; k++) sum[k] += image.data[i * c + Math.min(k, c - 1)];
    count++;
  }
  return sum.map((s) => s / count);
}

/**
 * He, Sun and Tang's dark channel prior dehazing, with the transmission refined by a guided filter.
 * The airlight comes from the whole image's dark channel; the transmission and the recovery run in
 * bands of rows (exactly as on the whole image), so a large photo holds band-sized temporaries only.
 */
export function dehazeDarkChannel(image: Image, options: DarkChannelDehazeOptions = {}): Image {
  const { patch = 15, omega = 0.95, t0 = 0.1, airlightFraction = 0.001, refine = true, guideEps = 1e-3 } = options;
  const guideRadius = options.guideRadius ?? Math.min(60, Math.max(4, Math.round(Math.min(image.width, image.height) / 12)));
  const { width, height, channels } = image;
  const patchRadius = patch >> 1;
  const dark = mapRowBands(width, height, 1, patchRadius, (top, bottom) => darkChannel(cropRows(image, top, bottom), patch));
  const airlight = estimateAtmosphericLight(image, dark, airlightFraction);
  const halo = patchRadius + (refine ? 2 * guideRadius + 1 : 0);
  return mapRowBands(width, height, channels, halo, (top, bottom) => {
    const band = cropRows(image, top, bottom);
    const n = band.width * band.height;
    const normalised = createImage(width, band.height, channels);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < channels; k++) {
        normalised.data[i * channels + k] = band.data[i * channels + k] / Math.max(airlight[Math.min(k, 2)], 1e-3);
      }
    }
    let transmission = darkChannel(normalised, patch);
    for (let i = 0; i < n; i++) transmission.data[i] = 1 - omega * transmission.data[i];
    if (refine) transmission = guidedFilter(luma(band), transmission, guideRadius, guideEps);
    const out = createImage(width, band.height, channels);
    for (let i = 0; i < n; i++) {
      const t = Math.max(transmission.data[i], t0);
      for (let k = 0; k < channels; k++) {
        const a = airlight[Math.min(k, 2)];
        out.data[i * channels + k] = clamp01((band.data[i * channels + k] - a) / t + a);
      }
    }
    return out;
  });
}
