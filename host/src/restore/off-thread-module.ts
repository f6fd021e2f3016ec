import { ContainerModule } from 'inversify';
import { ImageCodec } from './image-codec.interface';
import { OffThreadWorker } from './off-thread-worker';
import { PrepareRunner } from './prepare-runner.interface';

/** A serving process keeps its event loop free: decoding, prepare and encoding go to a worker thread. */
export const offThreadModule = new ContainerModule((bind, _unbind, _isBound, rebind) => {
  bind(OffThreadWorker).toSelf().inSingletonScope().onDeactivation((worker) => worker.dispose());
  rebind<PrepareRunner>(PrepareRunner).toDynamicValue(({ container }) => container.get(OffThreadWorker));
  rebind<ImageCodec>(ImageCodec).toDynamicValue(({ container }) => container.get(OffThreadWorker));
});
