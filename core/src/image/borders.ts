/**
 * Mirror an index into [0, size) without repeating the edge sample (OpenCV's BORDER_REFLECT_101):
 * -1 -> 1, size -> size - 2. Works for offsets larger than the image by reflecting repeatedly.
 */
export function reflectIndex(index: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  let i = index % period;
  if (i < 0) i += period;
  return i < size ? i : period - i;
}

/** The reflected source index of every position from `-before` to `size - 1 + after`. */
export function reflectTable(size: number, before: number, after: number): Int32Array {
  const table = new Int32Array(size + before + after);
  for (let i = 0; i < table.length; i++) table[i] = reflectIndex(i - before, size);
  return table;
}

/** Clamp an index into [0, size) (replicate the edge sample). */
export function clampIndex(index: number, size: number): number {
  return index < 0 ? 0 : index >= size ? size - 1 : index;
}
