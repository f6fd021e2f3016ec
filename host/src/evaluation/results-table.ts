import type { Score, TaskResult } from './evaluate-task';

const fmt = (s: Score) => `${s.psnr.toFixed(2)} / ${s.ssim.toFixed(3)}`;
const gain = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(2)}`;

/** The summary table: one row per task, PSNR (dB) / SSIM of input, baseline and fluxir. */
export function summaryTable(results: readonly TaskResult[]): string {
  const lines = [
    '| task | degradation | steps | input | classical baseline | fluxir | fluxir - baseline (dB) | s / MP / step |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.task} | ${r.degradation} | ${r.steps} | ${fmt(r.mean.input)} | ${fmt(r.mean.baseline)} | ${fmt(r.mean.fluxir)} | ${gain(r.mean.fluxir.psnr, r.mean.baseline.psnr)} | ${r.secondsPerMegapixelStep.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/** Per photo and task: PSNR of input, baseline and fluxir, so that no photo hides behind a mean. */
export function perPhotoTable(results: readonly TaskResult[]): string {
  const lines = ['| task | photo | input | baseline | fluxir |', '|---|---|---|---|---|'];
  for (const r of results) {
    for (const p of r.photos) {
      lines.push(`| ${r.task} | ${p.photo} | ${p.input.psnr.toFixed(2)} | ${p.baseline.psnr.toFixed(2)} | ${p.fluxir.psnr.toFixed(2)} |`);
    }
  }
  return lines.join('\n');
}
