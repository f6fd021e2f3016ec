import { createImage, psnr, ssim, testPattern } from '@fluxir/core';

const flat = (v: number, w = 32, h = 32) => createImage(w, h, 3, new Float32Array(w * h * 3).fill(v));

describe('psnr', () => {
  it('is Infinity for identical images', () => {
    const image = testPattern(32, 32);
    expect(psnr(image, image)).toBe(Infinity);
  });

  it('is 48.13 dB for a constant offset of one 8-bit level', () => {
    expect(psnr(flat(100 / 255), flat(101 / 255))).toBeCloseTo(48.13, 2);
  });

  it('quantises like an 8-bit file: differences below half a level vanish', () => {
    expect(psnr(flat(100 / 255), flat(100.3 / 255))).toBe(Infinity);
  });

  it('crops the border and measures only inside a mask', () => {
    const a = flat(0.5);
    const b = createImage(32, 32, 3, new Float32Array(a.data));
    b.data.fill(0, 0, 32 * 3); // spoil the top row
    expect(psnr(a, b, { border: 1 })).toBe(Infinity);
    const mask = createImage(32, 32, 1);
    mask.data.fill(1, 0, 32);
    expect(psnr(a, b, { mask })).toBeCloseTo(20 * Math.log10(255 / 128), 5);
    expect(() => psnr(a, flat(0.5, 31, 32))).toThrow(RangeError);
  });
});

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const image = testPattern(48, 40);
    expect(ssim(image, image)).toBeCloseTo(1, 10);
  });

  it('matches the luminance term for a constant offset of flat images', () => {
    // Flat images: no variance, so SSIM is (2 mu1 mu2 + C1) / (mu1^2 + mu2^2 + C1).
    const c1 = (0.01 * 255) ** 2;
    const expected = (2 * 100 * 120 + c1) / (100 * 100 + 120 * 120 + c1);
    expect(ssim(flat(100 / 255), flat(120 / 255))).toBeCloseTo(expected, 10);
  });

  it('drops with noise and blur, and needs an 11x11 window', () => {
    const image = testPattern(48, 48);
    const noisy = createImage(48, 48, 3, image.data.map((v, i) => v + (i % 2 ? 0.08 : -0.08)));
    expect(ssim(image, noisy)).toBeLessThan(0.9);
    expect(ssim(image, noisy)).toBeGreaterThan(0);
    expect(() => ssim(image, image, { border: 19 })).toThrow(RangeError);
  });
});
