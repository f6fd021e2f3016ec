import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import sharp from 'sharp';
import { errors } from '../common/errors';
import { createImage, type Image } from '../common/image';
import type { Rng } from '../common/rng';

const IMAGE_FILE = /\.(png|jpe?g|webp|tiff?)$/i;

export interface Photo {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** RGB, 8 bits per sample, interleaved. */
  readonly rgb: Uint8Array;
}

export interface PhotoSplit {
  readonly validation: readonly string[];
}

/** The validation split the repository names (core/data/photo-split.json). */
export function defaultPhotoSplit(): PhotoSplit {
  return JSON.parse(readFileSync(resolve(__dirname, '../../data/photo-split.json'), 'utf8')) as PhotoSplit;
}

/** One folder of photos, or several trained on together. */
export type PhotoSource = string | readonly string[];

/** The source's folders as a list. */
export function photoFolders(source: PhotoSource): readonly string[] {
  return typeof source === 'string' ? [source] : source;
}

/** Where a name from listPhotos is on disk: a path as it is, a bare file name in the source's (only) folder. */
export function photoPath(source: PhotoSource, name: string): string {
  return name.includes(sep) ? name : join(photoFolders(source)[0], name);
}

/** The source in words, for cards and messages. */
export function describePhotoSource(source: PhotoSource): string {
  return photoFolders(source).join(', ');
}

/**
 * Lists the image files of one or more folders, split into training and validation names (the split
 * names files, whichever folder holds them). With one folder the names are file names; with several
 * they are paths (the folder as given, then the file), so `loadPhotos` finds each in its own folder.
 */
export function listPhotos(source: PhotoSource, split: PhotoSplit): { train: string[]; validation: string[] } {
  const folders = photoFolders(source);
  const names: string[] = [];
  for (const dir of folders) {
    let files: string[];
    try {
      files = readdirSync(dir).filter((n) => IMAGE_FILE.test(n) && statSync(join(dir, n)).isFile()).sort();
    } catch (error) {
      throw errors.emptyData(dir, (error as Error).message);
    }
    if (files.length === 0) throw errors.emptyData(dir, 'the folder has no PNG, JPEG, WebP or TIFF files');
    names.push(...(folders.length === 1 ? files : files.map((n) => join(dir, n))));
  }
  const held = new Set(split.validation);
  const isHeld = (name: string) => held.has(basename(name));
  const train = names.filter((n) => !isHeld(n));
  if (train.length === 0) throw errors.emptyData(describePhotoSource(source), 'every photo is in the validation split');
  return { train, validation: names.filter(isHeld) };
}

/** Decodes photos to 8-bit RGB, refusing the folder if none can be read. */
export async function loadPhotos(source: PhotoSource, names: readonly string[]): Promise<Photo[]> {
  const photos: Photo[] = [];
  const failures: string[] = [];
  for (const name of names) {
    try {
      const { data, info } = await sharp(photoPath(source, name))
        .rotate()
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      photos.push({ name: basename(name), width: info.width, height: info.height, rgb: toRgb(data, info.channels) });
    } catch (error) {
      failures.push(`${name} (${(error as Error).message})`);
    }
  }
  if (photos.length === 0) throw errors.emptyData(describePhotoSource(source), `no photo could be decoded: ${failures.join(', ')}`);
  return photos;
}

function toRgb(data: Buffer, channels: number): Uint8Array {
  if (channels === 3) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const n = data.length / channels;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * channels + Math.min(c, channels - 1)];
  return rgb;
}

/** A random square crop with a random flip and 90-degree rotation, as a float image in [0, 1]. */
export function randomCrop(photo: Photo, size: number, rng: Rng): Image {
  const x0 = rng.int(0, photo.width - size + 1);
  const y0 = rng.int(0, photo.height - size + 1);
  const flip = rng.chance(0.5);
  const rotate = rng.int(0, 4);
  const out = createImage(size, size, 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sx = flip ? size - 1 - x : x;
      let sy = y;
      for (let r = 0; r < rotate; r++) [sx, sy] = [size - 1 - sy, sx];
      const src = ((y0 + sy) * photo.width + (x0 + sx)) * 3;
      const dst = (y * size + x) * 3;
      out.data[dst] = photo.rgb[src] / 255;
      out.data[dst + 1] = photo.rgb[src + 1] / 255;
      out.data[dst + 2] = photo.rgb[src + 2] / 255;
    }
  }
  return out;
}
