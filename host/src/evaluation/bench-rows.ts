import type { CliRunMeasure } from './resource-benchmarks';

export const SPEED_HEADER = [
  '| image, task | backend | steps | process (s) | decode to encode (s) | engine (s) | engine s / MP / step | decode / prepare / engine / encode share |',
  '|---|---|---|---|---|---|---|---|',
];

export const MEMORY_HEADER = [
  '| task | output MP | peak RSS, kernel (MB) | GNU time max RSS (MB) | process (s) | engine s / MP / step |',
  '|---|---|---|---|---|---|',
];

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Median and spread: "1.84 [1.79 - 2.10]". */
function spread(values: readonly number[], digits = 2): string {
  return `${median(values).toFixed(digits)} [${Math.min(...values).toFixed(digits)} - ${Math.max(...values).toFixed(digits)}]`;
}

/** One speed row from several cold runs of the same restore. */
export function speedRow(label: string, runs: readonly CliRunMeasure[], megapixels: number): string {
  const first = runs[0];
  const engine = runs.map((m) => m.engineMs / 1000);
  const share = (pick: (m: CliRunMeasure) => number) => `${Math.round(100 * median(runs.map((m) => pick(m) / Math.max(m.totalMs, 1))))}%`;
  const shares = [
    share((m) => m.decodeMs),
    share((m) => m.totalMs - m.decodeMs - m.engineMs - m.encodeMs),
    share((m) => m.engineMs),
    share((m) => m.encodeMs),
  ].join(' / ');
  return `| ${label} | ${first.backend} | ${first.steps} | ${spread(runs.map((m) => m.seconds))} | ${spread(runs.map((m) => m.totalMs / 1000))} | ${spread(engine)} | ${spread(engine.map((s) => s / megapixels / first.steps), 3)} | ${shares} |`;
}

/** One memory row: the kernel's figure reported by the command, and GNU time's beside it. */
export function memoryRow(task: string, m: CliRunMeasure, megapixels: number): string {
  const gnu = m.gnuTimeRssMb === undefined ? 'n/a' : m.gnuTimeRssMb.toFixed(0);
  return `| ${task} | ${megapixels.toFixed(1)} | ${m.peakRssMb.toFixed(0)} | ${gnu} | ${m.seconds.toFixed(1)} | ${(m.engineMs / 1000 / megapixels / m.steps).toFixed(3)} |`;
}
