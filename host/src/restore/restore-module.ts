import 'reflect-metadata';
import { createEngine, Engine } from '@fluxir/core';
import { ContainerModule } from 'inversify';
import { DefaultRestorePlanner } from './default-restore-planner';
import { DefaultRestoreService } from './default-restore-service';
import { EngineFactory, EngineProvider } from './engine-provider.interface';
import { ImageCodec } from './image-codec.interface';
import { InThreadImageCodec } from './in-thread-image-codec';
import { InThreadPrepareRunner } from './in-thread-prepare-runner';
import { PrepareRunner } from './prepare-runner.interface';
import { RestorePlanner } from './restore-planner.interface';
import { RestoreService } from './restore-service.interface';
import { SharedEngine } from './shared-engine';

/** The shared engine, planning and restoring. HostOptions and Logger are bound by whoever creates the container. */
export const restoreModule = new ContainerModule((bind) => {
  bind<EngineFactory>(EngineFactory).toConstantValue((options) => createEngine(options));
  // The one engine, shared by every plugin and request: SharedEngine is the singleton that owns it.
  bind(SharedEngine).toSelf().inSingletonScope().onDeactivation((shared) => shared.dispose());
  bind<Engine>(Engine).toDynamicValue(({ container }) => container.get(SharedEngine).get());
  bind<EngineProvider>(EngineProvider).toDynamicValue(({ container }) => {
    const shared = container.get(SharedEngine);
    return () => shared.get();
  });
  bind<PrepareRunner>(PrepareRunner).to(InThreadPrepareRunner).inSingletonScope();
  bind<ImageCodec>(ImageCodec).to(InThreadImageCodec).inSingletonScope();
  bind<RestorePlanner>(RestorePlanner).to(DefaultRestorePlanner).inSingletonScope();
  bind<RestoreService>(RestoreService).to(DefaultRestoreService).inSingletonScope();
});
