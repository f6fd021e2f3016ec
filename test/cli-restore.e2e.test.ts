import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { psnr, readImage, toChannels, type Image } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { builtinExamples, builtinPackageName, builtinPluginIds } from '../host/src/plugins/builtin-plugins';
import { measureCliRestore } from '../host/src/evaluation/resource-benchmarks';
import { requireTool } from './required-tools';

/**
 * The built `fluxir` command on the bundled examples with the shipped weights, one run per task: the
 * restored image must beat every classical method the plugin names (for super-resolution bicubic,
 * Lanczos and back-projection among them; for inpainting the diffusion fill, inside the hole).
 */
const exec = promisify(execFile);
const root = resolve(__dirname, '..');
const cli = join(root, 'host', 'dist', 'cli', 'main.js');
/** The clean photo the bundled examples were degraded from. */
const cleanFruits = join(root, 'core', 'data', 'examples', 'clean-fruits.png');
/** Each built-in plugin's definition, from its sources. */
const plugins = builtinPluginIds().map((id) => (require(builtinPackageName(id)) as { default: PluginDefinition }).default);

/**
 * Where the shipped weights do not beat the best classical method on the bundled example yet, the
 * measured margin (docs/results.md): the test holds them to it, fails if they get worse, and fails
 * once the task wins, so the list only shrinks.
 */
const KNOWN_SHORTFALLS: Record<string, number> = {
  deblur: -0.47, // unsharp mask sigma 3, amount 1.5 (-0.61 before deblur 1.5.0 ran its path past t = 0)
  lowlight: -0.60, // stretch, gamma and guided filter, fluxir's own start: brighter and more saturated than the photo (-1.65 on the previous weights)
};
const MARGIN = 0.05;

let out: string;
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  out = mkdtempSync(join(tmpdir(), 'fluxir-e2e-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** One run of the built CLI per task on the bundled example, and the images the checks compare. */
interface TaskRun {
  readonly input: string;
  readonly output: string;
  readonly report: Record<string, unknown>;
  readonly clean: Image;
  readonly degraded: Image;
  readonly restored: Image;
  readonly mask?: Image;
}

describe.each(plugins.map((p) => [p.id, p] as const))('fluxir restore --task %s on the bundled example', (task, plugin) => {
  let run: TaskRun;
  beforeAll(async () => {
    const examples = builtinExamples(task);
    const input = join(examples.dir, 'fruits.png');
    const output = join(out, `${task}.png`);
    const args = [cli, 'restore', input, '--task', task, '-o', output, '--json'];
    if (plugin.requiresMask) args.push('--mask', examples.masks ?? '(no examples/masks folder)');
    const { stdout } = await exec(process.execPath, args, { cwd: root });
    run = {
      input,
      output,
      report: JSON.parse(stdout.trim()) as Record<string, unknown>,
      clean: toChannels((await readImage(cleanFruits)).image, 3),
      degraded: toChannels((await readImage(input)).image, 3),
      restored: toChannels((await readImage(output)).image, 3),
      mask: examples.masks ? (await readImage(join(examples.masks, 'fruits.png'))).image : undefined,
    };
  });

  it("prints a JSON report with the input, the output, the task, the plugin's version, its default steps and the engine time", () => {
    const { input, output, report } = run;
    expect(report).toMatchObject({ input, output, task, pluginVersion: plugin.version, steps: plugin.stepBudget.default });
    expect(typeof report.ms).toBe('number');
  });

  it('writes an image the size of the clean original', () => {
    expect([run.restored.width, run.restored.height]).toEqual([run.clean.width, run.clean.height]);
  });

  const known = KNOWN_SHORTFALLS[task];
  const claim =
    known === undefined
      ? 'beats the best classical method the plugin names in PSNR'
      : `is at most ${(MARGIN - known).toFixed(2)} dB below the best classical method in PSNR (its known shortfall, ${known} dB, with ${MARGIN} dB of slack), and fails once it wins`;
  it(claim, () => {
    const { clean, degraded, restored, mask } = run;
    const params = plugin.parseParams({});
    const border = task === 'superres' ? 4 : 0;
    const classical = Object.entries(plugin.training.baselines).map(([name, method]) => ({
      name,
      psnr: psnr(method(degraded, params, mask), clean, { border, mask }),
    }));
    const best = classical.reduce((a, b) => (b.psnr > a.psnr ? b : a));
    const gain = psnr(restored, clean, { border, mask }) - best.psnr;
    const verdict = known === undefined ? (gain > 0 ? 'wins' : 'loses') : gain > 0 ? 'wins: take it off the shortfalls' : gain >= known - MARGIN ? 'holds' : 'worse than its known shortfall';
    expect({ task, gain: Number(gain.toFixed(2)), best: best.name, verdict }).toMatchObject({ verdict: known === undefined ? 'wins' : 'holds' });
  });
});

describe('fluxir restore --json memory figure', () => {
  it("is the kernel's peak resident set of the whole run: over 50 MB and within 5% of GNU time's figure for the same process", async () => {
    requireTool(existsSync('/usr/bin/time'), 'GNU time is missing: apt-get install -y time (or npm run test:all, which installs it)');
    const input = join(builtinExamples('denoise').dir, 'fruits.png');
    const m = await measureCliRestore(cli, [input, '--task', 'denoise', '-o', join(out, 'rss.png')]);
    expect(m.gnuTimeRssMb).toBeDefined();
    expect(m.peakRssMb).toBeGreaterThan(50);
    expect(Math.abs(m.peakRssMb - (m.gnuTimeRssMb ?? 0)) / (m.gnuTimeRssMb ?? 1)).toBeLessThan(0.05);
  });
});
