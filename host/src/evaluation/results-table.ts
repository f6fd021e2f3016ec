import type { Score, TaskResult } from './evaluate-task';

const fmt = (s: Score) => `${s.psnr.toFixed(2)} / ${s.ssim.toFixed(3)}`;
const gain = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(2)}`;

/**
 * The summary table: one row per task and setting, PSNR (dB) / SSIM of the input, fluxir's start, the
 * best classical method and fluxir, with fluxir's margin over the baseline and over its start on the
 * mean and on its worst photo.
 */
export function summaryTable(results: readonly TaskResult[]): string {
  const lines = [
    '| task | setting | steps | input | start | best classical (method) | fluxir | fluxir - classical: mean, worst photo (dB) | fluxir - start: mean, worst | s / MP / step |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const worst = (pick: (p: TaskResult['photos'][number]) => number) => Math.min(...r.photos.map(pick));
    const overBaseline = worst((p) => p.fluxir.psnr - p.baseline.psnr);
    const overStart = worst((p) => p.fluxir.psnr - p.start.psnr);
    lines.push(
      `| ${r.task} | ${r.setting} | ${r.steps} | ${fmt(r.mean.input)} | ${fmt(r.mean.start)} | ${fmt(r.mean.baseline)} (${r.baselineMethod}) | ${fmt(r.mean.fluxir)} | ${gain(r.mean.fluxir.psnr, r.mean.baseline.psnr)}, ${gain(overBaseline, 0)} | ${gain(r.mean.fluxir.psnr, r.mean.start.psnr)}, ${gain(overStart, 0)} | ${r.secondsPerMegapixelStep.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/** What each setting does, in words. */
export function settingsTable(results: readonly TaskResult[]): string {
  const lines = ['| task | setting | degradation |', '|---|---|---|'];
  for (const r of results) lines.push(`| ${r.task} | ${r.setting} | ${r.degradation} |`);
  return lines.join('\n');
}

/** Per photo, task and setting: PSNR of input, start, best classical and fluxir, so no photo hides behind a mean. */
export function perPhotoTable(results: readonly TaskResult[]): string {
  const lines = ['| task | setting | photo | input | start | best classical | fluxir | fluxir - classical |', '|---|---|---|---|---|---|---|---|'];
  for (const r of results) {
    for (const p of r.photos) {
      lines.push(
        `| ${r.task} | ${r.setting} | ${p.photo} | ${p.input.psnr.toFixed(2)} | ${p.start.psnr.toFixed(2)} | ${p.baseline.psnr.toFixed(2)} | ${p.fluxir.psnr.toFixed(2)} | ${gain(p.fluxir.psnr, p.baseline.psnr)} |`,
      );
    }
  }
  return lines.join('\n');
}
