import * as tf from '@tensorflow/tfjs-core';
import { errors } from '../common/errors';
import type { NetworkConfig } from './network-config';
import { parameterShapes, VelocityNetwork } from './velocity-network';
import type { WeightsCard } from './weights-card';
import { loadWeights, saveWeights } from './weights-store';

/** How many residual blocks each level gets; at least what the weights have, level for level. */
export interface GrowthPlan {
  readonly encoderBlocks: readonly number[];
  readonly decoderBlocks: readonly number[];
}

/** Where grown weights came from. */
export interface GrownFrom {
  readonly dir: string;
  readonly sha256: string;
  readonly encoderBlocks: readonly number[];
  readonly decoderBlocks: readonly number[];
}

/**
 * Trained weights with more residual blocks, computing exactly what they computed before: every old
 * parameter is kept, and each new block's second convolution starts at zero, so the block adds
 * nothing until training moves it (a zero-initialised residual branch, as in Fixup and ReZero). Its
 * first convolution and its scale-and-shift start as a fresh block's do, so the gradient reaches
 * them as soon as the second convolution leaves zero. Capacity then grows without starting the
 * training over. Refuses (E_WEIGHTS) a plan with fewer blocks anywhere or another number of levels.
 */
export function growNetwork(network: VelocityNetwork, plan: GrowthPlan, seed = 1): VelocityNetwork {
  const config = grownConfig(network.config, plan);
  const fresh = VelocityNetwork.create(config, seed);
  const params: Record<string, tf.Variable> = {};
  for (const [name, shape] of parameterShapes(config)) {
    const old = network.params[name];
    if (old) {
      fresh.params[name].dispose();
      params[name] = tf.variable(old.clone(), true);
    } else {
      params[name] = fresh.params[name];
      if (/\.(w2|b2)$/.test(name)) tf.tidy(() => params[name].assign(tf.zeros(shape)));
    }
  }
  return new VelocityNetwork(config, params);
}

/** `growNetwork` on a weights folder, written to `out` with the old card and `results.grownFrom`. */
export async function growWeights(dir: string, plan: GrowthPlan, out: string): Promise<WeightsCard> {
  const { network, card } = loadWeights(dir);
  let grown: VelocityNetwork | undefined;
  try {
    grown = growNetwork(network, plan);
    const { files, ...rest } = card;
    const grownFrom: GrownFrom = { dir, sha256: files['weights.bin'], ...plan };
    return await saveWeights(out, grown, { ...rest, createdAt: new Date().toISOString(), results: { grownFrom } });
  } finally {
    Object.values(network.params).forEach((p) => p.dispose());
    if (grown) Object.values(grown.params).forEach((p) => p.dispose());
  }
}

function grownConfig(config: NetworkConfig, plan: GrowthPlan): NetworkConfig {
  const levels = config.channels.length;
  const check = (label: string, now: readonly number[], wanted: readonly number[], count: number) => {
    const valid = wanted.length === count && wanted.every((n, i) => Number.isInteger(n) && n >= (now[i] ?? 0) && n <= 8);
    if (!valid) {
      throw errors.weights(`${label} blocks must be ${count} whole numbers, each at least the current [${now.join(',')}] and at most 8; got [${wanted.join(',')}]`);
    }
  };
  check('encoder', config.encoderBlocks, plan.encoderBlocks, levels);
  check('decoder', config.decoderBlocks, plan.decoderBlocks, levels - 1);
  return { ...config, encoderBlocks: [...plan.encoderBlocks], decoderBlocks: [...plan.decoderBlocks] };
}
