import * as path from 'node:path';
import type { Logger } from '../logging/logger.interface';
import type { PluginRegistry } from './plugin-registry.interface';

/**
 * The last net of a serving process: an error nothing else caught (a promise a plugin left rejected
 * while loading, a throw in one of its timers) is logged and the process carries on, where Node would
 * end it. Every request, socket handler and job catches its own errors; this only covers code the host
 * does not call itself. When the error's stack runs through a loaded plugin's folder, that plugin is
 * taken out of service, since its state can no longer be trusted.
 * Returns a function that removes the handlers.
 */
export function installProcessSafetyNet(logger: Logger, registry?: () => PluginRegistry | undefined): () => void {
  const contain = (kind: string) => (error: unknown) => {
    const culprit = registry && pluginInStack(registry(), error);
    logger.error({ err: error, plugin: culprit?.id }, `${kind} caught by the process safety net; the host carries on`);
    if (culprit) culprit.isolate();
  };
  const onRejection = contain('unhandled promise rejection');
  const onException = contain('uncaught exception');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

function pluginInStack(registry: PluginRegistry | undefined, error: unknown): { id: string; isolate(): void } | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  if (!registry || !stack) return undefined;
  for (const plugin of registry.list()) {
    if (!stack.includes(plugin.dir + path.sep)) continue;
    const { id } = plugin.definition;
    const reason = `the plugin failed outside any job: ${error instanceof Error ? error.message : String(error)}`;
    return { id, isolate: () => registry.isolate(id, reason, plugin.packageVersion) };
  }
  return undefined;
}
