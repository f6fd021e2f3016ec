import { parentPort, workerData } from 'node:worker_threads';
import { resolveBackend, type BackendChoice } from '../backend/resolve-backend';
import { sizeMultiple } from '../model/network-config';
import { loadWeights } from '../model/weights-store';
import { InProcessStepper, warmUp, type TileStepRequest } from './tile-stepper';

/**
 * A worker thread with its own backend instance and its own copy of the model. Under Node the wasm
 * backend runs one thread per instance, so two workers use two cores.
 */
interface WorkerInit {
  readonly weightsDir: string;
  readonly backend: BackendChoice;
  /** The side of the warm-up step: the engine's tile size. */
  readonly warmUpSide: number;
}

const port = parentPort;
if (!port) throw new Error('tile-worker must run as a worker thread');
const init = workerData as WorkerInit;
const ready = (async () => {
  await resolveBackend(init.backend);
  const { network } = loadWeights(init.weightsDir);
  const stepper = new InProcessStepper(network);
  const multiple = sizeMultiple(network.config);
  await warmUp(stepper, network.config.promptBuckets, Math.ceil(init.warmUpSide / multiple) * multiple);
  return stepper;
})();

ready.then(
  () => port.postMessage({ ready: true }),
  (error: Error) => port.postMessage({ ready: false, error: error.message }),
);

port.on('message', (message: { id: number; request: TileStepRequest }) => {
  ready
    .then((stepper) => stepper.step(message.request))
    .then((result) => {
      const transfer = [result.stepped.buffer, ...(result.estimate ? [result.estimate.buffer] : [])] as ArrayBuffer[];
      port.postMessage({ id: message.id, result }, transfer);
    })
    .catch((error: Error) => port.postMessage({ id: message.id, error: error.message }));
});
