import { meanOverTasks, type AblationPoint } from './step-ablation';

const cell = (p?: AblationPoint) => (p ? `${p.psnr.toFixed(2)} / ${p.ssim.toFixed(3)} / ${(p.ms / 1000).toFixed(2)} s` : '');

/**
 * Markdown: per task (and the mean over tasks), one row per variant, one column per step budget;
 * each cell is PSNR (dB) / SSIM / engine seconds per photo.
 */
export function ablationTable(points: readonly AblationPoint[]): string {
  const all = [...meanOverTasks(points), ...points];
  const steps = [...new Set(all.map((p) => p.steps))].sort((a, b) => a - b);
  const variants = [...new Set(all.map((p) => p.variant))];
  const tasks = [...new Set(all.map((p) => p.task))];
  const lines = [`| task | variant | ${steps.map((k) => `K = ${k}`).join(' | ')} |`, `|---|---|${steps.map(() => '---|').join('')}`];
  for (const task of tasks) {
    for (const variant of variants) {
      const row = steps.map((k) => cell(all.find((p) => p.task === task && p.variant === variant && p.steps === k)));
      if (row.some((c) => c)) lines.push(`| ${task} | ${variant} | ${row.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

export interface TargetCheck {
  readonly claim: string;
  readonly measured: string;
  readonly met: boolean;
}

/**
 * The method's claims, checked on the mean over tasks: RL gains over stage 1 at equal steps,
 * distilled K = 2 against the N-step teacher (quality and speed), distilled against uniform Euler at K <= 2.
 */
export function ablationChecks(points: readonly AblationPoint[], names: { stage1: string; stage2: string; stage3: string }, teacherSteps: number): TargetCheck[] {
  const mean = meanOverTasks(points);
  const at = (variant: string, k: number) => mean.find((p) => p.variant === variant && p.steps === k);
  const checks: TargetCheck[] = [];
  const s1 = at(names.stage1, teacherSteps);
  const s2 = at(names.stage2, teacherSteps);
  if (s1 && s2) {
    const gain = s2.psnr - s1.psnr;
    checks.push({ claim: `stage 2 over stage 1 at N = ${teacherSteps}: at least +0.3 dB`, measured: `${signed(gain)} dB`, met: gain >= 0.3 });
  }
  const k2 = at(names.stage3, 2);
  if (k2 && s2) {
    const gap = s2.psnr - k2.psnr;
    const speedup = s2.ms / k2.ms;
    checks.push({ claim: `distilled K = 2 within 0.2 dB of the N = ${teacherSteps} teacher`, measured: `${signed(-gap)} dB`, met: gap <= 0.2 });
    checks.push({ claim: `distilled K = 2 at least 6x faster than the teacher`, measured: `${speedup.toFixed(1)}x`, met: speedup >= 6 });
  }
  for (const k of [1, 2]) {
    const distilled = at(names.stage3, k);
    const uniform = at(names.stage2, k);
    if (distilled && uniform) {
      const gain = distilled.psnr - uniform.psnr;
      checks.push({ claim: `distilled K = ${k} over uniform Euler K = ${k}: at least +1 dB`, measured: `${signed(gain)} dB`, met: gain >= 1 });
    }
  }
  return checks;
}

export function checksTable(checks: readonly TargetCheck[]): string {
  return ['| claim | measured | met |', '|---|---|---|', ...checks.map((c) => `| ${c.claim} | ${c.measured} | ${c.met ? 'yes' : 'no'} |`)].join('\n');
}

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
