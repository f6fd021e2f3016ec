import { BACKEND_CHOICES, MAX_STEPS, type BackendChoice } from '@fluxir/core';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Container } from 'inversify';
import { createLogger, type LogLevel } from '../logging/pino-logger';
import type { CliContext } from './cli-context';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface HostCommandOptions {
  readonly pluginDir: string[];
  readonly weights?: string;
  readonly backend?: BackendChoice;
  readonly logLevel: LogLevel;
}

/** The options every command that needs a host takes: plugins, weights, backend, logging. */
export function withHostOptions(command: Command): Command {
  return command
    .addOption(new Option('--plugin-dir <dir>', 'also load plugins from this folder (repeatable)').argParser(collect).default([], 'none'))
    .option('--weights <dir>', 'engine weights folder (default: the weights shipped with @fluxir/core)')
    .addOption(new Option('--backend <name>', 'tensor backend').choices(BACKEND_CHOICES).default('auto'))
    .addOption(new Option('--log-level <level>', 'log level of the JSON log on stderr').choices(LOG_LEVELS).default('warn'));
}

export function openHost(cli: CliContext, options: HostCommandOptions): Container {
  return cli.createHost({
    pluginDirs: options.pluginDir,
    weightsDir: options.weights,
    backend: options.backend,
    logger: createLogger(options.logLevel, cli.stderr),
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Commander argument parsers that say what they expected, like the rest of fluxir. */
export function integerOption(name: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed)) throw new InvalidArgumentError(`${name} expects an integer, got "${value}"`);
    return parsed;
  };
}

export function positiveNumberOption(name: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`${name} expects a positive number, got "${value}"`);
    return parsed;
  };
}

/** A share: a number from 0 to 1. */
export function shareOption(name: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !(parsed >= 0 && parsed <= 1)) throw new InvalidArgumentError(`${name} expects a number from 0 to 1, got "${value}"`);
    return parsed;
  };
}

export function nonNegativeNumberOption(name: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} expects a number >= 0, got "${value}"`);
    return parsed;
  };
}

/** A comma-separated list of whole numbers from 0 (e.g. "1,1,1,2"). */
export function wholeNumberListOption(value: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 0)) throw new InvalidArgumentError(`expected comma-separated whole numbers, e.g. 1,1,1,2; got "${value}"`);
  return list;
}

/** A comma-separated list of step counts, each from 1 to MAX_STEPS (e.g. "1,2,4,8"). */
export function stepListOption(value: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.some((k) => !Number.isInteger(k) || k < 1 || k > MAX_STEPS)) {
    throw new InvalidArgumentError(`expected a comma-separated list of step counts from 1 to ${MAX_STEPS}, got "${value}"`);
  }
  return list;
}
