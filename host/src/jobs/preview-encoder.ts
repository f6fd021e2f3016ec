import type { Image } from '@fluxir/core';
import sharp from 'sharp';
import type { PreviewSettings } from './job-queue.interface';

export interface EncodedPreview {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/**
 * Quantises the engine's float image to 8-bit RGB right away (a copy: the engine may reuse its
 * buffers), then lets sharp shrink and encode it off the main thread.
 */
export function encodePreview(image: Image, settings: PreviewSettings): Promise<EncodedPreview> {
  const raw = toRgb8(image);
  let pipeline = sharp(raw, { raw: { width: image.width, height: image.height, channels: 3 } }).resize(
    settings.maxSide,
    settings.maxSide,
    { fit: 'inside', withoutEnlargement: true },
  );
  pipeline = settings.mime === 'image/webp' ? pipeline.webp({ quality: settings.quality }) : pipeline.jpeg({ quality: settings.quality });
  return pipeline.toBuffer({ resolveWithObject: true }).then(({ data, info }) => ({ data, width: info.width, height: info.height }));
}

function toRgb8(image: Image): Buffer {
  const n = image.width * image.height;
  const out = Buffer.allocUnsafe(n * 3);
  const { data, channels } = image;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = data[i * channels + (channels >= 3 ? c : 0)];
      out[i * 3 + c] = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0;
    }
  }
  return out;
}
