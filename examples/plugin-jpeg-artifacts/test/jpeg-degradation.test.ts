import * as path from 'node:path';
import { psnr, Rng, toChannels, type Image } from '@fluxir/sdk';
import { readImage } from '@fluxir/sdk/testing';
import plugin, { deblock, evalDegrade, jpegRoundTrip, trainingJpeg } from '../src';

const FIXTURE = path.resolve(__dirname, '../../../core/data/examples/clean-fruits.png');
let clean: Image;
beforeAll(async () => {
  clean = toChannels((await readImage(FIXTURE)).image, 3);
});

/** Mean absolute step between horizontally adjacent pixels, across block boundaries and inside blocks. */
function steps(image: Image): { boundary: number; inside: number } {
  let boundary = 0;
  let inside = 0;
  let nb = 0;
  let ni = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x + 1 < image.width; x++) {
      const d = Math.abs(image.data[(y * image.width + x) * 3 + 1] - image.data[(y * image.width + x + 1) * 3 + 1]);
      if (x % 8 === 7) (boundary += d), nb++;
      else (inside += d), ni++;
    }
  }
  return { boundary: boundary / nb, inside: inside / ni };
}

describe('jpeg-artifacts degradation', () => {
  it('is a real JPEG: smaller than the raw pixels, with steps at the 8-pixel block boundaries', () => {
    const { image, bytes } = jpegRoundTrip(clean, { quality: 15, chromaSubsampling: '4:2:0' });
    expect(bytes).toBeLessThan((clean.width * clean.height * 3) / 10);
    const before = steps(clean);
    const after = steps(image);
    expect(after.boundary / after.inside).toBeGreaterThan(1.2 * (before.boundary / before.inside));
  });

  it('loses more at lower quality and with chroma subsampling', () => {
    const at = (quality: number, chromaSubsampling: '4:2:0' | '4:4:4') => psnr(clean, jpegRoundTrip(clean, { quality, chromaSubsampling }).image);
    expect(at(10, '4:4:4')).toBeLessThan(at(40, '4:4:4'));
    expect(at(25, '4:2:0')).toBeLessThan(at(25, '4:4:4'));
  });

  it('draws quality 10 to 40 and both chroma modes from the seed', () => {
    const drawn = Array.from({ length: 200 }, (_, seed) => trainingJpeg(new Rng(seed)));
    const qualities = drawn.map((o) => o.quality);
    expect(Math.min(...qualities)).toBe(10);
    expect(Math.max(...qualities)).toBe(40);
    expect(new Set(drawn.map((o) => o.chromaSubsampling))).toEqual(new Set(['4:2:0', '4:4:4']));
  });

  it('has a deblocking baseline that beats the compressed photo and flattens block boundaries', () => {
    const { input } = evalDegrade(clean, new Rng(1));
    const restored = deblock(input);
    expect(psnr(clean, restored)).toBeGreaterThan(psnr(clean, input));
    const s = steps(restored);
    const d = steps(input);
    expect(s.boundary / s.inside).toBeLessThan(d.boundary / d.inside);
    expect(plugin.training.evalDescription).toContain('quality 20');
  });
});
