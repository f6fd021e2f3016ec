import type { Binary } from '../protocol/socket-events';
import { clientErrors } from './client-errors';

/** What `restore` accepts as an image or a mask: a File/Blob in browsers, bytes anywhere. */
export type ImageSource = Blob | ArrayBuffer | Uint8Array;

/** Bytes as a Uint8Array whatever socket.io delivered (Buffer in Node, ArrayBuffer in browsers). */
export function toBytes(data: Binary): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

/** The bytes to send; a Blob is read first. */
export async function readImageSource(source: ImageSource, what: string): Promise<ArrayBuffer | Uint8Array> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return source;
  if (typeof Blob !== 'undefined' && source instanceof Blob) return source.arrayBuffer();
  throw clientErrors.badImage(what);
}
