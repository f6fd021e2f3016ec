import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadWeights, saveWeights } from '../model/weights-store';
import type { VelocityNetwork } from '../model/velocity-network';
import type { WeightsCard } from '../model/weights-card';

/** Training progress kept beside the checkpointed weights so that a run can resume. */
export interface TrainState {
  readonly stage: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly seconds: number;
  readonly history: ReadonlyArray<Record<string, number>>;
}

const STATE_FILE = 'state.json';
const OPTIMIZER_FILE = 'optimizer.bin';
const OPTIMIZER_SPECS = 'optimizer.json';

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, STATE_FILE));
}

export async function saveCheckpoint(
  dir: string,
  network: VelocityNetwork,
  optimizer: tf.Optimizer,
  state: TrainState,
  card: Omit<WeightsCard, 'files'>,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await saveWeights(dir, network, card);
  const { data, specs } = await tf.io.encodeWeights(await optimizer.getWeights());
  write(join(dir, OPTIMIZER_FILE), Buffer.from(data));
  write(join(dir, OPTIMIZER_SPECS), Buffer.from(JSON.stringify(specs)));
  // The state goes last: a checkpoint counts only once its state file names its step.
  write(join(dir, STATE_FILE), Buffer.from(JSON.stringify(state, null, 1)));
}

export async function loadCheckpoint(
  dir: string,
  optimizer: tf.Optimizer,
): Promise<{ network: VelocityNetwork; state: TrainState }> {
  const { network } = loadWeights(dir);
  const state = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as TrainState;
  if (existsSync(join(dir, OPTIMIZER_FILE))) {
    const specs = JSON.parse(readFileSync(join(dir, OPTIMIZER_SPECS), 'utf8')) as tf.io.WeightsManifestEntry[];
    const buf = readFileSync(join(dir, OPTIMIZER_FILE));
    const tensors = tf.io.decodeWeights(new Uint8Array(buf).buffer, specs);
    await optimizer.setWeights(specs.map((s) => ({ name: s.name, tensor: tensors[s.name] })));
  }
  return { network, state };
}

function write(path: string, data: Buffer): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
