import { createImage, psnr } from '@fluxir/core';
import { contrastStretch } from './contrast-stretch';
import { darkChannel, dehazeDarkChannel } from './dark-channel-dehaze';
import { diffusionFill } from './diffusion-fill';
import { testPattern } from './test-pattern';

const clean = testPattern(96, 96, 11);

describe('dark channel prior dehazing', () => {
  it('the dark channel of a hazy image is brighter than of the clear one', () => {
    const hazy = haze(clean, 0.5, [0.92, 0.93, 0.95]);
    const mean = (d: Float32Array) => d.reduce((s, v) => s + v, 0) / d.length;
    expect(mean(darkChannel(hazy, 7).data)).toBeGreaterThan(mean(darkChannel(clean, 7).data) + 0.2);
  });

  it('improves PSNR on a synthetic hazy image, with and without guided refinement', () => {
    const hazy = haze(clean, 0.45, [0.92, 0.93, 0.95]);
    for (const refine of [true, false]) {
      expect(psnr(clean, dehazeDarkChannel(hazy, { patch: 7, refine }))).toBeGreaterThan(psnr(clean, hazy) + 3);
    }
  });
});

describe('contrast stretch', () => {
  it('brings a dark, flattened image much closer to the original', () => {
    const dark = createImage(clean.width, clean.height, 3, clean.data.map((v) => 0.12 * v ** 1.5));
    expect(psnr(clean, contrastStretch(dark))).toBeGreaterThan(psnr(clean, dark) + 8);
  });

  it('with gamma 1 and no clipping maps the percentiles to 0 and 1', () => {
    const ramp = createImage(256, 1, 1, Float32Array.from({ length: 256 }, (_, i) => 0.2 + (0.4 * i) / 255));
    const out = contrastStretch(ramp, { lowPercentile: 0, highPercentile: 1, gamma: 1 });
    expect(out.data[0]).toBeLessThan(0.01);
    expect(out.data[255]).toBeGreaterThan(0.99);
  });
});

describe('diffusion fill', () => {
  it('fills a large hole in a linear ramp with the ramp', () => {
    const w = 120;
    const h = 80;
    const ramp = createImage(w, h, 3);
    const mask = createImage(w, h, 1);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        ramp.data.fill(0.1 + (0.6 * x) / w + (0.2 * y) / h, (y * w + x) * 3, (y * w + x) * 3 + 3);
        if (x > 20 && x < 90 && y > 15 && y < 65) mask.data[y * w + x] = 1;
      }
    }
    const holed = createImage(w, h, 3, ramp.data.map((v, i) => (mask.data[Math.floor(i / 3)] ? 0 : v)));
    const filled = diffusionFill(holed, mask);
    expect(psnr(ramp, filled, { mask })).toBeGreaterThan(40);
    for (let i = 0; i < w * h; i++) if (!mask.data[i]) expect(filled.data[i * 3]).toBe(ramp.data[i * 3]);
  });

  it('copes with an all-hole mask and a hole touching the border', () => {
    const mask = createImage(16, 16, 1, new Float32Array(256).fill(1));
    const out = diffusionFill(testPattern(16, 16), mask);
    for (const v of out.data) expect(v).toBe(0.5);
    const corner = createImage(32, 32, 1);
    for (let i = 0; i < 10; i++) corner.data.fill(1, i * 32, i * 32 + 10);
    expect(psnr(testPattern(32, 32), diffusionFill(testPattern(32, 32), corner), { mask: corner })).toBeGreaterThan(25);
  });
});

function haze(image: typeof clean, t: number, airlight: number[]) {
  return createImage(image.width, image.height, 3, image.data.map((v, i) => v * t + airlight[i % 3] * (1 - t)));
}
