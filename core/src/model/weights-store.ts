import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../common/errors';
import type { NetworkConfig } from './network-config';
import { VelocityNetwork } from './velocity-network';
import type { WeightsCard } from './weights-card';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const CARD_FILE = 'card.json';
const FORMAT = 'fluxir-velocity-unet';

interface ModelJson {
  readonly format: string;
  readonly network: NetworkConfig;
  readonly weightsManifest: tf.io.WeightsManifestConfig;
}

/** Writes the network in tfjs weights format (model.json + one shard) and its card with SHA-256 sums. */
export async function saveWeights(
  dir: string,
  network: VelocityNetwork,
  card: Omit<WeightsCard, 'files'>,
): Promise<WeightsCard> {
  mkdirSync(dir, { recursive: true });
  const named = Object.entries(network.params).map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const model: ModelJson = {
    format: FORMAT,
    network: network.config,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  const files: Record<string, Buffer> = {
    [MODEL_FILE]: Buffer.from(JSON.stringify(model, null, 1)),
    [WEIGHTS_FILE]: Buffer.from(data),
  };
  const sums = Object.fromEntries(Object.entries(files).map(([name, buf]) => [name, sha256(buf)]));
  const full: WeightsCard = { ...card, files: sums };
  files[CARD_FILE] = Buffer.from(JSON.stringify(full, null, 2) + '\n');
  for (const [name, buf] of Object.entries(files)) atomicWrite(join(dir, name), buf);
  return full;
}

export interface LoadedWeights {
  readonly network: VelocityNetwork;
  readonly card: WeightsCard;
}

/**
 * A weights folder read and checked against its card, before any tensor exists: the bytes can go to
 * other threads, each of which builds its own network from them (see networkFromStored).
 */
export interface StoredWeights {
  readonly card: WeightsCard;
  readonly config: NetworkConfig;
  readonly specs: tf.io.WeightsManifestEntry[];
  /** The weights shard, in memory that threads share: handing it to a worker copies nothing. */
  readonly shard: SharedArrayBuffer;
}

/** Loads weights from disk, refusing (E_WEIGHTS) files that do not match their card. */
export function loadWeights(dir: string): LoadedWeights {
  const stored = readStoredWeights(dir);
  return { network: networkFromStored(stored), card: stored.card };
}

/** Reads a weights folder and checks every file's SHA-256 against the card (E_WEIGHTS when one differs). */
export function readStoredWeights(dir: string): StoredWeights {
  const card = readJson<WeightsCard>(join(dir, CARD_FILE));
  if (!card.files || !card.files[MODEL_FILE] || !card.files[WEIGHTS_FILE]) {
    throw errors.weights(`${join(dir, CARD_FILE)} does not list the SHA-256 of ${MODEL_FILE} and ${WEIGHTS_FILE}`);
  }
  const buffers: Record<string, Uint8Array> = {};
  for (const [name, expected] of Object.entries(card.files)) {
    const path = join(dir, name);
    if (!existsSync(path)) throw errors.weights(`${path} is missing`);
    const buf = name === WEIGHTS_FILE ? readShared(path) : readFileSync(path);
    const actual = sha256(buf);
    if (actual !== expected) throw errors.weights(`${path} has SHA-256 ${actual}, the card says ${expected}`);
    buffers[name] = buf;
  }
  const model = JSON.parse(Buffer.from(buffers[MODEL_FILE]).toString('utf8')) as ModelJson;
  if (model.format !== FORMAT) throw errors.weights(`${dir} holds "${model.format}", expected "${FORMAT}"`);
  const specs = model.weightsManifest.flatMap((group) => group.weights);
  return { card, config: model.network, specs, shard: buffers[WEIGHTS_FILE].buffer as SharedArrayBuffer };
}

/** A file read into shared memory. */
function readShared(path: string): Uint8Array {
  const bytes = new Uint8Array(new SharedArrayBuffer(statSync(path).size));
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; at < bytes.length; ) {
      const read = readSync(fd, bytes, at, bytes.length - at, at);
      if (read === 0) throw errors.weights(`${path} ended after ${at} of ${bytes.length} bytes`);
      at += read;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * The network of stored weights, as variables on the current backend. Plain float32 weights (what
 * saveWeights writes) go to the backend straight from the shard; anything else is decoded by tfjs.
 */
export function networkFromStored(stored: Pick<StoredWeights, 'config' | 'specs' | 'shard'>): VelocityNetwork {
  const tensors = stored.specs.every((spec) => spec.dtype === 'float32' && !spec.quantization)
    ? float32Tensors(stored.shard, stored.specs)
    : tf.io.decodeWeights(new Uint8Array(stored.shard).slice().buffer, stored.specs);
  const params = Object.fromEntries(
    Object.entries(tensors).map(([name, tensor]) => [name, tf.variable(tensor, true)]),
  );
  Object.values(tensors).forEach((t) => t.dispose());
  return new VelocityNetwork(stored.config, params);
}

function float32Tensors(shard: ArrayBufferLike, specs: readonly tf.io.WeightsManifestEntry[]): tf.NamedTensorMap {
  const tensors: tf.NamedTensorMap = {};
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > shard.byteLength) throw errors.weights(`the weights shard ends before ${spec.name}`);
    tensors[spec.name] = tf.tensor(new Float32Array(shard, offset, size), spec.shape, 'float32');
    offset += size * 4;
  }
  return tensors;
}

export function readCard(dir: string): WeightsCard {
  return readJson<WeightsCard>(join(dir, CARD_FILE));
}

export function sha256(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw errors.weights(`cannot read ${path}: ${(error as Error).message}`);
  }
}

function atomicWrite(path: string, data: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
