import { compactSamples } from './compact-samples';

const signed = (v: number) => v * 2 - 1;

/** Reads every sample back the way the tile gathers do. */
function readAll(samples: ReturnType<typeof compactSamples>): Float32Array {
  return Float32Array.from(samples.codes, (code) => samples.read(code));
}

describe('compactSamples', () => {
  it('holds samples decoded from 8-bit files as one byte each and reads them back bit for bit', () => {
    const data = Float32Array.from({ length: 3000 }, (_, i) => ((i * 37) % 256) * (1 / 255));
    const samples = compactSamples(data, signed);
    expect(samples.codes).toBeInstanceOf(Uint8Array);
    expect(readAll(samples)).toEqual(Float32Array.from(data, signed));
  });

  it('holds 16-bit samples as two bytes each, exactly', () => {
    const data = Float32Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 65536) * (1 / 65535));
    const samples = compactSamples(data);
    expect(samples.codes).toBeInstanceOf(Uint16Array);
    expect(readAll(samples)).toEqual(data);
  });

  it('accepts 8-bit levels computed either way (k / 255 and k * (1 / 255))', () => {
    const data = Float32Array.from({ length: 512 }, (_, i) => (i < 256 ? i / 255 : (i - 256) * (1 / 255)));
    const samples = compactSamples(data, signed);
    expect(readAll(samples)).toEqual(Float32Array.from(data, signed));
  });

  it('keeps 0/1 masks as bytes', () => {
    const mask = Float32Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const samples = compactSamples(mask);
    expect(samples.codes).toBeInstanceOf(Uint8Array);
    expect(readAll(samples)).toEqual(mask);
  });

  it('leaves samples off the 8- and 16-bit grids (a resized image) as they are', () => {
    const data = Float32Array.from({ length: 200_000 }, (_, i) => Math.sin(i) * 0.5 + 0.5);
    const samples = compactSamples(data, signed);
    expect(samples.codes).toBe(data);
    expect(readAll(samples)).toEqual(Float32Array.from(data, signed));
  });

  it('refuses to merge two different floats that fall on the same level', () => {
    const data = Float32Array.from([0.5, 0.5 + 1e-4, 1, 0]);
    const samples = compactSamples(data);
    expect(readAll(samples)).toEqual(data);
  });

  it('leaves out-of-range and NaN samples as they are', () => {
    expect(compactSamples(Float32Array.from([0, 1.5])).codes).toBeInstanceOf(Float32Array);
    expect(compactSamples(Float32Array.from([0, Number.NaN])).codes).toBeInstanceOf(Float32Array);
  });
});
