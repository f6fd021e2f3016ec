import * as path from 'node:path';

/** The formats fluxir reads and writes. Other formats sharp knows (GIF, AVIF, SVG...) are refused. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'tiff';

export const IMAGE_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp', 'tiff'];

const FORMAT_BY_EXTENSION: Readonly<Record<string, ImageFormat>> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.tif': 'tiff',
  '.tiff': 'tiff',
};

/** File extensions (lower case, with the dot) of the formats above. */
export const IMAGE_EXTENSIONS: readonly string[] = Object.keys(FORMAT_BY_EXTENSION);

/** The format a file name asks for by its extension (case-insensitive), if it names one. */
export function formatFromPath(file: string): ImageFormat | undefined {
  return FORMAT_BY_EXTENSION[path.extname(file).toLowerCase()];
}

/** Accepts a format name or one of its extensions without the dot: `jpg`, `tif`, `PNG`. */
export function parseImageFormat(name: string): ImageFormat | undefined {
  const key = name.toLowerCase();
  return FORMAT_BY_EXTENSION[key.startsWith('.') ? key : `.${key}`];
}

export function hasImageExtension(file: string): boolean {
  return formatFromPath(file) !== undefined;
}
