import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { createImage, type Image } from '../common/image';
import { errors } from '../common/errors';
import { decodeImage, readImage } from './read-image';
import { encodeImage, writeImage } from './write-image';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-io-write-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function gradient(width: number, height: number, channels: number): Image {
  const image = createImage(width, height, channels);
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i % 997) / 996;
  return image;
}

async function leftovers(folder: string): Promise<string[]> {
  return (await fs.readdir(folder)).filter((name) => name.endsWith('.tmp'));
}

describe('writeImage', () => {
  it('round-trips a 16-bit PNG without losing precision', async () => {
    const image = gradient(40, 30, 3);
    const file = path.join(dir, 'deep.png');
    await expect(writeImage(file, image, { bitDepth: 16 })).resolves.toEqual({ file, format: 'png', bitDepth: 16 });
    const back = await readImage(file);
    expect(back.info.bitDepth).toBe(16);
    let worst = 0;
    for (let i = 0; i < image.data.length; i++) worst = Math.max(worst, Math.abs(back.image.data[i] - image.data[i]));
    expect(worst).toBeLessThanOrEqual(0.5 / 65535 + 1e-7);
  });

  it('takes the format from the extension, else from the option', async () => {
    const image = gradient(8, 8, 3);
    for (const [name, format] of [['a.jpg', 'jpeg'], ['b.JPEG', 'jpeg'], ['c.webp', 'webp'], ['d.tif', 'tiff'], ['e.tiff', 'tiff']]) {
      await writeImage(path.join(dir, name), image, { format: 'png' });
      expect((await sharp(path.join(dir, name)).metadata()).format).toBe(format);
    }
    await writeImage(path.join(dir, 'no-extension'), image, { format: 'jpg' });
    expect((await sharp(path.join(dir, 'no-extension')).metadata()).format).toBe('jpeg');
    await expect(writeImage(path.join(dir, 'what.bmp'), image)).rejects.toMatchObject({ code: 'E_PARAMS' });
  });

  it('keeps grey grey and alpha alpha', async () => {
    const greyFile = path.join(dir, 'grey.png');
    await writeImage(greyFile, gradient(6, 6, 1));
    expect((await readImage(greyFile)).info).toMatchObject({ channels: 1, grey: true });
    const greyAlpha = path.join(dir, 'grey-alpha.png');
    await writeImage(greyAlpha, gradient(6, 6, 2), { bitDepth: 16 });
    expect((await readImage(greyAlpha)).info).toMatchObject({ channels: 2, grey: true, hasAlpha: true, bitDepth: 16 });
    const rgba = gradient(6, 6, 4);
    const rgbaFile = path.join(dir, 'rgba.png');
    await writeImage(rgbaFile, rgba);
    const back = await readImage(rgbaFile);
    expect(back.info.channels).toBe(4);
    expect(Array.from(back.image.data, (v) => Math.round(v * 255))).toEqual(Array.from(rgba.data, (v) => Math.round(v * 255)));
  });

  it('flattens alpha onto white for JPEG', async () => {
    const transparent = createImage(4, 4, 4); // black, fully transparent
    const { data } = await sharp(await encodeImage(transparent, 'jpeg')).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeGreaterThan(250);
  });

  it('reports an output path in a missing folder with E_WRITE and the reason', async () => {
    const file = path.join(dir, 'no-such-folder', 'out.png');
    await expect(writeImage(file, gradient(4, 4, 3))).rejects.toThrow(
      errors.write(file, `the folder ${path.dirname(file)} does not exist`),
    );
  });

  it('leaves no temporary file when the final rename fails (the output name is a folder)', async () => {
    const folder = await fs.mkdtemp(path.join(dir, 'rename-'));
    const file = path.join(folder, 'taken.png');
    await fs.mkdir(file);
    await expect(writeImage(file, gradient(4, 4, 3))).rejects.toThrow(errors.write(file, 'a folder of that name exists'));
    expect(await leftovers(folder)).toEqual([]);
  });

  it('reports a folder it may not write in with E_WRITE and leaves nothing behind', async () => {
    // root ignores permission bits, but not sysfs, where nobody may create files
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !(await fs.stat('/sys').catch(() => undefined))) return;
    const folder = asRoot ? '/sys' : await fs.mkdtemp(path.join(dir, 'readonly-'));
    if (!asRoot) await fs.chmod(folder, 0o555);
    const before = await fs.readdir(folder);
    const file = path.join(folder, 'out.png');
    try {
      await expect(writeImage(file, gradient(4, 4, 3))).rejects.toThrow(errors.write(file, `permission denied in ${folder}`));
      expect(await fs.readdir(folder)).toEqual(before);
    } finally {
      if (!asRoot) await fs.chmod(folder, 0o755);
    }
  });

  it('replaces an existing file whole', async () => {
    const file = path.join(dir, 'replace.png');
    await writeImage(file, gradient(4, 4, 3));
    await writeImage(file, gradient(9, 5, 3));
    expect((await readImage(file)).info).toMatchObject({ width: 9, height: 5 });
    expect(await leftovers(dir)).toEqual([]);
  });

  it('trades PNG size for speed at a lower zlib level, losslessly', async () => {
    const image = gradient(64, 48, 3);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (image.data[i] + ((i * 7919) % 13) / 255) % 1;
    const fast = await encodeImage(image, 'png', { pngCompression: 1 });
    const small = await encodeImage(image, 'png');
    expect(fast.length).toBeGreaterThan(small.length);
    const decoded = (await decodeImage(fast, 'fast.png')).image;
    expect(Array.from(decoded.data)).toEqual(Array.from((await decodeImage(small, 'small.png')).image.data));
  });

  it('checks its options before encoding', async () => {
    const image = gradient(2, 2, 3);
    await expect(encodeImage(image, 'gif')).rejects.toThrow(errors.invalidParameter('format', 'one of: png, jpeg, webp, tiff', 'gif'));
    await expect(encodeImage(image, 'png', { quality: 0 })).rejects.toMatchObject({ code: 'E_PARAMS' });
    await expect(encodeImage(image, 'png', { pngCompression: 10 })).rejects.toMatchObject({ code: 'E_PARAMS' });
    await expect(encodeImage({ ...image, channels: 5 }, 'png')).rejects.toMatchObject({ code: 'E_PARAMS' });
  });
});
