import { clamp01, createImage, type Image } from '../common/image';
import { meanLuma } from './color';
import { lookupPower, powerTable } from './power-curve';

export interface ContrastStretchOptions {
  /** Fraction of samples clipped to black. */
  readonly lowPercentile?: number;
  /** Fraction of samples below the new white point. */
  readonly highPercentile?: number;
  /** Exponent applied after the stretch; below 1 brightens the mid-tones. */
  readonly gamma?: number;
  /** Without `gamma`: choose it so the mean luma after the stretch lands here. */
  readonly targetMean?: number;
}

/**
 * Percentile stretch then a gamma curve, the same for every channel so colours keep their balance.
 * A classical low-light enhancement: `((v - lo) / (hi - lo))^gamma`.
 */
export function contrastStretch(image: Image, options: ContrastStretchOptions = {}): Image {
  const { lowPercentile = 0.005, highPercentile = 0.995, targetMean = 0.45 } = options;
  const [lo, hi] = percentiles(image.data, lowPercentile, highPercentile);
  const range = Math.max(hi - lo, 1e-3);
  const out = createImage(image.width, image.height, image.channels);
  for (let i = 0; i < image.data.length; i++) out.data[i] = clamp01((image.data[i] - lo) / range);
  let gamma = options.gamma;
  if (gamma === undefined) {
    const mean = Math.min(Math.max(meanLuma(out), 1e-3), 0.999);
    gamma = Math.min(1.5, Math.max(0.2, Math.log(targetMean) / Math.log(mean)));
  }
  if (gamma !== 1) applyCurve(out.data, gamma);
  return out;
}

/** Two percentiles of values in [0, 1], from a 4096-bin histogram. */
export function percentiles(values: Float32Array, low: number, high: number): [number, number] {
  const bins = 4096;
  const histogram = new Int32Array(bins);
  for (let i = 0; i < values.length; i++) histogram[Math.min(bins - 1, Math.max(0, Math.floor(values[i] * bins)))]++;
  const find = (fraction: number): number => {
    const rank = Math.floor(Math.min(1, Math.max(0, fraction)) * (values.length - 1));
    let seen = 0;
    for (let b = 0; b < bins; b++) {
      seen += histogram[b];
      if (seen > rank) return (b + 0.5) / bins;
    }
    return 1;
  };
  return [find(low), find(high)];
}

/** `v^gamma` in place, for values in [0, 1]. */
function applyCurve(values: Float32Array, gamma: number): void {
  const table = powerTable(gamma, 1, 4096);
  for (let i = 0; i < values.length; i++) values[i] = lookupPower(table, values[i]);
}
