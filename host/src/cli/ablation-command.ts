import { defaultPhotoSplit, defaultWeightsDir, type PhotoSplit } from '@fluxir/core';
import type { Command } from 'commander';
import type { Container } from 'inversify';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sharp from 'sharp';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import { ablationChecks, ablationTable, checksTable } from '../evaluation/ablation-table';
import { loadEvalPhotos } from '../evaluation/eval-photos';
import { restorerOf } from '../evaluation/restorer';
import { measureStepAblation, type AblationVariant } from '../evaluation/step-ablation';
import { stepsPlotSvg } from '../evaluation/steps-plot';
import { disposeHostContainer } from '../host-container';
import type { CliContext } from './cli-context';
import { integerOption, openHost, stepListOption, withHostOptions, type HostCommandOptions } from './host-options';

interface AblationOptions extends HostCommandOptions {
  readonly data: string;
  readonly split?: string;
  readonly task: string;
  readonly stage1: string;
  readonly stage2: string;
  readonly stage3: string;
  readonly uniform: number[];
  readonly distilled: number[];
  readonly teacher: number;
  readonly maxSide: number;
  readonly limit?: number;
  readonly out?: string;
  readonly plot?: string;
}

const shipped = (name: string) => resolve(defaultWeightsDir(), '..', name);
const NAMES = { stage1: 'stage 1, uniform Euler', stage2: 'stage 2 (RL), uniform Euler', stage3: 'stage 3, distilled schedule' };

/**
 * `fluxir ablation`: what trajectory RL and cost-aware distillation each add, per task, on the
 * validation photos: stage 1 and stage 2 weights with uniform Euler steps (the teacher's N and each
 * budget K) and the distilled stage-3 weights on their own schedules; a table, the method's claims
 * checked, and a plot of PSNR against steps.
 */
export const registerAblationCommand = (program: Command, cli: CliContext): void => {
  withHostOptions(
    program
      .command('ablation')
      .description('PSNR/SSIM/time of stage 1, stage 2 and distilled stage 3 weights against the step count')
      .requiredOption('--data <dir>', 'folder of clean photos (the validation split is used when present)')
      .option('--split <file>', 'JSON file with a "validation" list (default: the shipped split)')
      .option('--task <id>', 'a task id, or all', 'all')
      .option('--stage1 <dir>', 'stage-1 (flow-matching) weights (the shipped default)', defaultWeightsDir())
      .option('--stage2 <dir>', 'stage-2 (RL) weights', shipped('stage2'))
      .requiredOption('--stage3 <dir>', 'stage-3 (distilled) weights, from fluxir train --stage distill')
      .option('--uniform <list>', 'step counts for uniform Euler (stages 1 and 2)', stepListOption, [1, 2, 4, 8, 16])
      .option('--distilled <list>', 'budgets for the distilled schedules', stepListOption, [1, 2, 4])
      .option('--teacher <n>', 'the teacher step count the claims compare with', integerOption('--teacher'), 16)
      .option('--max-side <px>', 'centre-crop photos to at most this side', integerOption('--max-side'), 256)
      .option('--limit <n>', 'at most this many photos', integerOption('--limit'))
      .option('--out <file>', 'write the tables (markdown) here')
      .option('--plot <file>', 'write the PSNR-against-steps plot here (.svg; a .png is rendered beside it)'),
  ).action(async (options: AblationOptions) => {
    const containers: Container[] = [];
    const open = (weights: string) => {
      const container = openHost(cli, { ...options, weights });
      containers.push(container);
      return container;
    };
    try {
      const variants: AblationVariant[] = [
        { name: NAMES.stage1, steps: options.uniform, restorer: restorerOf(open(options.stage1)) },
        { name: NAMES.stage2, steps: options.uniform, restorer: restorerOf(open(options.stage2)) },
        { name: NAMES.stage3, steps: options.distilled, restorer: restorerOf(open(options.stage3)) },
      ];
      const registry = containers[0].get<PluginRegistry>(PluginRegistry);
      const plugins = (options.task === 'all' ? registry.ids() : [options.task]).map((id) => registry.resolve(id));
      const split: PhotoSplit = options.split ? (JSON.parse(readFileSync(options.split, 'utf8')) as PhotoSplit) : defaultPhotoSplit();
      const photos = await loadEvalPhotos(options.data, split, options.maxSide, options.limit);
      const points = await measureStepAblation(plugins, photos, variants, (p) =>
        cli.stderr.write(`${p.task} | ${p.variant} | K = ${p.steps}: ${p.psnr.toFixed(2)} dB, SSIM ${p.ssim.toFixed(3)}, ${(p.ms / 1000).toFixed(2)} s\n`),
      );
      const text = [
        `PSNR (dB) / SSIM / engine seconds per photo, ${photos.length} validation photos centre-cropped to ${options.maxSide} px.`,
        '',
        ablationTable(points),
        '',
        checksTable(ablationChecks(points, NAMES, options.teacher)),
        '',
      ].join('\n');
      cli.stdout.write(text);
      if (options.out) write(options.out, text);
      if (options.plot) {
        const svg = stepsPlotSvg(points, `PSNR against sampling steps (${photos.length} validation photos)`);
        write(options.plot, svg);
        if (options.plot.endsWith('.svg')) await sharp(Buffer.from(svg)).png().toFile(options.plot.replace(/\.svg$/, '.png'));
      }
    } finally {
      for (const container of containers) await disposeHostContainer(container);
    }
  });
};

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
