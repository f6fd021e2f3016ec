import { createImage, psnr, Rng } from '@fluxir/core';
import { bilateralFilter } from './bilateral-filter';
import { boxMean, minFilter } from './box-filter';
import { gaussianBlur } from './convolve';
import { guidedFilter } from './guided-filter';
import { medianFilter } from './median-filter';
import { addGaussianNoise } from './noise';
import { testPattern } from './test-pattern';
import { unsharpMask } from './unsharp-mask';

const clean = testPattern(96, 96, 7);

describe('denoising filters', () => {
  const noisy = addGaussianNoise(clean, new Rng(1), 25 / 255);

  it('a Gaussian filter improves PSNR on a noisy image', () => {
    expect(psnr(clean, gaussianBlur(noisy, 1))).toBeGreaterThan(psnr(clean, noisy) + 3);
  });

  it('a bilateral filter improves PSNR and keeps edges better than a plain blur of the same width', () => {
    const bilateral = bilateralFilter(noisy, { sigmaSpatial: 2, sigmaRange: 0.2 });
    expect(psnr(clean, bilateral)).toBeGreaterThan(psnr(clean, noisy) + 3);
    const sharpEdge = createImage(32, 32, 3);
    for (let i = 0; i < 32 * 32; i++) sharpEdge.data.fill(i % 32 < 16 ? 0.1 : 0.9, i * 3, i * 3 + 3);
    const kept = bilateralFilter(sharpEdge, { sigmaSpatial: 2, sigmaRange: 0.1 });
    expect(psnr(sharpEdge, kept)).toBeGreaterThan(psnr(sharpEdge, gaussianBlur(sharpEdge, 2)) + 10);
  });

  it('a 3x3 median removes isolated salt-and-pepper noise', () => {
    const salty = createImage(clean.width, clean.height, 3, new Float32Array(clean.data));
    const rng = new Rng(2);
    for (let i = 0; i < 300; i++) salty.data[rng.int(0, salty.data.length)] = rng.chance(0.5) ? 1 : 0;
    expect(psnr(clean, medianFilter(salty, 1))).toBeGreaterThan(psnr(clean, salty) + 8);
  });

  it('the median of a constant is the constant, for 3x3 and 5x5', () => {
    const flat = createImage(9, 7, 3, new Float32Array(9 * 7 * 3).fill(0.25));
    for (const r of [1, 2]) for (const v of medianFilter(flat, r).data) expect(v).toBe(0.25);
  });
});

describe('sharpening and smoothing helpers', () => {
  it('unsharp mask brings a mildly blurred image closer to the original', () => {
    const blurred = gaussianBlur(clean, 1);
    expect(psnr(clean, unsharpMask(blurred, { sigma: 1, amount: 0.8 }))).toBeGreaterThan(psnr(clean, blurred));
  });

  it('box mean and min filter clip their windows at the borders', () => {
    const ramp = createImage(5, 1, 1, Float32Array.from([0, 1, 2, 3, 4]));
    expect(Array.from(boxMean(ramp, 1).data)).toEqual([0.5, 1, 2, 3, 3.5]);
    expect(Array.from(minFilter(ramp, 1).data)).toEqual([0, 0, 1, 2, 3]);
  });

  it('a guided filter smooths noise but follows the guide across an edge', () => {
    const edge = createImage(40, 40, 1);
    for (let i = 0; i < 1600; i++) edge.data[i] = i % 40 < 20 ? 0.2 : 0.8;
    const noisy = addGaussianNoise(edge, new Rng(3), 0.05);
    const out = guidedFilter(edge, noisy, 4, 1e-3);
    expect(psnr(edge, out)).toBeGreaterThan(psnr(edge, noisy) + 6);
  });
});
