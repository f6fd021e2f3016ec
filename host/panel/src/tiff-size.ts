/**
 * Width and height of a TIFF from its first image directory. Browsers other than Safari cannot
 * decode TIFF, but the host can; the panel only needs the size to check the host's limits.
 */
export function tiffSize(bytes: ArrayBuffer): { width: number; height: number } | undefined {
  if (bytes.byteLength < 8) return undefined;
  const view = new DataView(bytes);
  const order = view.getUint16(0);
  const little = order === 0x4949;
  if (!little && order !== 0x4d4d) return undefined;
  if (view.getUint16(2, little) !== 42) return undefined;
  const directory = view.getUint32(4, little);
  if (directory + 2 > bytes.byteLength) return undefined;
  const entries = view.getUint16(directory, little);
  let width: number | undefined;
  let height: number | undefined;
  for (let i = 0; i < entries; i++) {
    const at = directory + 2 + i * 12;
    if (at + 12 > bytes.byteLength) break;
    const tag = view.getUint16(at, little);
    const type = view.getUint16(at + 2, little);
    // SHORT (3) or LONG (4), stored in the entry itself.
    const value = type === 3 ? view.getUint16(at + 8, little) : view.getUint32(at + 8, little);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return width && height ? { width, height } : undefined;
}
