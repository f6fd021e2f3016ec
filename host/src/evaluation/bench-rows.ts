import type { CliRunMeasure } from './resource-benchmarks';

export const SPEED_HEADER = [
  '| image, task | backend | steps | process (s) | decode to encode (s) | engine (s) | engine s / MP / step | start-up / decode / prepare / engine start / engine / encode share of the process |',
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

/**
 * The parts of a cold run's wall time, in the order the command goes through them: start-up (loading
 * the program and the host, and exiting), decoding, the plugin's prepare, waiting for the engine to
 * start (its workers start with the command, so only what is left after prepare), the engine, encoding.
 */
export function runParts(m: CliRunMeasure): readonly number[] {
  const wall = m.seconds * 1000;
  const engineStart = Math.max(0, m.totalMs - m.decodeMs - m.prepareMs - m.engineMs - m.encodeMs);
  return [Math.max(0, wall - m.totalMs), m.decodeMs, m.prepareMs, engineStart, m.engineMs, m.encodeMs];
}

/** One speed row from several cold runs of the same restore. */
export function speedRow(label: string, runs: readonly CliRunMeasure[], megapixels: number): string {
  const first = runs[0];
  const engine = runs.map((m) => m.engineMs / 1000);
  const parts = runs.map(runParts);
  const shares = parts[0]
    .map((_, i) => `${Math.round(100 * median(runs.map((m, r) => parts[r][i] / Math.max(m.seconds * 1000, 1))))}%`)
    .join(' / ');
  return `| ${label} | ${first.backend} | ${first.steps} | ${spread(runs.map((m) => m.seconds))} | ${spread(runs.map((m) => m.totalMs / 1000))} | ${spread(engine)} | ${spread(engine.map((s) => s / megapixels / first.steps), 3)} | ${shares} |`;
}

/** One memory row: the kernel's figure reported by the command, and GNU time's beside it. */
export function memoryRow(task: string, m: CliRunMeasure, megapixels: number): string {
  const gnu = m.gnuTimeRssMb === undefined ? 'n/a' : m.gnuTimeRssMb.toFixed(0);
  return `| ${task} | ${megapixels.toFixed(1)} | ${m.peakRssMb.toFixed(0)} | ${gnu} | ${m.seconds.toFixed(1)} | ${(m.engineMs / 1000 / megapixels / m.steps).toFixed(3)} |`;
}
