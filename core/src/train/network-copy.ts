import * as tf from '@tensorflow/tfjs-core';
import { loadWeights, type LoadedWeights } from '../model/weights-store';
import { VelocityNetwork } from '../model/velocity-network';

let copies = 0;

/**
 * A copy of a network whose variables carry fresh names. tfjs refuses two variables of the same name,
 * and loadWeights names them after the parameters, so two weights cannot be loaded side by side
 * without this (e.g. a frozen reference beside the trained policy, or the three networks of the
 * ablation). Frozen copies are not trainable.
 */
export function cloneNetwork(network: VelocityNetwork, trainable = false): VelocityNetwork {
  const tag = `#copy${++copies}`;
  const params = Object.fromEntries(
    Object.entries(network.params).map(([name, p]) => [name, tf.variable(p, trainable, `${name}${tag}`)]),
  );
  return new VelocityNetwork(network.config, params);
}

/** Loads weights under fresh variable names (see cloneNetwork), leaving the parameter names free. */
export function loadWeightsCopy(dir: string, trainable = false): LoadedWeights {
  const loaded = loadWeights(dir);
  const network = cloneNetwork(loaded.network, trainable);
  Object.values(loaded.network.params).forEach((p) => p.dispose());
  return { network, card: loaded.card };
}

export function disposeNetwork(network: VelocityNetwork): void {
  Object.values(network.params).forEach((p) => p.dispose());
}
