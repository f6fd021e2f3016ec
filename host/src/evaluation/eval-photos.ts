import { cropImage, errors, listPhotos, photoPath, readImage, type Image, type PhotoSource, type PhotoSplit } from '@fluxir/core';
import { basename } from 'node:path';

export interface EvalPhoto {
  readonly name: string;
  readonly image: Image;
}

/** The smallest side scored: x4 super-resolution then still has 8 px, and SSIM's 11 px window fits every output. */
export const MIN_EVAL_SIDE = 32;

/**
 * The photos to evaluate on: the validation split's photos when the folder holds them, else every
 * photo; each centre-cropped to at most `maxSide` pixels with sides divisible by 4 (for x4 super-resolution).
 * E_DATA for a photo (or a `maxSide`) under MIN_EVAL_SIDE, before anything is restored.
 */
export async function loadEvalPhotos(source: PhotoSource, split: PhotoSplit, maxSide: number, limit?: number): Promise<EvalPhoto[]> {
  const { train, validation } = listPhotos(source, { validation: split.validation });
  const names = (validation.length ? validation : train).slice(0, limit ?? Infinity);
  const photos: EvalPhoto[] = [];
  for (const name of names) {
    const { image } = await readImage(photoPath(source, name));
    const cropped = centreCrop(image, maxSide);
    if (Math.min(cropped.width, cropped.height) < MIN_EVAL_SIDE) throw errors.photoTooSmall(photoPath(source, name), cropped.width, cropped.height, MIN_EVAL_SIDE);
    photos.push({ name: basename(name), image: cropped });
  }
  return photos;
}

export function centreCrop(image: Image, maxSide: number): Image {
  const width = Math.floor(Math.min(image.width, maxSide) / 4) * 4;
  const height = Math.floor(Math.min(image.height, maxSide) / 4) * 4;
  return cropImage(image, Math.floor((image.width - width) / 2), Math.floor((image.height - height) / 2), width, height);
}
