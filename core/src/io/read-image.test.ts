import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { errors } from '../common/errors';
import { decodeImage, readImage } from './read-image';
import { readMask } from './read-mask';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-io-read-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function ramp(width: number, height: number, channels: number, max: number): number[] {
  return Array.from({ length: width * height * channels }, (_, i) => Math.round(((i * 37) % 101) * (max / 100)));
}

async function writeRaw(name: string, width: number, height: number, channels: 1 | 2 | 3 | 4, build: (s: Sharp) => Sharp) {
  const file = path.join(dir, name);
  await build(sharp(Uint8Array.from(ramp(width, height, channels, 255)), { raw: { width, height, channels } })).toFile(file);
  return file;
}

/** A valid PNG header that claims `width` x `height`, followed by a tiny, useless IDAT. */
function pngClaiming(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let crc = 0xffffffff;
    for (const byte of buf) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(16))), chunk('IEND', Buffer.alloc(0))]);
}

describe('readImage', () => {
  it('reads an 8-bit RGB PNG as RGB floats in [0, 1]', async () => {
    const file = await writeRaw('rgb.png', 5, 3, 3, (s) => s.png());
    const { image, info } = await readImage(file);
    expect(info).toEqual({ format: 'png', width: 5, height: 3, channels: 3, hasAlpha: false, grey: false, bitDepth: 8 });
    expect(Array.from(image.data, (v) => Math.round(v * 255))).toEqual(ramp(5, 3, 3, 255));
  });

  it('reads a 16-bit PNG with 16-bit precision', async () => {
    const samples = Uint16Array.from(ramp(4, 2, 3, 65535));
    const file = path.join(dir, 'deep.png');
    await sharp(samples, { raw: { width: 4, height: 2, channels: 3 } }).toColourspace('rgb16').png().toFile(file);
    const { image, info } = await readImage(file);
    expect(info.bitDepth).toBe(16);
    expect(Array.from(image.data, (v) => Math.round(v * 65535))).toEqual(Array.from(samples));
  });

  it('applies the EXIF orientation of a JPEG (6 = rotate 90° clockwise)', async () => {
    // 16x8, left half red, right half blue: once turned clockwise, red is on top.
    const pixels = new Uint8Array(16 * 8 * 3);
    for (let i = 0; i < 16 * 8; i++) pixels.set(i % 16 < 8 ? [255, 0, 0] : [0, 0, 255], i * 3);
    const file = path.join(dir, 'portrait.jpg');
    await sharp(pixels, { raw: { width: 16, height: 8, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(file);
    const { image, info } = await readImage(file);
    expect([info.width, info.height, image.width, image.height]).toEqual([8, 16, 8, 16]);
    expect(info.format).toBe('jpeg');
    const red = (x: number, y: number) => image.data[(y * 8 + x) * 3] > 0.8 && image.data[(y * 8 + x) * 3 + 2] < 0.2;
    expect([red(4, 2), red(4, 13)]).toEqual([true, false]);
  });

  it('keeps grey images grey, with and without alpha', async () => {
    const grey = await writeRaw('grey.png', 4, 4, 1, (s) => s.toColourspace('b-w').png());
    const greyAlpha = await writeRaw('grey-alpha.png', 4, 4, 2, (s) => s.toColourspace('b-w').png());
    const greyJpeg = await writeRaw('grey.jpg', 4, 4, 1, (s) => s.toColourspace('b-w').jpeg());
    expect((await readImage(grey)).info).toMatchObject({ channels: 1, grey: true, hasAlpha: false });
    const ga = await readImage(greyAlpha);
    expect(ga.info).toMatchObject({ channels: 2, grey: true, hasAlpha: true });
    expect(Array.from(ga.image.data, (v) => Math.round(v * 255))).toEqual(ramp(4, 4, 2, 255));
    expect((await readImage(greyJpeg)).info).toMatchObject({ channels: 1, grey: true });
  });

  it('keeps the alpha channel of an RGBA PNG and WebP', async () => {
    const png = await writeRaw('rgba.png', 3, 3, 4, (s) => s.png());
    const { image, info } = await readImage(png);
    expect(info).toMatchObject({ channels: 4, hasAlpha: true, grey: false });
    expect(Array.from(image.data, (v) => Math.round(v * 255))).toEqual(ramp(3, 3, 4, 255));
    const webp = await writeRaw('rgba.webp', 3, 3, 4, (s) => s.webp({ lossless: true }));
    expect((await readImage(webp)).info).toMatchObject({ format: 'webp', channels: 4, hasAlpha: true });
  });

  it('reads TIFF', async () => {
    const file = await writeRaw('photo.tiff', 3, 2, 3, (s) => s.tiff());
    expect((await readImage(file)).info).toMatchObject({ format: 'tiff', width: 3, height: 2, channels: 3 });
  });

  it('reports a corrupt, a truncated and a missing file with E_DECODE naming the file', async () => {
    const corrupt = path.join(dir, 'corrupt.png');
    await fs.writeFile(corrupt, 'this is not an image');
    await expect(readImage(corrupt)).rejects.toMatchObject({ code: 'E_DECODE', message: expect.stringContaining(corrupt) });

    const whole = await sharp(Uint8Array.from(ramp(64, 64, 3, 255)), { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
    const truncated = path.join(dir, 'truncated.png');
    await fs.writeFile(truncated, whole.subarray(0, whole.length - 100));
    await expect(readImage(truncated)).rejects.toMatchObject({ code: 'E_DECODE', message: expect.stringContaining(truncated) });

    const missing = path.join(dir, 'missing.png');
    await expect(readImage(missing)).rejects.toMatchObject({ code: 'E_DECODE', message: expect.stringContaining(missing) });
  });

  it('refuses formats other than PNG, JPEG, WebP and TIFF', async () => {
    const gif = await writeRaw('anim.gif', 2, 2, 3, (s) => s.gif());
    await expect(readImage(gif)).rejects.toThrow(errors.decode(gif, 'unsupported format gif; expected one of: png, jpeg, webp, tiff'));
  });

  it('refuses an image over the pixel limit from its header, before decoding it', async () => {
    const huge = pngClaiming(30000, 30000); // 900 MP claimed, a few bytes of data
    await expect(decodeImage(huge, 'huge.png')).rejects.toThrow(errors.tooLarge('huge.png', 900e6, 100e6));
    const file = await writeRaw('small.png', 10, 10, 3, (s) => s.png());
    await expect(readImage(file, { maxPixels: 99 })).rejects.toThrow(errors.tooLarge(file, 100, 99));
    await expect(readImage(file, { maxPixels: 100 })).resolves.toBeDefined();
  });

  it('checks maxPixels before any work', async () => {
    await expect(decodeImage(Buffer.alloc(0), 'x.png', { maxPixels: -1 })).rejects.toThrow(
      errors.invalidParameter('maxPixels', 'a positive number of pixels', -1),
    );
  });
});

describe('readMask', () => {
  it('thresholds luma times alpha at 0.5 into a 1-channel 0/1 mask', async () => {
    // white opaque, white transparent, mid-grey (0.6) opaque, black opaque
    const pixels = Uint8Array.from([255, 255, 255, 255, 255, 255, 255, 0, 153, 153, 153, 255, 0, 0, 0, 255]);
    const file = path.join(dir, 'mask.png');
    await sharp(pixels, { raw: { width: 4, height: 1, channels: 4 } }).png().toFile(file);
    const mask = await readMask(file, 4, 1);
    expect(mask.channels).toBe(1);
    expect(Array.from(mask.data)).toEqual([1, 0, 1, 0]);
  });

  it('refuses a mask of another size with E_MASK', async () => {
    const file = await writeRaw('small-mask.png', 3, 3, 1, (s) => s.toColourspace('b-w').png());
    await expect(readMask(file, 4, 3, { imageName: 'photo.png' })).rejects.toThrow(
      errors.maskMismatch('photo.png', { width: 3, height: 3 }, { width: 4, height: 3 }),
    );
  });
});
