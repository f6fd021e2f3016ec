import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from './cli-context';

/**
 * `fluxir average-weights DIR... --out DIR`: the parameter-wise mean of training runs that started
 * from the same weights (a model soup); `fluxir eval --weights` then says whether it beats each run.
 */
export const registerAverageCommand = (program: Command, cli: CliContext): void => {
  program
    .command('average-weights <dirs...>')
    .description('average the parameters of two or more runs trained from the same weights (a model soup) into new weights')
    .requiredOption('--out <dir>', 'where the averaged weights go')
    .action(async (dirs: string[], options: { out: string }) => {
      const { averageWeights, resolveBackend } = await import('@fluxir/core');
      await resolveBackend('auto');
      const card = await averageWeights(dirs.map((d) => resolve(d)), resolve(options.out));
      cli.stdout.write(`averaged ${dirs.length} runs into ${resolve(options.out)} (weights.bin ${card.files['weights.bin'].slice(0, 12)})\n`);
    });
};
