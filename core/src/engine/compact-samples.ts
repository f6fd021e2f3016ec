/**
 * Whole-image samples held as exact integer codes where they allow it. Images decoded from 8- or
 * 16-bit files, their copies, and 0/1 masks are sums of at most 256 or 65536 distinct values on the
 * grid k / 255 or k / 65535: stored as codes they take a quarter or half of the Float32 memory, and
 * every sample reads back bit for bit. Anything else (resized or filtered images) stays as it is.
 */
export interface CompactSamples {
  readonly codes: Uint8Array | Uint16Array | Float32Array;
  /** What each sample reads as; for codes a table lookup, else the mapping given to compactSamples. */
  readonly read: (code: number) => number;
}

/** Codes the samples of `data` when they are exact 8- or 16-bit levels; `map` is applied on reading. */
export function compactSamples(data: Float32Array, map: (value: number) => number = (v) => v): CompactSamples {
  return byCodes(data, 255, map) ?? byCodes(data, 65535, map) ?? { codes: data, read: map };
}

function byCodes(data: Float32Array, levels: 255 | 65535, map: (value: number) => number): CompactSamples | undefined {
  const codes = levels === 255 ? new Uint8Array(data.length) : new Uint16Array(data.length);
  // The sample first seen for each code: every later one must be the very same float.
  const seen = new Float64Array(levels + 1).fill(Number.NaN);
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    const code = Math.round(value * levels);
    if (!(code >= 0 && code <= levels)) return undefined;
    const first = seen[code];
    if (first !== value) {
      if (first === first) return undefined; // a second, different float on the same level
      seen[code] = value;
    }
    codes[i] = code;
  }
  const table = new Float32Array(levels + 1);
  for (let k = 0; k <= levels; k++) table[k] = map(seen[k]);
  return { codes, read: (code) => table[code] };
}
