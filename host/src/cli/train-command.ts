import { defaultPhotoSplit, engineVersion, resolveBackend, trainFlowMatching, type PhotoSplit } from '@fluxir/core';
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { PluginRegistry } from '../common/plugin-registry-protocol';
import { disposeHostContainer } from '../node/host-container';
import type { CliContext } from './cli-context';
import { integerOption, openHost, positiveNumberOption, withHostOptions, type HostCommandOptions } from './host-options';

interface TrainOptions extends HostCommandOptions {
  readonly stage: 'flow';
  readonly data: string;
  readonly split?: string;
  readonly out: string;
  readonly checkpoint: string;
  readonly resume?: boolean;
  readonly steps: number;
  readonly batch: number;
  readonly patch: number;
  readonly lr: number;
  readonly startNoise: number;
  readonly seed: number;
  readonly tasks?: string;
}

/** `fluxir train`: stage 1 (flow matching) over every installed task plugin's degradations. */
export const registerTrainCommand = (program: Command, cli: CliContext): void => {
  withHostOptions(
    program
      .command('train')
      .description('train the multi-task model on a folder of photos (the validation split is held out)')
      .addOption(new Option('--stage <stage>', 'training stage').choices(['flow']).default('flow'))
      .requiredOption('--data <dir>', 'folder of photos (PNG, JPEG, WebP, TIFF)')
      .option('--split <file>', 'JSON file with a "validation" list of file names (default: the shipped split)')
      .option('--out <dir>', 'where the finished weights go', 'train-runs/flow/final')
      .option('--checkpoint <dir>', 'checkpoint folder', 'train-runs/flow/checkpoint')
      .option('--resume', 'continue from the checkpoint folder')
      .option('--steps <n>', 'optimisation steps', integerOption('--steps'), 5000)
      .option('--batch <n>', 'patches per step', integerOption('--batch'), 8)
      .option('--patch <px>', 'patch side (a multiple of 8)', integerOption('--patch'), 96)
      .option('--lr <rate>', 'peak learning rate (cosine decay)', positiveNumberOption('--lr'), 1e-3)
      .option('--start-noise <s>', 'start-noise scale s of the path y + s*eps', positiveNumberOption('--start-noise'), 0.02)
      .option('--seed <n>', 'random seed', integerOption('--seed'), 7)
      .option('--tasks <ids>', 'comma-separated task ids (default: every installed plugin)'),
  ).action(async (options: TrainOptions) => {
    const container = openHost(cli, options);
    try {
      const registry = container.get<PluginRegistry>(PluginRegistry);
      const ids = options.tasks ? options.tasks.split(',').map((s) => s.trim()) : registry.ids();
      const tasks = ids.map((id) => registry.resolve(id));
      const backend = await resolveBackend(options.backend ?? 'auto');
      const split: PhotoSplit = options.split ? (JSON.parse(readFileSync(options.split, 'utf8')) as PhotoSplit) : defaultPhotoSplit();
      cli.stderr.write(`training ${ids.join(', ')} on ${backend}\n`);
      const bar = new SingleBar({
        format: 'train {bar} {percentage}% | step {value}/{total} | loss {loss} | ETA {eta_formatted}',
        stream: cli.stderr as NodeJS.WritableStream,
        etaBuffer: 200,
      });
      let started = false;
      const card = await trainFlowMatching({
        tasks,
        photosDir: options.data,
        split,
        outDir: options.out,
        checkpointDir: options.checkpoint,
        resume: !!options.resume,
        steps: options.steps,
        batchSize: options.batch,
        patchSize: options.patch,
        learningRate: options.lr,
        startNoise: options.startNoise,
        endpointL1: 0.5,
        seed: options.seed,
        checkpointEvery: 100,
        evalEvery: 250,
        engineVersion: engineVersion(),
        backend,
        onProgress: (p) => {
          if (!started) bar.start(p.totalSteps, p.step - 1, { loss: '-' });
          started = true;
          bar.update(p.step, { loss: p.loss.toFixed(4) });
        },
        onEval: (e) => {
          const parts = Object.entries(e.tasks).map(([id, r]) => `${id} ${r.input.toFixed(1)}->${r.output.toFixed(1)}`);
          cli.stderr.write(`\nheld-out PSNR at step ${e.step}: ${parts.join(' | ')}\n`);
        },
      });
      bar.stop();
      cli.stdout.write(`weights written to ${options.out} (${card.training.steps} steps, ${card.training.seconds} s)\n`);
    } finally {
      await disposeHostContainer(container);
    }
  });
};
