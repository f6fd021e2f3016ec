'use strict';
// Runs in a worker thread: sharp is asynchronous, degradations are synchronous, and synckit joins the two.
const { runAsWorker } = require('synckit');
const sharp = require('sharp');

/** Encodes 8-bit RGB as JPEG with libjpeg-turbo through sharp, decodes it again, and returns the RGB samples. */
runAsWorker(async (pixels, width, height, quality, chromaSubsampling) => {
  const raw = { width, height, channels: 3 };
  const jpeg = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw })
    .jpeg({ quality, chromaSubsampling, mozjpeg: false, optimiseCoding: false })
    .toBuffer();
  const { data, info } = await sharp(jpeg).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height || info.channels !== 3) {
    throw new Error(`decoded ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x3`);
  }
  return { data: new Uint8Array(data), bytes: jpeg.length };
});
