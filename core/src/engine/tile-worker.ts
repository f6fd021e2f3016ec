import { parentPort, workerData } from 'node:worker_threads';
import { resolveBackend, type BackendChoice } from '../backend/resolve-backend';
import { sizeMultiple } from '../model/network-config';
import { networkFromStored } from '../model/weights-store';
import { InProcessStepper, warmUp, type TileStepRequest } from './tile-stepper';
import type { WorkerWeights } from './worker-pool-stepper';

/**
 * A worker thread with its own backend instance and its own copy of the model. Under Node the wasm
 * backend runs one thread per instance, so two workers use two cores.
 */
interface WorkerInit {
  readonly backend: BackendChoice;
  /** The side of the warm-up step. */
  readonly warmUpSide: number;
}

type WorkerMessage = { readonly weights: WorkerWeights } | { readonly id: number; readonly request: TileStepRequest };

const port = parentPort;
if (!port) throw new Error('tile-worker must run as a worker thread');
const init = workerData as WorkerInit;
// The backend starts at once; the weights come from the engine, which reads and checks them meanwhile.
let receiveWeights: (weights: WorkerWeights) => void = () => undefined;
const weights = new Promise<WorkerWeights>((resolve) => (receiveWeights = resolve));
const ready = (async () => {
  await resolveBackend(init.backend);
  const network = networkFromStored(await weights);
  const stepper = new InProcessStepper(network);
  const multiple = sizeMultiple(network.config);
  await warmUp(stepper, network.config.promptBuckets, Math.ceil(init.warmUpSide / multiple) * multiple);
  return stepper;
})();

ready.then(
  () => port.postMessage({ ready: true }),
  (error: Error) => port.postMessage({ ready: false, error: error.message }),
);

port.on('message', (message: WorkerMessage) => {
  if ('weights' in message) {
    receiveWeights(message.weights);
    return;
  }
  ready
    .then((stepper) => stepper.step(message.request))
    .then((result) => {
      const transfer = [result.stepped.buffer, ...(result.estimate ? [result.estimate.buffer] : [])] as ArrayBuffer[];
      port.postMessage({ id: message.id, result }, transfer);
    })
    .catch((error: Error) => port.postMessage({ id: message.id, error: error.message }));
});
