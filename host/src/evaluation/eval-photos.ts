import { cropImage, listPhotos, photoPath, readImage, type Image, type PhotoSource, type PhotoSplit } from '@fluxir/core';
import { basename } from 'node:path';

export interface EvalPhoto {
  readonly name: string;
  readonly image: Image;
}

/**
 * The photos to evaluate on: the validation split's photos when the folder holds them, else every
 * photo; each centre-cropped to at most `maxSide` pixels with sides divisible by 4 (for x4 super-resolution).
 */
export async function loadEvalPhotos(source: PhotoSource, split: PhotoSplit, maxSide: number, limit?: number): Promise<EvalPhoto[]> {
  const { train, validation } = listPhotos(source, { validation: split.validation });
  const names = (validation.length ? validation : train).slice(0, limit ?? Infinity);
  const photos: EvalPhoto[] = [];
  for (const name of names) {
    const { image } = await readImage(photoPath(source, name));
    photos.push({ name: basename(name), image: centreCrop(image, maxSide) });
  }
  return photos;
}

export function centreCrop(image: Image, maxSide: number): Image {
  const width = Math.floor(Math.min(image.width, maxSide) / 4) * 4;
  const height = Math.floor(Math.min(image.height, maxSide) / 4) * 4;
  return cropImage(image, Math.floor((image.width - width) / 2), Math.floor((image.height - height) / 2), width, height);
}
