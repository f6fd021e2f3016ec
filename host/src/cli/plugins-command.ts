import { DISTILLED_BUDGETS, DISTILLED_STAGE, TEACHER_STEPS, defaultWeightsDir, readCard, scheduleEndingAt, type Engine, type WeightsCard } from '@fluxir/core';
import type { Command } from 'commander';
import type { Container } from 'inversify';
import { EngineProvider } from '../restore/engine-provider.interface';
import { HostOptions } from '../host-options.interface';
import { Logger } from '../logging/logger.interface';
import { PluginRegistry, type LoadedPlugin } from '../plugins/plugin-registry.interface';
import { disposeHostContainer } from '../host-container';
import type { CliContext } from './cli-context';
import { openHost, withHostOptions, type HostCommandOptions } from './host-options';

interface PluginsCommandOptions extends HostCommandOptions {
  readonly json?: boolean;
}

/** `fluxir plugins`: what each installed task plugin is, its budget and its schedule on this engine. */
export const registerPluginsCommand = (program: Command, cli: CliContext): void => {
  withHostOptions(
    program
      .command('plugins')
      .description('list the restoration tasks: plugin versions, prompts, step budgets and schedules')
      .option('--json', 'print one JSON document'),
  ).action(async (options: PluginsCommandOptions) => {
    const container = openHost(cli, options);
    try {
      const registry = container.get<PluginRegistry>(PluginRegistry);
      const engine = await engineIfAvailable(container);
      const card = engine ? weightsCard(container) : undefined;
      const plugins = registry.list().map((plugin) => describe(plugin, engine, card));
      if (options.json) {
        const engineInfo = engine ? { version: engine.version, backend: engine.backend } : null;
        cli.stdout.write(`${JSON.stringify({ engine: engineInfo, plugins, failures: registry.failures() })}\n`);
      } else {
        cli.stdout.write(formatTable(plugins, engine));
        for (const failure of registry.failures()) cli.stderr.write(`not loaded: ${failure.message}\n`);
      }
    } finally {
      await disposeHostContainer(container);
    }
  });
};

interface PluginDescription {
  readonly id: string;
  readonly package: string;
  readonly version: string;
  readonly title: string;
  readonly prompt: string;
  /** The families and ranges of degradation the task was trained on. */
  readonly trainedOn: string;
  readonly stepBudget: { readonly default: number; readonly min: number; readonly max: number };
  readonly requiresMask: boolean;
  /** The sampling times at the default budget; null when the engine could not start. */
  readonly schedule: readonly number[] | null;
  /** Per step budget: the sampling times and whether they were distilled (else uniform Euler steps). */
  readonly schedules: Readonly<Record<string, { readonly schedule: readonly number[]; readonly distilled: boolean }>>;
}

/** The budgets worth listing: the distilled ones, the default and the teacher's grid. */
const LISTED_BUDGETS = [...new Set([...DISTILLED_BUDGETS, TEACHER_STEPS])];

function describe(plugin: LoadedPlugin, engine: Engine | undefined, card: WeightsCard | undefined): PluginDescription {
  const { definition } = plugin;
  const budgets = [...new Set([...LISTED_BUDGETS, definition.stepBudget.default])]
    .filter((k) => k >= definition.stepBudget.min && k <= definition.stepBudget.max)
    .sort((a, b) => a - b);
  // The times that run: the engine's schedule, ending where the plugin ends its path.
  const times = (running: Engine, k: number) => scheduleEndingAt(running.schedule(definition.id, k), definition.pathEnd);
  const distilled = (k: number) => card?.stage === DISTILLED_STAGE && !!card.schedules[definition.id]?.[String(k)];
  return {
    id: definition.id,
    package: plugin.packageName,
    version: plugin.packageVersion,
    title: definition.title,
    prompt: definition.prompt,
    trainedOn: definition.training?.degradationDescription ?? 'not described',
    stepBudget: { ...definition.stepBudget },
    requiresMask: definition.requiresMask,
    schedule: engine ? times(engine, definition.stepBudget.default) : null,
    schedules: engine ? Object.fromEntries(budgets.map((k) => [String(k), { schedule: times(engine, k), distilled: distilled(k) }])) : {},
  };
}

/** The engine's card says which schedules were distilled; a fake or foreign engine may have none. */
function weightsCard(container: Container): WeightsCard | undefined {
  try {
    return readCard(container.get<HostOptions>(HostOptions).weightsDir ?? defaultWeightsDir());
  } catch {
    return undefined;
  }
}

/** Listing plugins must work without weights, so a failing engine only costs the schedules. */
async function engineIfAvailable(container: Container): Promise<Engine | undefined> {
  try {
    return await container.get<EngineProvider>(EngineProvider)();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    container.get<Logger>(Logger).warn({}, `the engine did not start, so schedules are not shown: ${reason}`);
    return undefined;
  }
}

function formatTable(plugins: readonly PluginDescription[], engine: Engine | undefined): string {
  const lines = [engine ? `engine ${engine.version} on ${engine.backend}` : 'engine not available'];
  if (!plugins.length) lines.push('no plugins found');
  for (const p of plugins) {
    const budget = `${p.stepBudget.default} ${p.stepBudget.default === 1 ? 'step' : 'steps'} (${p.stepBudget.min}-${p.stepBudget.max})`;
    lines.push('', `${p.id}  ${p.title}  ${p.package} ${p.version}${p.requiresMask ? '  needs a mask' : ''}`);
    lines.push(`  prompt:   ${p.prompt}`, `  trained:  ${p.trainedOn}`, `  budget:   ${budget}`);
    for (const [k, { schedule, distilled }] of Object.entries(p.schedules)) {
      const mark = Number(k) === p.stepBudget.default ? ' (default)' : '';
      lines.push(`  K = ${k.padEnd(2)} ${distilled ? 'distilled' : 'uniform  '}  ${schedule.map((t) => t.toFixed(3)).join(' ')}${mark}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
