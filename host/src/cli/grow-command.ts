import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from './cli-context';
import { wholeNumberListOption } from './host-options';

/**
 * `fluxir grow-weights DIR --encoder-blocks LIST --decoder-blocks LIST --out DIR`: trained weights with
 * more residual blocks that compute exactly what the old ones did, so `fluxir train --from` can go on
 * training the larger network instead of starting over; `fluxir bench` says what the blocks cost.
 */
export const registerGrowCommand = (program: Command, cli: CliContext): void => {
  program
    .command('grow-weights <dir>')
    .description('add residual blocks to trained weights without changing what they compute, to train a larger network from them')
    .requiredOption('--encoder-blocks <list>', 'residual blocks per level on the way down, full resolution first (e.g. 1,1,1,2)', wholeNumberListOption)
    .requiredOption('--decoder-blocks <list>', 'residual blocks per level on the way up, full resolution first (e.g. 1,1,1)', wholeNumberListOption)
    .requiredOption('--out <dir>', 'where the grown weights go')
    .action(async (dir: string, options: { encoderBlocks: number[]; decoderBlocks: number[]; out: string }) => {
      const { growWeights, resolveBackend } = await import('@fluxir/core');
      await resolveBackend('auto');
      const plan = { encoderBlocks: options.encoderBlocks, decoderBlocks: options.decoderBlocks };
      const card = await growWeights(resolve(dir), plan, resolve(options.out));
      cli.stdout.write(
        `grew ${resolve(dir)} to encoder blocks [${plan.encoderBlocks.join(',')}], decoder blocks [${plan.decoderBlocks.join(',')}] in ${resolve(options.out)} (weights.bin ${card.files['weights.bin'].slice(0, 12)})\n`,
      );
    });
};
