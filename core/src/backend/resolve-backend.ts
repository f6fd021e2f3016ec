import * as tf from '@tensorflow/tfjs-core';
import { registerWasmGradients } from './wasm-gradients';

export type BackendName = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/**
 * Picks the fastest backend that is present: the native TensorFlow bindings when installed (they are
 * optional because they download a binary at install time), else the wasm backend shipped inside its
 * npm package, else the plain cpu backend. Returns the name of the one in use.
 */
export async function resolveBackend(choice: BackendChoice = 'auto'): Promise<BackendName> {
  const order: BackendName[] = choice === 'auto' ? ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] : [choice];
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (await activate(name)) return name;
      failures.push(`${name}: not available`);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}

async function activate(name: BackendName): Promise<boolean> {
  switch (name) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      if (!isInstalled(`@tensorflow/${name}`)) return false;
      // Loading the native binding registers the 'tensorflow' backend with tfjs.
      require(`@tensorflow/${name}`);
      return tf.setBackend('tensorflow');
    }
    case 'wasm': {
      require('@tensorflow/tfjs-backend-wasm');
      const ok = await tf.setBackend('wasm');
      if (ok) registerWasmGradients();
      return ok;
    }
    case 'cpu':
      // Loaded only when chosen: a tile worker on wasm has no use for it.
      require('@tensorflow/tfjs-backend-cpu');
      return tf.setBackend('cpu');
  }
}

/**
 * The backend `choice` will resolve to when that is wasm, known without starting anything: then tile
 * workers can start their own wasm backends at once, while this thread starts its.
 */
export function foreseenWasm(choice: BackendChoice): boolean {
  return choice === 'wasm' || (choice === 'auto' && !isInstalled('@tensorflow/tfjs-node-gpu') && !isInstalled('@tensorflow/tfjs-node'));
}

function isInstalled(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
