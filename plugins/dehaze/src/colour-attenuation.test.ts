import { resolve } from 'node:path';
import { createImage, psnr, readImage, type Image } from '@fluxir/core';
import { colourAttenuationTransmission, dehazeColourAttenuation } from './colour-attenuation';

const photo = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'validation', 'opencv-building.png');

/** Haze that thickens towards the top: transmission from `bottom` to `top`, airlight `a`. */
function haze(clean: Image, top: number, bottom: number, a: readonly number[]): Image {
  const out = createImage(clean.width, clean.height, 3);
  for (let y = 0; y < clean.height; y++) {
    const t = top + ((bottom - top) * y) / (clean.height - 1);
    for (let x = 0; x < clean.width; x++) {
      const i = (y * clean.width + x) * 3;
      for (let c = 0; c < 3; c++) out.data[i + c] = clean.data[i + c] * t + a[c] * (1 - t);
    }
  }
  return out;
}

describe('colour attenuation prior dehazing', () => {
  it('clears graded haze from a photograph', async () => {
    const { image: clean } = await readImage(photo);
    const hazy = haze(clean, 0.3, 0.8, [0.9, 0.9, 0.92]);
    const out = dehazeColourAttenuation(hazy);
    expect(psnr(clean, out)).toBeGreaterThan(psnr(clean, hazy) + 3);
    expect(Math.min(...out.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out.data)).toBeLessThanOrEqual(1);
  });

  it('leaves a flat grey image flat and finite', () => {
    const grey = createImage(40, 30, 3, new Float32Array(40 * 30 * 3).fill(0.5));
    const out = dehazeColourAttenuation(grey);
    expect(out.data.every((v) => Number.isFinite(v) && Math.abs(v - out.data[0]) < 1e-6)).toBe(true);
  });
});

describe('the colour attenuation transmission', () => {
  it('falls where the haze thickens, within its bounds', async () => {
    const { image: clean } = await readImage(photo);
    const t = colourAttenuationTransmission(haze(clean, 0.2, 0.9, [0.92, 0.92, 0.92]));
    const rows = (from: number, to: number) => {
      const part = t.data.subarray(from * t.width, to * t.width);
      return part.reduce((s, v) => s + v, 0) / part.length;
    };
    const quarter = Math.floor(t.height / 4);
    expect(rows(0, quarter)).toBeLessThan(rows(3 * quarter, t.height) - 0.1);
    expect(Math.min(...t.data)).toBeGreaterThanOrEqual(0.1 - 1e-6);
    expect(Math.max(...t.data)).toBeLessThanOrEqual(0.9 + 1e-6);
  });
});
