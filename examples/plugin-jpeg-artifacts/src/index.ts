import { z } from 'zod';
import {
  definePlugin,
  MAX_STEPS,
  prepareRgb,
  readPluginPackage,
  rgbDegradation,
  type Image,
  type Rng,
} from '@fluxir/sdk';
import { deblock } from './deblock';
import { jpegRoundTrip, type JpegOptions } from './jpeg-codec';

export { deblock } from './deblock';
export { jpegRoundTrip, type ChromaSubsampling, type JpegOptions } from './jpeg-codec';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({});
export type JpegArtifactsParams = z.infer<typeof params>;

/** Training compression: quality 10 to 40, chroma subsampled (4:2:0) in 60% of the samples, else 4:4:4. */
export function trainingJpeg(rng: Rng): JpegOptions {
  return { quality: rng.int(10, 41), chromaSubsampling: rng.chance(0.6) ? '4:2:0' : '4:4:4' };
}

export const EVAL_JPEG: JpegOptions = { quality: 20, chromaSubsampling: '4:2:0' };
export const evalDescription = 'JPEG (libjpeg-turbo via sharp) at quality 20 with 4:2:0 chroma subsampling, decoded to 8 bits';

/** Real JPEG compression at a random quality: blocking, ringing and colour bleeding as a camera or website makes them. */
const degrade = rgbDegradation((rgb, rng) => jpegRoundTrip(rgb, trainingJpeg(rng)).image, { quantize: false });

/** The fixed benchmark degradation: quality 20, 4:2:0 (the seed is not used: the codec is deterministic). */
export const evalDegrade = rgbDegradation((rgb: Image) => jpegRoundTrip(rgb, EVAL_JPEG).image, { quantize: false });

export default definePlugin({
  packageJson,
  id: 'jpeg-artifacts',
  title: 'JPEG artefact removal',
  prompt: 'remove jpeg compression artifacts, blocking and ringing, and restore smooth detail',
  stepBudget: { default: 2, min: 1, max: MAX_STEPS },
  params,
  prepare: prepareRgb,
  training: {
    trainingParams: () => ({}),
    evalParams: {},
    evalDegrade: (clean, rng) => evalDegrade(clean, rng),
    evalDescription,
    degrade,
    baseline: (input) => deblock(input),
  },
});
