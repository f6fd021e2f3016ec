import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { listPhotos, loadPhotos } from './photo-set';

describe('photos from several folders', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fluxir-photos-'));
    for (const folder of ['a', 'b']) mkdirSync(join(dir, folder));
    const png = join(dir, 'a', 'one.png');
    await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 200, g: 10, b: 10 } } }).png().toFile(png);
    copyFileSync(png, join(dir, 'a', 'two.png'));
    copyFileSync(png, join(dir, 'b', 'three.png'));
    copyFileSync(png, join(dir, 'b', 'held.png'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every folder, holds out the split by file name whichever folder has it, and loads each from its own folder', async () => {
    const folders = [join(dir, 'a'), join(dir, 'b')];
    const names = listPhotos(folders, { validation: ['held.png', 'two.png'] });
    expect(names.train).toEqual([join(dir, 'a', 'one.png'), join(dir, 'b', 'three.png')]);
    expect(names.validation).toEqual([join(dir, 'a', 'two.png'), join(dir, 'b', 'held.png')]);
    const photos = await loadPhotos(folders, names.train);
    expect(photos.map((p) => [p.name, p.width, p.height, p.rgb[0]])).toEqual([
      ['one.png', 8, 6, 200],
      ['three.png', 8, 6, 200],
    ]);
  });

  it('refuses a folder among several that has no photos, naming it', () => {
    mkdirSync(join(dir, 'empty'));
    expect(() => listPhotos([join(dir, 'a'), join(dir, 'empty')], { validation: [] })).toThrow(/empty: the folder has no PNG/);
  });
});
