import { join } from 'node:path';
import sharp from 'sharp';
import { createImage, psnr, quantize8, readImage, resize, type Image } from '@fluxir/core';
import { backProject } from './back-projection';
import { jpegArtifacts } from './jpeg-artifacts';
import { diskKernel } from './kernel';
import { testPattern } from './test-pattern';

const clean = testPattern(96, 96, 5);
const fruitsFile = join(__dirname, '..', '..', 'data', 'examples', 'clean-fruits.png');
let fruits: Image;
beforeAll(async () => {
  fruits = (await readImage(fruitsFile)).image;
});

describe('iterative back-projection', () => {
  it('beats bicubic up-sampling on a clean bicubic down-scale of a photo, at x2 and x4', () => {
    const { width, height } = fruits;
    for (const scale of [2, 4]) {
      const w = Math.floor(width / scale) * scale;
      const h = Math.floor(height / scale) * scale;
      const photo = resize(fruits, w, h, 'area');
      const small = quantize8(resize(photo, w / scale, h / scale, 'bicubic'));
      const bicubic = resize(small, w, h, 'bicubic');
      const projected = backProject(small, w, h, { iterations: 3, step: 0.75 });
      expect(psnr(projected, photo, { border: scale })).toBeGreaterThan(psnr(bicubic, photo, { border: scale }) + 0.2);
    }
  });

  it('makes an estimate whose own down-scale matches the input better than bicubic does', () => {
    const small = resize(clean, 24, 24, 'bicubic');
    const error = (estimate: ReturnType<typeof resize>) => psnr(resize(estimate, 24, 24, 'bicubic'), small);
    expect(error(backProject(small, 96, 96, { iterations: 3 }))).toBeGreaterThan(error(resize(small, 96, 96, 'bicubic')) + 3);
  });
});

describe('JPEG artefacts', () => {
  it('lose about what a real JPEG encoder loses at the same quality, more the lower it is', async () => {
    const losses: number[] = [];
    for (const quality of [50, 75, 90]) {
      const encoded = await sharp(fruitsFile).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
      const { data, info } = await sharp(encoded).raw().toBuffer({ resolveWithObject: true });
      const real = createImage(info.width, info.height, 3, Float32Array.from(data, (v) => v / 255));
      const simulated = psnr(jpegArtifacts(fruits, quality), fruits);
      expect(Math.abs(simulated - psnr(real, fruits))).toBeLessThan(1.5);
      losses.push(simulated);
    }
    expect(losses[0]).toBeLessThan(losses[1]);
    expect(losses[1]).toBeLessThan(losses[2]);
  });

  it('keep the size and the mean colour', () => {
    const out = jpegArtifacts(clean, 30);
    expect([out.width, out.height, out.channels]).toEqual([96, 96, 3]);
    const mean = (d: Float32Array) => d.reduce((s, v) => s + v, 0) / d.length;
    expect(Math.abs(mean(out.data) - mean(clean.data))).toBeLessThan(0.02);
  });
});

describe('defocus disk kernel', () => {
  it('sums to one and is round: the corner is empty, the centre full', () => {
    const k = diskKernel(4);
    expect(k.data.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(k.width).toBe(9);
    expect(k.data[0]).toBe(0);
    expect(k.data[4 * 9 + 4]).toBeGreaterThan(0);
  });
});
