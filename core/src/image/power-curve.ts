/**
 * `scale * v^gamma` tabulated on [0, 1] at `size` intervals (plus one entry past the end, so an
 * interpolation at v = 1 needs no test): Math.pow per sample is the slowest part of a tone curve.
 */
export function powerTable(gamma: number, scale = 1, size = 1024): Float32Array {
  const table = new Float32Array(size + 2);
  for (let k = 0; k <= size + 1; k++) table[k] = scale * Math.min(1, k / size) ** gamma;
  return table;
}

/** A powerTable's value at `v` in [0, 1], by linear interpolation. */
export function lookupPower(table: Float32Array, v: number): number {
  const x = v * (table.length - 2);
  const k = x | 0;
  return table[k] + (x - k) * (table[k + 1] - table[k]);
}
