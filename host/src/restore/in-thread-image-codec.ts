import { decodeImage, decodeMask, encodeImage, type EncodeOptions, type Image, type Mask } from '@fluxir/core';
import { injectable } from 'inversify';
import type { ImageCodec } from './image-codec.interface';

/** Decoding and encoding on the calling thread (sharp's own work is on libuv's pool either way). */
@injectable()
export class InThreadImageCodec implements ImageCodec {
  async decode(image: Uint8Array, mask: Uint8Array | undefined, maxPixels: number): Promise<{ image: Image; mask?: Mask }> {
    const decoded = (await decodeImage(image, 'the image', { maxPixels })).image;
    const options = { maxPixels, imageName: 'the image' };
    return { image: decoded, mask: mask ? await decodeMask(mask, 'the mask', decoded.width, decoded.height, options) : undefined };
  }

  encode(image: Image, format: string, options: EncodeOptions): Promise<Buffer> {
    return encodeImage(image, format, options);
  }
}
