import { createImage, psnr } from '@fluxir/core';
import { gaussianBlur } from './convolve';
import { RESIZE_METHODS, resize } from './resize';
import { testPattern } from './test-pattern';

describe('resize', () => {
  it('keeps a constant image constant with every method, up and down, to any size', () => {
    const flat = createImage(23, 17, 3, new Float32Array(23 * 17 * 3).fill(0.42));
    for (const method of RESIZE_METHODS) {
      for (const [w, h] of [[7, 5], [50, 31], [23, 40]]) {
        const out = resize(flat, w, h, method);
        expect([out.width, out.height, out.channels]).toEqual([w, h, 3]);
        for (const v of out.data) expect(v).toBeCloseTo(0.42, 5);
      }
    }
  });

  it('area down-sampling by 2 is the mean of each 2x2 block', () => {
    const image = createImage(4, 2, 1, Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(Array.from(resize(image, 2, 1, 'area').data)).toEqual([2.5, 4.5]);
  });

  it('bicubic down then up of a smooth image comes back close', () => {
    const smooth = gaussianBlur(testPattern(96, 64, 3), 2.5);
    const back = resize(resize(smooth, 48, 32, 'bicubic'), 96, 64, 'bicubic');
    expect(psnr(smooth, back, { border: 4 })).toBeGreaterThan(35);
  });

  it('bicubic up-sampling beats nearest neighbour', () => {
    const image = gaussianBlur(testPattern(96, 96, 4), 1);
    const small = resize(image, 24, 24, 'bicubic');
    const bicubic = resize(small, 96, 96, 'bicubic');
    const nearest = resize(small, 96, 96, 'nearest');
    expect(psnr(image, bicubic)).toBeGreaterThan(psnr(image, nearest) + 1);
  });
});
