import { createImage, Rng } from '@fluxir/core';
import { addGaussianNoise, addPoissonGaussianNoise, estimateNoiseSigma, quantize8 } from './noise';
import { smoothNoiseField } from './noise-field';

const grey = (w: number, h: number, v: number) => createImage(w, h, 3, new Float32Array(w * h * 3).fill(v));

function std(data: Float32Array, mean: number): number {
  return Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / data.length);
}

describe('noise', () => {
  it('Gaussian noise has the requested strength and is reproducible', () => {
    const image = grey(64, 64, 0.5);
    const noisy = addGaussianNoise(image, new Rng(1), 0.1);
    expect(std(noisy.data, 0.5)).toBeCloseTo(0.1, 2);
    expect(addGaussianNoise(image, new Rng(1), 0.1).data).toEqual(noisy.data);
    expect(estimateNoiseSigma(noisy)).toBeCloseTo(0.1, 1);
  });

  it('grey noise moves all channels of a pixel together', () => {
    const noisy = addGaussianNoise(grey(8, 8, 0.5), new Rng(2), 0.05, { grey: true });
    for (let i = 0; i < noisy.data.length; i += 3) {
      expect(noisy.data[i + 1]).toBe(noisy.data[i]);
      expect(noisy.data[i + 2]).toBe(noisy.data[i]);
    }
  });

  it('shot noise grows with the signal', () => {
    const options = { peak: 50, readSigma: 0.01 };
    const dark = addPoissonGaussianNoise(grey(64, 64, 0.1), new Rng(3), options);
    const bright = addPoissonGaussianNoise(grey(64, 64, 0.5), new Rng(3), options);
    expect(std(bright.data, 0.5)).toBeGreaterThan(2 * std(dark.data, 0.1));
    expect(std(bright.data, 0.5)).toBeCloseTo(Math.sqrt(0.5 / 50 + 0.01 ** 2), 2);
  });

  it('quantize8 rounds to 8-bit levels', () => {
    const out = quantize8(createImage(2, 1, 1, Float32Array.from([0.5, 1.2])));
    expect(Array.from(out.data)).toEqual([Math.fround(128 / 255), 1]);
  });

  it('a smooth noise field is smooth and inside [0, 1]', () => {
    const field = smoothNoiseField(50, 40, new Rng(4), 3, 2);
    let jump = 0;
    for (let i = 1; i < field.data.length; i++) if (i % 50) jump = Math.max(jump, Math.abs(field.data[i] - field.data[i - 1]));
    expect(jump).toBeLessThan(0.1);
    for (const v of field.data) expect(v).toBeGreaterThan(-0.1);
    for (const v of field.data) expect(v).toBeLessThan(1.1);
  });
});
