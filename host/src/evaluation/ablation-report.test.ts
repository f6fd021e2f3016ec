import { ablationChecks, ablationTable } from './ablation-table';
import { meanOverTasks, type AblationPoint } from './step-ablation';
import { stepsPlotSvg } from './steps-plot';

const names = { stage1: 's1', stage2: 's2', stage3: 's3' };
const point = (variant: string, task: string, steps: number, psnr: number, ms: number): AblationPoint => ({
  variant,
  task,
  steps,
  schedule: [],
  psnr,
  ssim: 0.8,
  ms,
});

const points: AblationPoint[] = [
  point('s1', 'denoise', 2, 27, 200),
  point('s1', 'denoise', 16, 28, 1600),
  point('s1', 'dehaze', 16, 18, 1600),
  point('s2', 'denoise', 2, 27.5, 200),
  point('s2', 'denoise', 16, 28.6, 1600),
  point('s2', 'dehaze', 16, 18.4, 1600),
  point('s3', 'denoise', 2, 28.5, 200),
  point('s3', 'dehaze', 2, 18.3, 200),
];

describe('step ablation report', () => {
  it('averages over tasks per variant and step count, each task weighted equally', () => {
    const mean = meanOverTasks(points);
    expect(mean.find((p) => p.variant === 's2' && p.steps === 16)?.psnr).toBeCloseTo(23.5, 6);
    expect(mean.find((p) => p.variant === 's3' && p.steps === 2)?.psnr).toBeCloseTo(23.4, 6);
  });

  it('checks the method claims on the means and says which are met', () => {
    const checks = ablationChecks(points, names, 16);
    const byClaim = Object.fromEntries(checks.map((c) => [c.claim.split(':')[0], c]));
    // stage 2 - stage 1 at 16: mean(28.6, 18.4) - mean(28, 18) = 0.5
    expect(byClaim['stage 2 over stage 1 at N = 16']).toMatchObject({ measured: '+0.50 dB', met: true });
    // teacher 23.5 vs distilled K = 2 23.4: 0.1 dB below
    expect(byClaim['distilled K = 2 within 0.2 dB of the N = 16 teacher']).toMatchObject({ measured: '-0.10 dB', met: true });
    expect(byClaim['distilled K = 2 at least 6x faster than the teacher']).toMatchObject({ measured: '8.0x', met: true });
    // uniform K = 2 for stage 2 exists only for denoise (27.5): mean 27.5 vs distilled mean 23.4
    expect(byClaim['distilled K = 2 over uniform Euler K = 2']).toMatchObject({ met: false });
  });

  it('tabulates every task, the mean and every variant with a column per step count', () => {
    const table = ablationTable(points);
    expect(table.split('\n')[0]).toBe('| task | variant | K = 2 | K = 16 |');
    expect(table).toContain('| denoise | s3 | 28.50 / 0.800 / 0.20 s |  |');
    expect(table).toContain('| mean | s1 |');
  });

  it('draws one panel per task plus the mean and one line per variant', () => {
    const svg = stepsPlotSvg(points, 'PSNR <vs> steps');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('PSNR &lt;vs&gt; steps');
    expect(svg.match(/font-weight="bold">(mean over tasks|denoise|dehaze)</g)).toHaveLength(3);
    // 3 variants in the mean panel, 3 in denoise, 2 in dehaze (s1 and s2 at 16 only, s3 at 2)
    expect(svg.match(/<polyline/g)).toHaveLength(9);
  });
});
