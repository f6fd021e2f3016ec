import { createImage, Rng } from '@fluxir/core';
import { convolve, gaussianBlur } from './convolve';
import { gaussianKernel, motionLineKernel, randomWalkKernel } from './kernel';
import { testPattern } from './test-pattern';

const mean = (data: Float32Array): number => data.reduce((s, v) => s + v, 0) / data.length;

describe('convolution and kernels', () => {
  it('Gaussian, motion-line and random-walk kernels sum to one', () => {
    for (const kernel of [gaussianKernel(1.5), motionLineKernel(9, 30), randomWalkKernel(new Rng(3), 12)]) {
      expect(kernel.width % 2).toBe(1);
      expect(kernel.data.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
  });

  it('a motion line spreads along its angle only', () => {
    const k = motionLineKernel(7, 0);
    const centre = k.height >> 1;
    const offRow = k.data.filter((v, i) => Math.floor(i / k.width) !== centre && v > 1e-6);
    expect(offRow).toHaveLength(0);
  });

  it('blurring keeps the mean of a periodic-looking image and leaves a constant unchanged', () => {
    const image = testPattern(64, 48, 2);
    const blurred = gaussianBlur(image, 2);
    expect(mean(blurred.data)).toBeCloseTo(mean(image.data), 2);
    const flat = createImage(20, 10, 3, new Float32Array(600).fill(0.3));
    for (const out of [gaussianBlur(flat, 3), convolve(flat, motionLineKernel(15, 45))]) {
      for (const v of out.data) expect(v).toBeCloseTo(0.3, 5);
    }
  });

  it('2-D convolution with a Gaussian kernel matches the separable blur', () => {
    const image = testPattern(40, 30, 5);
    const a = convolve(image, gaussianKernel(1.2));
    const b = gaussianBlur(image, 1.2);
    let worst = 0;
    for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it('convolution is a true convolution: an impulse reproduces the kernel', () => {
    const impulse = createImage(15, 15, 1);
    impulse.data[7 * 15 + 7] = 1;
    const kernel = randomWalkKernel(new Rng(9), 5);
    const out = convolve(impulse, kernel);
    const r = kernel.width >> 1;
    for (let y = 0; y < kernel.height; y++) {
      for (let x = 0; x < kernel.width; x++) {
        expect(out.data[(7 - r + y) * 15 + (7 - r + x)]).toBeCloseTo(kernel.data[y * kernel.width + x], 6);
      }
    }
  });
});
