import { Option, type Command } from 'commander';
import type { ServerConfigFile } from '../config/server-config-schema';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import { installProcessSafetyNet } from '../plugins/process-safety-net';
import { createLogger } from '../logging/pino-logger';
import type { CliContext } from './cli-context';
import { forgetSecretsInEnvironment } from './forget-secrets';
import { integerOption } from './host-options';

interface WorkerOptions {
  readonly config?: string;
  readonly redis?: string;
  readonly concurrency?: number;
  readonly lockMs: number;
  readonly maxStalls: number;
  readonly pluginDir?: string[];
  readonly weights?: string;
  readonly logLevel?: ServerConfigFile['logLevel'];
}

/**
 * `fluxir worker`: runs jobs from Redis for any number of `fluxir serve` nodes. Same configuration as
 * serve (fluxir.config.json, FLUXIR_* variables); the Redis URL is required. Stops after the jobs in hand.
 */
export const registerWorkerCommand = (program: Command, cli: CliContext): void => {
  program
    .command('worker')
    .description('run restoration jobs from Redis for `fluxir serve` nodes (needs redisUrl or FLUXIR_REDIS_URL)')
    .option('--config <file>', 'configuration file (default ./fluxir.config.json when it exists)')
    .option('--redis <url>', 'Redis URL, e.g. redis://10.0.0.5:6379/0 (default: redisUrl from the configuration)')
    .option('--concurrency <n>', 'jobs at a time in this process (default: limits.concurrency)', integerOption('--concurrency'))
    .option('--lock-ms <ms>', 'a job whose worker is silent this long goes to another worker', integerOption('--lock-ms'), 30_000)
    .option('--max-stalls <n>', 'times a job may lose its worker before it fails', integerOption('--max-stalls'), 2)
    .option('--plugin-dir <dir>', 'also load plugins from this folder (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--weights <dir>', 'engine weights folder (default: the weights shipped with @fluxir/core)')
    .addOption(new Option('--log-level <level>', 'log level of the JSON log on stderr').choices(['debug', 'info', 'warn', 'error', 'silent']))
    .action(async (options: WorkerOptions) => {
      const overrides: ServerConfigFile = { redisUrl: options.redis, pluginDirs: options.pluginDir, weightsDir: options.weights, logLevel: options.logLevel };
      // Loaded here, not at the top: the configuration schema costs every other command start-up time.
      const { ConfigError, loadServerConfig } = await import('../config/load-server-config');
      let config;
      try {
        config = loadServerConfig({ file: options.config, overrides }).config;
        if (!config.redisUrl) throw new ConfigError('a worker needs Redis: --redis <url>, redisUrl in fluxir.config.json or FLUXIR_REDIS_URL');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        cli.stderr.write(`fluxir worker: ${error.message}\n`);
        cli.exitCode = 1;
        return;
      }
      forgetSecretsInEnvironment();
      const logger = createLogger(config.logLevel, cli.stderr as { write(line: string): void });
      // Loaded here, not at the top: the server and BullMQ cost every other command start-up time.
      const { createServerContainer } = await import('../server/server-container');
      const { runRedisWorker } = await import('../jobs/redis/redis-worker-process');
      const container = createServerContainer(config, { logger }, (host) => cli.createHost(host));
      installProcessSafetyNet(logger, () => container.get<PluginRegistry>(PluginRegistry));
      await runRedisWorker(container, { lockMs: options.lockMs, maxStalls: options.maxStalls, concurrency: options.concurrency });
      cli.stdout.write(`fluxir worker taking jobs from ${config.redisUrl.replace(/\/\/[^@/]*@/, '//***@')}\n`);
      await new Promise<never>(() => undefined);
    });
};
