import { defaultPhotoSplit, writeImage, type PhotoSplit } from '@fluxir/core';
import type { Command } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import { restorerOf } from '../evaluation/restorer';
import { loadEvalPhotos } from '../evaluation/eval-photos';
import { evalSettings, evaluateTask, type PhotoImages, type TaskResult } from '../evaluation/evaluate-task';
import { perPhotoTable, settingsTable, summaryTable } from '../evaluation/results-table';
import { photoFoldersOption } from './photo-folders-option';
import { disposeHostContainer } from '../host-container';
import type { CliContext } from './cli-context';
import { integerOption, openHost, withHostOptions, type HostCommandOptions } from './host-options';

export interface EvalOptions extends HostCommandOptions {
  readonly task: string;
  readonly data: string[];
  readonly settings?: string;
  readonly split?: string;
  readonly steps?: number;
  readonly maxSide: number;
  readonly limit?: number;
  readonly json?: boolean;
  readonly out?: string;
  readonly saveImages?: string;
}

/** `fluxir eval`: input, classical baseline and fluxir side by side on the validation photos. */
export const registerEvalCommand = (program: Command, cli: CliContext): void => {
  withEvalOptions(
    program.command('eval').description('measure PSNR/SSIM of the degraded input, the classical baseline and fluxir per task'),
  ).action(async (options: EvalOptions) => {
    const results = await runEvaluation(cli, options);
    if (options.json) cli.stdout.write(`${JSON.stringify(results)}\n`);
    else cli.stdout.write(`${summaryTable(results)}\n\n${perPhotoTable(results)}\n`);
    if (options.out) mkdirSync(dirname(options.out), { recursive: true });
    if (options.out) writeFileSync(options.out, `${summaryTable(results)}\n\n${settingsTable(results)}\n\n${perPhotoTable(results)}\n`);
  });
};

export function withEvalOptions(command: Command): Command {
  return withHostOptions(
    command
      .option('--task <ids>', 'task ids, comma-separated, or all', 'all')
      .requiredOption('--data <dirs>', 'folders of clean photos, comma-separated or repeated (their validation split is used)', photoFoldersOption)
      .option('--settings <names>', 'evaluation settings, comma-separated (default: every setting of each task; standard is the fixed benchmark one)')
      .option('--split <file>', 'JSON file with a "validation" list (default: the shipped split)')
      .option('--steps <k>', 'step budget (default: each plugin’s own)', integerOption('--steps'))
      .option('--max-side <px>', 'centre-crop photos to at most this side', integerOption('--max-side'), 512)
      .option('--limit <n>', 'evaluate at most this many photos', integerOption('--limit'))
      .option('--json', 'print the full results as JSON')
      .option('--out <file>', 'also write the tables (markdown) to this file')
      .option('--save-images <dir>', 'write each photo as PNG to DIR/TASK/SETTING/: clean, input, start and fluxir'),
  );
}

export async function runEvaluation(cli: CliContext, options: EvalOptions): Promise<TaskResult[]> {
  const container = openHost(cli, options);
  try {
    const registry = container.get<PluginRegistry>(PluginRegistry);
    const restorer = restorerOf(container);
    const ids = options.task === 'all' ? registry.ids() : options.task.split(',').map((id) => id.trim());
    const names = options.settings?.split(',').map((s) => s.trim());
    // Every plugin's settings first: one that cannot be evaluated stops the run before any photo is read.
    const plans = ids.map((id) => registry.resolve(id)).map((plugin) => ({ plugin, settings: evalSettings(plugin, names) }));
    const split: PhotoSplit = options.split ? (JSON.parse(readFileSync(options.split, 'utf8')) as PhotoSplit) : defaultPhotoSplit();
    const photos = await loadEvalPhotos(options.data, split, options.maxSide, options.limit);
    const results: TaskResult[] = [];
    for (const { plugin, settings } of plans) {
      const id = plugin.id;
      for (const setting of settings) {
        const onImages = options.saveImages ? imageWriter(join(options.saveImages, id, setting.name)) : undefined;
        const result = await evaluateTask(plugin, photos, restorer, options.steps, setting, { onImages });
        cli.stderr.write(
          `${id} ${setting.name}: input ${result.mean.input.psnr.toFixed(2)} dB, start ${result.mean.start.psnr.toFixed(2)}, ` +
            `best classical ${result.mean.baseline.psnr.toFixed(2)} (${result.baselineMethod}), fluxir ${result.mean.fluxir.psnr.toFixed(2)} dB (${photos.length} photos)\n`,
        );
        results.push(result);
      }
    }
    return results;
  } finally {
    await disposeHostContainer(container);
  }
}

/** Writes a photo's images as DIR/NAME-clean.png, -input.png, -start.png and -fluxir.png. */
function imageWriter(dir: string) {
  mkdirSync(dir, { recursive: true });
  return async (photo: string, images: PhotoImages): Promise<void> => {
    for (const [kind, image] of Object.entries(images)) await writeImage(join(dir, `${parse(photo).name}-${kind}.png`), image);
  };
}
