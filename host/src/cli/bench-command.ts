import type { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { dirname, join, resolve } from 'node:path';
import { builtinPluginIds } from '../plugins/builtin-plugins';
import { memoryRow, speedRow, MEMORY_HEADER, SPEED_HEADER } from '../evaluation/bench-rows';
import { makeBenchImage, measureCliRestore, type CliRunMeasure } from '../evaluation/resource-benchmarks';
import { perPhotoTable, settingsTable, summaryTable } from '../evaluation/results-table';
import type { CliContext } from './cli-context';
import { integerOption } from './host-options';
import { runEvaluation, withEvalOptions, type EvalOptions } from './eval-command';

interface BenchOptions extends EvalOptions {
  readonly bigMegapixels: number;
  readonly repeat: number;
  readonly skipQuality?: boolean;
  readonly skipMemory?: boolean;
}

/** The 1 MP speed runs: a task whose start is a whole-image filter (denoise) and the one whose start is a whole-image prior with the costliest prepare (dehaze). */
const SPEED_TASKS = ['denoise', 'dehaze'] as const;

/**
 * `fluxir bench` (`npm run bench`): the quality tables of `fluxir eval --task all`, then 1-megapixel
 * restores end to end (cold processes, several runs each: median and spread) and the peak memory of every
 * task at 24 megapixels of output, each run as a user runs it.
 */
export const registerBenchCommand = (program: Command, cli: CliContext): void => {
  withEvalOptions(program.command('bench').description('quality, speed and memory figures (docs/results.md)'))
    .option('--big-megapixels <mp>', 'output size of the memory runs', Number, 24)
    .option('--repeat <n>', 'runs of each speed row', integerOption('--repeat'), 5)
    .option('--skip-quality', 'only the speed and memory runs')
    .option('--skip-memory', 'only the quality and speed runs')
    .action(async (options: BenchOptions) => {
      const sections: string[] = [];
      if (!options.skipQuality) {
        const results = await runEvaluation(cli, options);
        sections.push('## Quality', '', summaryTable(results), '', settingsTable(results), '', '### Per photo (PSNR dB)', '', perPhotoTable(results), '');
      }
      const work = mkdtempSync(join(tmpdir(), 'fluxir-bench-'));
      try {
        const photo = options.data.map((dir) => join(dir, 'plasma-Kite.png')).find(existsSync);
        if (!photo) throw new Error(`the speed and memory runs need plasma-Kite.png in ${options.data.join(' or ')}`);
        const cliScript = resolve(__dirname, 'main.js');
        const weights = options.weights ? ['--weights', options.weights] : [];
        const made = new Map<number, { file: string; width: number; height: number }>(); // each size is made once
        const image = async (mp: number) => {
          const file = join(work, `bench-${mp}mp.png`);
          const size = made.get(mp) ?? { file, ...(await makeBenchImage(photo, mp, file)) };
          made.set(mp, size);
          return size;
        };
        const run = (file: string, task: string, extra: readonly string[] = []) =>
          measureCliRestore(cliScript, [file, '--task', task, ...extra, '-o', join(work, `out-${task}.png`), ...weights]);
        const speed: string[] = [];
        const one = await image(1);
        for (const task of SPEED_TASKS) {
          cli.stderr.write(`restoring a ${one.width}x${one.height} image with ${task} ${options.repeat} times...\n`);
          const runs: CliRunMeasure[] = [];
          for (let i = 0; i < options.repeat; i++) runs.push(await run(one.file, task));
          speed.push(speedRow(`1 MP (${one.width}x${one.height}), ${task}`, runs, (one.width * one.height) / 1e6));
        }
        sections.push('## Speed (cold `fluxir restore`, median [min - max] of the runs)', '', ...SPEED_HEADER, ...speed, '');
        if (!options.skipMemory) {
          const memory: string[] = [];
          const big = await image(options.bigMegapixels);
          const quarter = await image(options.bigMegapixels / 4);
          // Every built-in task at the big output size; superres x2 from an input a quarter of it.
          for (const task of builtinPluginIds()) {
            const input = task === 'superres' ? quarter : big;
            const extra = task === 'superres' ? ['--scale', '2'] : task === 'inpaint' ? ['--mask', await maskFor(work, input)] : [];
            cli.stderr.write(`restoring a ${input.width}x${input.height} image with ${task}...\n`);
            const m = await run(input.file, task, extra);
            memory.push(memoryRow(task, m, task === 'superres' ? (4 * input.width * input.height) / 1e6 : (input.width * input.height) / 1e6));
            cli.stderr.write(`${memory[memory.length - 1]}\n`);
          }
          sections.push(`## Memory (${options.bigMegapixels} MP of output, one run each)`, '', ...MEMORY_HEADER, ...memory);
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      const text = `${sections.join('\n')}\n`;
      cli.stdout.write(text);
      if (options.out) {
        mkdirSync(dirname(options.out), { recursive: true });
        writeFileSync(options.out, text);
      }
    });
};

/** A mask of the bench image's size with a few holes: a box and a band, about 5% of the image. */
async function maskFor(work: string, image: { file: string; width: number; height: number }): Promise<string> {
  const file = join(work, `mask-${image.width}x${image.height}.png`);
  const w = Math.round(image.width * 0.15);
  const h = Math.round(image.height * 0.2);
  const svg = `<svg width="${image.width}" height="${image.height}"><rect width="100%" height="100%" fill="black"/><rect x="${image.width / 3}" y="${image.height / 3}" width="${w}" height="${h}" fill="white"/><rect x="0" y="${(2 * image.height) / 3}" width="${image.width}" height="${Math.round(image.height * 0.02)}" fill="white"/></svg>`;
  await sharp(Buffer.from(svg), { limitInputPixels: false }).png({ compressionLevel: 1 }).toFile(file);
  return file;
}
