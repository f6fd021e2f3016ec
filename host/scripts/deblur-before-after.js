// Before/after pictures of deblur for the README (run from the repository root after npm run build):
// a real defocused photograph and a validation photo shaken by a 13 px camera trajectory.
// node host/scripts/deblur-before-after.js [weights dir]
const core = require('../../core/dist/index.js');
const sharp = require('sharp');
const { createHostContainer, disposeHostContainer } = require('../dist/host-container.js');
const { RestoreService } = require('../dist/restore/restore-service.interface.js');
const { RestorePlanner } = require('../dist/restore/restore-planner.interface.js');
const weights = process.argv[2]; // default: the shipped weights
const toPng = (img) => sharp(Buffer.from(Uint8Array.from(img.data, (v) => Math.round(core.clamp01(v) * 255))), { raw: { width: img.width, height: img.height, channels: 3 } });
async function pair({ service, plan }, input, label, file) {
  const out = (await service.restore(plan, { image: input, name: label })).image;
  const w = input.width, h = input.height, gap = 8, head = 28;
  const canvas = sharp({ create: { width: 2 * w + gap, height: h + head, channels: 3, background: { r: 24, g: 24, b: 24 } } });
  const text = `<svg width="${2 * w + gap}" height="${head}"><style>text{font:16px sans-serif;fill:#eee}</style><text x="8" y="20">${label}: input</text><text x="${w + gap + 8}" y="20">fluxir deblur, 1 step</text></svg>`;
  await canvas.composite([
    { input: Buffer.from(text), left: 0, top: 0 },
    { input: await toPng(input).png().toBuffer(), left: 0, top: head },
    { input: await toPng(core.toChannels(out, 3)).png().toBuffer(), left: w + gap, top: head },
  ]).png().toFile(file);
}
(async () => {
  const c = createHostContainer({ weightsDir: weights });
  const planner = c.get(RestorePlanner);
  const service = { service: c.get(RestoreService), plan: await planner.plan(planner.choose({ task: 'deblur' })) };
  const real = core.toChannels((await core.readImage('../shared/data/photos-extra/qt5ex-screen_text.png')).image, 3);
  await pair(service, core.cropImage(real, 0, 0, 460, 300), 'real defocus (qt5ex screen_text)', 'docs/deblur-real-defocus.png');
  const bld = core.toChannels((await core.readImage('../shared/data/photos/opencv-building.png')).image, 3);
  const crop = core.cropImage(bld, 380, 150, 460, 300);
  const shaken = core.quantize8(core.addGaussianNoise(core.convolve(crop, core.randomWalkKernel(new core.Rng(5), 13)), new core.Rng(6), 1 / 255));
  await pair(service, shaken, 'camera shake 13 px (opencv building)', 'docs/deblur-camera-shake.png');
  console.log('shake psnr input', core.psnr(shaken, crop).toFixed(2));
  await disposeHostContainer(c);
})();
