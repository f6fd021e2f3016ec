import { Option, type Command } from 'commander';
import type { ServerConfigFile } from '../config/server-config-schema';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import { createLogger } from '../logging/pino-logger';
import { installProcessSafetyNet } from '../plugins/process-safety-net';
import type { CliContext } from './cli-context';
import { forgetSecretsInEnvironment } from './forget-secrets';
import { integerOption } from './host-options';

interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly config?: string;
  readonly pluginDir?: string[];
  readonly weights?: string;
  readonly logLevel?: ServerConfigFile['logLevel'];
}

/**
 * `fluxir serve`: socket.io, the REST API and metrics on one port. Settings come from fluxir.config.json,
 * FLUXIR_* variables and these flags (flags win). Stops gracefully on SIGTERM or SIGINT.
 */
export const registerServeCommand = (program: Command, cli: CliContext): void => {
  program
    .command('serve')
    .description('serve editors: socket.io, REST API, metrics (configuration: fluxir.config.json and FLUXIR_* variables)')
    .option('--port <n>', 'port to listen on (default 7860; 0 picks a free one)', integerOption('--port'))
    .option('--host <address>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)')
    .option('--config <file>', `configuration file (default ./fluxir.config.json when it exists)`)
    .option('--plugin-dir <dir>', 'also load plugins from this folder (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--weights <dir>', 'engine weights folder (default: the weights shipped with @fluxir/core)')
    .addOption(new Option('--log-level <level>', 'log level of the JSON log on stderr').choices(['debug', 'info', 'warn', 'error', 'silent']))
    .action(async (options: ServeOptions) => {
      const overrides: ServerConfigFile = {
        port: options.port,
        host: options.host,
        pluginDirs: options.pluginDir,
        weightsDir: options.weights,
        logLevel: options.logLevel,
      };
      // Loaded here, not at the top: the configuration schema costs every other command start-up time.
      const { ConfigError, loadServerConfig } = await import('../config/load-server-config');
      let loaded;
      try {
        loaded = loadServerConfig({ file: options.config, overrides });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        cli.stderr.write(`fluxir serve: ${error.message}\n`);
        cli.exitCode = 1;
        return;
      }
      const { config, sources } = loaded;
      forgetSecretsInEnvironment();
      const logger = createLogger(config.logLevel, cli.stderr as { write(line: string): void });
      if (sources.length) logger.info({ sources }, 'configuration read');
      // Loaded here, not at the top: express, socket.io and the queues cost every other command ~0.4 s of start-up.
      const { createServerContainer } = await import('../server/server-container');
      const { HostServer } = await import('../server/host-server');
      const container = createServerContainer(config, { logger }, (options) => cli.createHost(options));
      const removeNet = installProcessSafetyNet(logger, () => container.get<PluginRegistry>(PluginRegistry));
      const server = new HostServer(container);
      const url = await server.start();
      cli.stdout.write(`fluxir serving on ${url} (socket.io, REST under /api, metrics at /metrics)\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'stop requested');
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          void server.stop().finally(removeNet).then(resolve, (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            cli.exitCode = 1;
            resolve();
          });
        };
        const onTerm = () => stop('SIGTERM');
        const onInt = () => stop('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);
      });
    });
};

