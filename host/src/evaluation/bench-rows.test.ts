import { runParts, speedRow } from './bench-rows';
import type { CliRunMeasure } from './resource-benchmarks';

const run = (seconds: number, extra: Partial<CliRunMeasure> = {}): CliRunMeasure => ({
  seconds,
  engineMs: 1500,
  totalMs: 2200,
  decodeMs: 300,
  prepareMs: 100,
  encodeMs: 100,
  steps: 1,
  peakRssMb: 400,
  backend: 'wasm',
  ...extra,
});

describe('speed rows', () => {
  it('split a run into start-up, decode, prepare, engine start, engine and encode, adding up to its wall time', () => {
    const parts = runParts(run(2.5));
    expect(parts).toEqual([300, 300, 100, 200, 1500, 100]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(2500);
  });

  it('give the wall time as median [min - max] and the parts as shares of the process', () => {
    const row = speedRow('1 MP, denoise', [run(2.5), run(2.4), run(3.1)], 1);
    expect(row).toContain('| 2.50 [2.40 - 3.10] |');
    expect(row).toContain('| 1.500 [1.500 - 1.500] |');
    expect(row).toMatch(/\| 12% \/ 12% \/ 4% \/ 8% \/ 60% \/ 4% \|$/);
  });
});
