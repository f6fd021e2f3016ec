import { Engine, errors } from '@fluxir/core';
import { EngineProvider } from './engine-provider.interface';
import { captureLogger } from '../testing/capture-logger';
import { FakeEngine } from '../testing/fake-engine';
import { createHostContainer, disposeHostContainer } from '../host-container';

function hostWith(factory: () => Promise<Engine>) {
  return createHostContainer({ pluginDirs: [], searchNodeModules: false, engineVersion: '1.0.0', engineFactory: factory, logger: captureLogger().logger });
}

describe('the shared engine', () => {
  it('is created once, however it is asked for, and disposed with the container', async () => {
    let made = 0;
    const container = hostWith(async () => (made++, new FakeEngine()));
    const provider = container.get<EngineProvider>(EngineProvider);
    const [a, b, c] = await Promise.all([provider(), provider(), container.getAsync<Engine>(Engine)]);
    expect(made).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    await disposeHostContainer(container);
    expect((a as FakeEngine).disposed).toBe(true);
  });

  it('reports a failed start to the caller, without an unhandled rejection, and retries next time', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let attempts = 0;
      const container = hostWith(async () => {
        if (attempts++ === 0) throw errors.weights('no weights in /nowhere');
        return new FakeEngine();
      });
      await expect(container.getAsync<Engine>(Engine)).rejects.toMatchObject({ code: 'E_WEIGHTS' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      await expect(container.get<EngineProvider>(EngineProvider)()).resolves.toBeInstanceOf(FakeEngine);
      await disposeHostContainer(container);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
