import type { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { makeBenchImage, measureCliRestore, type CliRunMeasure } from '../evaluation/resource-benchmarks';
import { perPhotoTable, summaryTable } from '../evaluation/results-table';
import type { CliContext } from './cli-context';
import { runEvaluation, withEvalOptions, type EvalOptions } from './eval-command';

interface BenchOptions extends EvalOptions {
  readonly speedPhoto?: string;
  readonly bigMegapixels: number;
  readonly skipQuality?: boolean;
}

/**
 * `fluxir bench` (`npm run bench`): the quality table of `fluxir eval --task all`, then the time of a
 * 1-megapixel restore end to end and the peak memory of a 24-megapixel one, each as a user runs it.
 */
export const registerBenchCommand = (program: Command, cli: CliContext): void => {
  withEvalOptions(program.command('bench').description('quality, speed and memory figures for the README'))
    .option('--big-megapixels <mp>', 'size of the memory run', Number, 24)
    .option('--skip-quality', 'only the speed and memory runs')
    .action(async (options: BenchOptions) => {
      const sections: string[] = [];
      if (!options.skipQuality) {
        const results = await runEvaluation(cli, options);
        sections.push('## Quality', '', summaryTable(results), '', '### Per photo (PSNR dB)', '', perPhotoTable(results));
      }
      const work = mkdtempSync(join(tmpdir(), 'fluxir-bench-'));
      try {
        const photo = join(options.data[0], 'plasma-Kite.png');
        const source = existsSync(photo) ? photo : undefined;
        if (!source) throw new Error(`the speed and memory runs need ${photo}`);
        const cliScript = resolve(__dirname, 'main.js');
        const weights = options.weights ? ['--weights', options.weights] : [];
        const rows: string[] = [];
        const sizes = new Map<number, { width: number; height: number }>(); // each image size is made once
        // Every run at the plugin's budget (the speed target's terms): denoise at both sizes (its prepare
        // runs a whole-image filter too), low light (a whole-image exposure estimate) and dehaze (a
        // whole-image dark channel prior).
        for (const [label, mp, task] of [
          ['1 MP', 1, 'denoise'],
          ['1 MP', 1, 'lowlight'],
          ['1 MP', 1, 'dehaze'],
          [`${options.bigMegapixels} MP`, options.bigMegapixels, 'denoise'],
        ] as const) {
          const file = join(work, `bench-${mp}mp.png`);
          const size = sizes.get(mp) ?? (await makeBenchImage(source, mp, file));
          sizes.set(mp, size);
          const { width, height } = size;
          cli.stderr.write(`restoring a ${width}x${height} image (${task}, its default budget)...\n`);
          const m = await measureCliRestore(cliScript, [file, '--task', task, '-o', join(work, `out-${mp}-${task}.png`), ...weights]);
          rows.push(speedRow(`${label} (${width}x${height}), ${task}`, m, (width * height) / 1e6));
        }
        sections.push(
          '## Speed and memory',
          '',
          '| image, task | backend | steps | process (s) | decode to encode (s) | engine (s) | engine s / MP / step | peak RSS (MB) |',
          '|---|---|---|---|---|---|---|---|',
          ...rows,
        );
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

function speedRow(label: string, m: CliRunMeasure, megapixels: number): string {
  const engineSeconds = m.engineMs / 1000;
  return `| ${label} | ${m.backend} | ${m.steps} | ${m.seconds.toFixed(2)} | ${(m.totalMs / 1000).toFixed(2)} | ${engineSeconds.toFixed(2)} | ${(engineSeconds / megapixels / m.steps).toFixed(3)} | ${(m.peakRssBytes / 2 ** 20).toFixed(0)} |`;
}
