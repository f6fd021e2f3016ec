import {
  defaultPhotoSplit,
  errors,
  readCard,
  defaultWeightsDir,
  distillStudent,
  engineVersion,
  resolveBackend,
  RELATIVE_LOSS_FLOOR,
  DEFAULT_START_SHARE,
  trainFlowMatching,
  trainTrajectoryRl,
  type PhotoSplit,
  type TaskSpec,
  type WeightsCard,
} from '@fluxir/core';
import type { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import { trainingTaskOf } from '../plugins/plugin-training';
import { disposeHostContainer } from '../host-container';
import { planPluginFineTune, seedCheckpoint } from '../plugin-tools/plugin-fine-tune';
import type { CliContext } from './cli-context';
import { taskWeightsOption, weightedTasks } from './task-weights';
import { photoFoldersOption } from './photo-folders-option';
import { recordContinuation } from './training-lineage';
import { integerOption, nonNegativeNumberOption, openHost, positiveNumberOption, shareOption, stepListOption, withHostOptions, type HostCommandOptions } from './host-options';

type Stage = 'flow' | 'rl' | 'distill';

interface TrainOptions extends HostCommandOptions {
  readonly stage: Stage;
  readonly data: string[];
  readonly split?: string;
  readonly from?: string;
  readonly out?: string;
  readonly checkpoint?: string;
  readonly resume?: boolean;
  readonly steps?: number;
  readonly batch?: number;
  readonly patch?: number;
  readonly lr?: number;
  readonly startNoise: number;
  readonly seed: number;
  readonly tasks?: string;
  readonly taskWeights: Record<string, number>;
  readonly rlSteps: number[];
  readonly rollouts: number;
  readonly stateWeight: number;
  readonly terminalWeight: number;
  readonly lossFloor: number;
  readonly startShare: number;
  readonly startGuard: number;
  readonly lowGuard: number;
  readonly zoomOut: number;
  readonly plugin?: string;
  readonly pluginWeight: number;
}

/** Defaults per stage: stage 1 is long; stages 2 and 3 fine-tune the previous stage's weights. */
const STAGE_DEFAULTS: Record<Stage, { steps: number; batch: number; patch: number; lr: number }> = {
  flow: { steps: 5000, batch: 8, patch: 96, lr: 1e-3 },
  rl: { steps: 500, batch: 4, patch: 64, lr: 1e-4 },
  distill: { steps: 700, batch: 4, patch: 64, lr: 1e-4 },
};

/** `fluxir train`: stage 1 (flow matching), 2 (trajectory RL) or 3 (cost-aware distillation). */
export const registerTrainCommand = (program: Command, cli: CliContext): void => {
  withHostOptions(
    program
      .command('train')
      .description('train the multi-task model on a folder of photos (the validation split is held out)')
      .addOption(new Option('--stage <stage>', 'flow (stage 1), rl (stage 2) or distill (stage 3)').choices(['flow', 'rl', 'distill']).default('flow'))
      .requiredOption('--data <dirs>', 'folders of photos (PNG, JPEG, WebP, TIFF), comma-separated or repeated', photoFoldersOption)
      .option('--split <file>', 'JSON file with a "validation" list of file names (default: the shipped split)')
      .option('--from <dir>', 'weights to start from (required for rl and distill)')
      .option('--out <dir>', 'where the finished weights go (default: train-runs/<stage>/final)')
      .option('--checkpoint <dir>', 'checkpoint folder (default: train-runs/<stage>/checkpoint)')
      .option('--resume', 'continue from the checkpoint folder')
      .option('--steps <n>', 'optimisation steps', integerOption('--steps'))
      .option('--batch <n>', 'patches per step', integerOption('--batch'))
      .option('--patch <px>', 'patch side (a multiple of 8)', integerOption('--patch'))
      .option('--lr <rate>', 'peak learning rate', positiveNumberOption('--lr'))
      .option('--start-noise <s>', 'stage 1: start-noise scale s of the path y + s*eps', positiveNumberOption('--start-noise'), 0.02)
      .option('--seed <n>', 'random seed', integerOption('--seed'), 7)
      .option('--tasks <ids>', 'comma-separated task ids (default: every installed plugin)')
      .option('--task-weights <list>', 'how often each task appears in the task rotation, e.g. denoise=3,lowlight=2 (default 1)', taskWeightsOption, {})
      .option('--rl-steps <list>', 'stage 2: step counts drawn per batch for the rollouts and the policy', stepListOption, [1, 2, 4, 8])
      .option('--rollouts <g>', 'stage 2: rollouts per sample (the first is the ODE)', integerOption('--rollouts'), 4)
      .option('--state-weight <w>', 'stage 2: weight of the regression onto the best rollout', nonNegativeNumberOption('--state-weight'), 1)
      .option('--terminal-weight <w>', 'stage 2: weight of the terminal fidelity term', nonNegativeNumberOption('--terminal-weight'), 1)
      .option('--loss-floor <p>', 'floor of the residual power in the relative losses (all stages)', positiveNumberOption('--loss-floor'), RELATIVE_LOSS_FLOOR)
      .option('--start-share <p>', 'stage 1: share of samples at t = 1, where a 1-step restore runs the network', shareOption('--start-share'), DEFAULT_START_SHARE)
      .option('--start-guard <w>', 'stage 1: weight of the penalty on samples whose estimate is worse than their start', nonNegativeNumberOption('--start-guard'), 0)
      .option('--low-guard <w>', 'stage 1: weight of the same penalty on 16 px block means (wrong brightness or colour)', nonNegativeNumberOption('--low-guard'), 0)
      .option('--zoom-out <f>', 'stage 1: shrink half the training crops by up to this factor (1: never)', positiveNumberOption('--zoom-out'), 1)
      .option('--plugin <dir>', "add this plugin's task to the --from weights (default: the shipped ones) by a short fine-tune on every task")
      .option('--plugin-weight <k>', "with --plugin: how many times the plugin's task appears in the task rotation", integerOption('--plugin-weight'), 3),
  ).action(async (options: TrainOptions, command: Command) => {
    if (options.stage !== 'flow' && !options.from) throw new InvalidArgumentError(`--stage ${options.stage} needs --from <weights dir>`);
    if (options.plugin && options.stage !== 'flow') throw new InvalidArgumentError('--plugin fine-tunes with stage 1 (flow); drop --stage');
    const container = openHost(cli, options.plugin ? { ...options, pluginDir: [...options.pluginDir, options.plugin] } : options);
    try {
      const registry = container.get<PluginRegistry>(PluginRegistry);
      const ids = options.tasks ? options.tasks.split(',').map((s) => s.trim()) : registry.ids();
      const { tasks, run } = options.plugin
        ? pluginFineTune(options, registry, ids, cli)
        : { tasks: weightedTasks(ids, options.taskWeights, (id) => trainingTaskOf(registry.resolve(id))), run: options.stage === 'flow' && options.from ? continueFlow(options, command.getOptionValueSource('startNoise') === 'cli', cli) : options };
      const backend = await resolveBackend(options.backend ?? 'auto');
      cli.stderr.write(`training stage ${options.stage} on ${ids.join(', ')} (${backend})\n`);
      const card = await runStage(run, tasks, backend, cli);
      if (options.stage === 'flow' && options.from && !options.plugin) recordContinuation(outDir(run), options.from);
      cli.stdout.write(`weights written to ${outDir(run)} (stage ${card.stage}, ${card.training.steps} steps)\n`);
    } finally {
      await disposeHostContainer(container);
    }
  });
};

const outDir = (o: TrainOptions) => o.out ?? `train-runs/${o.stage}/final`;

/** `--plugin DIR`: a short, gentle stage-1 run from trained weights on every task, the plugin's more often. */
function pluginFineTune(options: TrainOptions, registry: PluginRegistry, ids: readonly string[], cli: CliContext) {
  const run = {
    ...options,
    steps: options.steps ?? 300,
    batch: options.batch ?? 4,
    patch: options.patch ?? 96,
    lr: options.lr ?? 2e-4,
    out: options.out ?? 'train-runs/plugin/final',
    checkpoint: options.checkpoint ?? 'train-runs/plugin/checkpoint',
    resume: true,
  };
  const fromDir = options.from ?? defaultWeightsDir();
  const request = { pluginDir: options.plugin as string, fromDir, outDir: run.out, checkpointDir: run.checkpoint, steps: run.steps, weight: options.pluginWeight, resume: !!options.resume };
  const plan = planPluginFineTune(request, registry, ids);
  cli.stderr.write(`adding ${plan.added.join(', ')} to ${fromDir} (${options.pluginWeight} of ${plan.tasks.length} entries of the task list)\n`);
  return { tasks: plan.tasks, run: { ...run, startNoise: plan.startNoise } };
}

/**
 * `--stage flow --from DIR`: more stage-1 training from trained weights (fresh optimiser, step 0) through
 * a checkpoint seeded with them, so it resumes like any other run; the start-noise scale is the weights'
 * unless `--start-noise` is given.
 */
function continueFlow(options: TrainOptions, startNoiseGiven: boolean, cli: CliContext): TrainOptions {
  const fromDir = options.from as string;
  const steps = options.steps ?? STAGE_DEFAULTS.flow.steps;
  const checkpoint = options.checkpoint ?? 'train-runs/flow/checkpoint';
  const out = outDir(options);
  if (path.resolve(out) === path.resolve(fromDir)) throw errors.invalidParameter('--out', 'a folder other than the starting weights (they are never overwritten)', out);
  const card = readCard(fromDir);
  if (!(options.resume && existsSync(path.join(checkpoint, 'state.json')))) {
    seedCheckpoint(fromDir, checkpoint, steps, Object.keys(card.files));
    cli.stderr.write(`continuing stage 1 from ${fromDir} for ${steps} steps\n`);
  }
  return { ...options, steps, checkpoint, resume: true, startNoise: startNoiseGiven ? options.startNoise : card.startNoise };
}

async function runStage(options: TrainOptions, tasks: readonly TaskSpec[], backend: string, cli: CliContext): Promise<WeightsCard> {
  const defaults = STAGE_DEFAULTS[options.stage];
  const split: PhotoSplit = options.split ? (JSON.parse(readFileSync(options.split, 'utf8')) as PhotoSplit) : defaultPhotoSplit();
  // Loaded here: every other command starts without it.
  const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
  const bar: SingleBar = new Bar({
    format: `${options.stage} {bar} {percentage}% | step {value}/{total} | {status} | ETA {eta_formatted}`,
    stream: cli.stderr as NodeJS.WritableStream,
    etaBuffer: 100,
    // A training run usually writes to a log file (nohup ... > train.log): print a line every 30 s there.
    noTTYOutput: true,
    notTTYSchedule: 30_000,
  });
  let started = false;
  const progress = (step: number, total: number, status: string) => {
    if (!started) bar.start(total, step - 1, { status });
    started = true;
    bar.update(step, { status });
  };
  const note = (text: string) => cli.stderr.write(`\n${text}\n`);
  const common = {
    tasks,
    photosDir: options.data,
    split,
    outDir: outDir(options),
    checkpointDir: options.checkpoint ?? `train-runs/${options.stage}/checkpoint`,
    resume: !!options.resume,
    steps: options.steps ?? defaults.steps,
    batchSize: options.batch ?? defaults.batch,
    patchSize: options.patch ?? defaults.patch,
    learningRate: options.lr ?? defaults.lr,
    seed: options.seed,
    lossFloor: options.lossFloor,
    engineVersion: engineVersion(),
    backend,
  };
  try {
    switch (options.stage) {
      case 'flow':
        return await trainFlowMatching({
          ...common,
          startNoise: options.startNoise,
          startShare: options.startShare,
          startGuard: options.startGuard,
          lowGuard: options.lowGuard,
          zoomOut: options.zoomOut,
          endpointL1: 0.5,
          checkpointEvery: 100,
          evalEvery: 250,
          onProgress: (p) => progress(p.step, p.totalSteps, `loss ${p.loss.toFixed(4)}`),
          onEval: (e) => note(`held-out PSNR at step ${e.step}: ${formatTasks(e.tasks, (r) => `${r.input.toFixed(1)}->${r.output.toFixed(1)}`)}`),
        });
      case 'rl':
        return await trainTrajectoryRl({
          ...common,
          initialWeights: options.from as string,
          rolloutSteps: Math.max(...options.rlSteps),
          rolloutStepChoices: options.rlSteps,
          rollouts: options.rollouts,
          stateWeight: options.stateWeight,
          terminalWeight: options.terminalWeight,
          checkpointEvery: 50,
          evalEvery: 100,
          onProgress: (p) => progress(p.step, p.totalSteps, `loss ${p.loss.toFixed(4)} | reward ${p.meanReward.toFixed(2)} dB (best - ODE ${p.meanGap.toFixed(3)})`),
          onEval: (e) => note(`held-out PSNR at step ${e.step}: ${formatTasks(e.tasks, (r) => `${r.reference.toFixed(2)}->${r.policy.toFixed(2)}`)}`),
        });
      case 'distill':
        return await distillStudent({
          ...common,
          initialWeights: options.from as string,
          checkpointEvery: 50,
          evalEvery: 250,
          onCalibrated: (_c, seconds) => note(`schedules calibrated in ${seconds.toFixed(0)} s`),
          onProgress: (p) => progress(p.step, p.totalSteps, `loss ${p.loss.toFixed(4)}`),
          onEval: (e) => note(`held-out PSNR at step ${e.step}: ${JSON.stringify(e.budgets)}`),
        });
    }
  } finally {
    bar.stop();
  }
}

function formatTasks<T>(tasks: Record<string, T>, format: (r: T) => string): string {
  return Object.entries(tasks)
    .map(([id, r]) => `${id} ${format(r)}`)
    .join(' | ');
}
