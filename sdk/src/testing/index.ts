export * from './plugin-contract';
export * from './contract-checks';
/** Reading test photos (PNG, JPEG, WebP, TIFF) into images, for a plugin's own tests. */
export { readImage, type DecodedImage, type ReadImageOptions } from '@fluxir/core';
