import { quantize8, type DegradedSample, type Image, type Rng } from '@fluxir/core';

/**
 * A degradation model: makes the low-quality image a user would hand the plugin from a clean RGB
 * image. It must be deterministic given `rng` (draw every random choice from it, never from
 * `Math.random`) and must not modify `clean`.
 */
export type Degradation<P = Record<string, unknown>> = {} extends P
  ? (clean: Image, rng: Rng, params?: P) => DegradedSample
  : (clean: Image, rng: Rng, params: P) => DegradedSample;

/**
 * Renders the degraded RGB image from the clean RGB one into a new image (`rgb` is the caller's clean
 * image itself: never write to it). Values may leave [0, 1]; quantisation clamps them.
 */
export type RgbRender<P> = (rgb: Image, rng: Rng, params: P) => Image;

export interface RgbDegradationOptions {
  /**
   * Round to 8 bits per sample at the end, as a saved photo would be (default true). Turn it off
   * when the render already ends in a real codec round trip (JPEG) or its own quantisation.
   */
  readonly quantize?: boolean;
}

/**
 * The common shape of a degradation: clean RGB in, `render`, 8-bit quantisation, `{ input }` out.
 * `rgbDegradation((rgb, rng) => addGaussianNoise(rgb, rng, 0.1))` is a complete noise model.
 */
export function rgbDegradation<P = Record<string, unknown>>(
  render: RgbRender<P>,
  options: RgbDegradationOptions = {},
): Degradation<P> {
  const quantize = options.quantize ?? true;
  // Without parameters only when every field of P is optional, so `{}` is a valid P there.
  const degrade = (clean: Image, rng: Rng, params?: P): DegradedSample => {
    const degraded = render(clean, rng, params ?? ({} as P));
    return { input: quantize ? quantize8(degraded) : degraded };
  };
  // The conditional type only decides whether `params` may be left out; the function accepts both.
  return degrade as Degradation<P>;
}

