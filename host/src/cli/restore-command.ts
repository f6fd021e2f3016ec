import { DEFAULT_MAX_PIXELS, MAX_STEPS } from '@fluxir/core';
import type { Command } from 'commander';
import { disposeHostContainer } from '../host-container';
import type { CliContext } from './cli-context';
import { integerOption, openHost, positiveNumberOption, withHostOptions, type HostCommandOptions } from './host-options';
import { nodeFileSystem } from './input-files';
import { ConsoleReporter, JsonReporter } from './report';
import { runRestoreBatch } from './restore-batch';

interface RestoreCommandOptions extends HostCommandOptions {
  readonly task: string;
  readonly output: string;
  readonly steps?: number;
  readonly scale?: number;
  readonly mask?: string;
  readonly seed?: number;
  readonly json?: boolean;
  readonly maxPixels: number;
}

/** `fluxir restore IN... --task T -o OUT`: exit code 1 when any image (or the request) failed. */
export const registerRestoreCommand = (program: Command, cli: CliContext): void => {
  withHostOptions(
    program
      .command('restore')
      .description('restore image files, or every image in folders, with one task')
      .argument('<inputs...>', 'image files (png, jpg, webp, tiff) or folders of them')
      .requiredOption('-t, --task <task>', 'the restoration task (see `fluxir plugins`)')
      .requiredOption('-o, --output <path>', 'output file for one input, or a folder (kept file names)')
      .option('--steps <k>', `sampling steps, 1 to ${MAX_STEPS} (default: the task's budget)`, integerOption('--steps'))
      .option('--scale <factor>', 'super-resolution factor: 2 or 4', integerOption('--scale'))
      .option('--mask <file|dir>', 'fill mask (white = fill); a folder is matched by file name')
      .option('--seed <n>', 'noise seed, for reproducible results', integerOption('--seed'))
      .option('--json', 'print one JSON line per image instead of progress bars')
      .option('--max-pixels <n>', 'refuse larger images before decoding them', positiveNumberOption('--max-pixels'), DEFAULT_MAX_PIXELS),
  ).action(async (inputs: string[], options: RestoreCommandOptions) => {
    const reporter = options.json ? new JsonReporter(cli.stdout) : new ConsoleReporter(cli.stdout, cli.stderr);
    const container = openHost(cli, options);
    const controller = new AbortController();
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    try {
      const failures = await runRestoreBatch(
        container,
        {
          inputs,
          output: options.output,
          mask: options.mask,
          task: options.task,
          params: options.scale === undefined ? {} : { scale: options.scale },
          steps: options.steps,
          seed: options.seed,
          maxPixels: options.maxPixels,
          signal: controller.signal,
        },
        reporter,
        nodeFileSystem,
      );
      reporter.finish();
      if (failures !== 0) cli.exitCode = Math.max(cli.exitCode, 1);
    } finally {
      process.removeListener('SIGINT', cancel);
      await disposeHostContainer(container);
    }
  });
};
