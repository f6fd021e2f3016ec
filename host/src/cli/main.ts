#!/usr/bin/env node
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { createHostContainer } from '../host-container';
import { builtinPluginIds } from '../plugins/builtin-plugins';
import type { CliContext, CommandRegistration } from './cli-context';
import { registerPluginsCommand } from './plugins-command';
import { registerRestoreCommand } from './restore-command';
import { registerTrainCommand } from './train-command';
import { registerAverageCommand } from './average-command';
import { registerGrowCommand } from './grow-command';
import { registerEvalCommand } from './eval-command';
import { registerBenchCommand } from './bench-command';
import { registerServeCommand } from './serve-command';
import { registerWorkerCommand } from './worker-command';
import { registerAblationCommand } from './ablation-command';
import { registerPluginCommand } from './plugin-command';

/** Every sub-command, one file each. train, eval, bench and serve register here the same way. */
export const COMMANDS: readonly CommandRegistration[] = [registerRestoreCommand, registerPluginsCommand, registerTrainCommand, registerAverageCommand, registerGrowCommand, registerEvalCommand, registerBenchCommand, registerAblationCommand, registerServeCommand, registerWorkerCommand, registerPluginCommand];

export function registerCommands(program: Command, cli: CliContext, commands: readonly CommandRegistration[] = COMMANDS): void {
  for (const register of commands) register(program, cli);
}

/** The program, writing to the context's streams and throwing instead of exiting (see run). */
export function createProgram(cli: CliContext, commands: readonly CommandRegistration[] = COMMANDS): Command {
  const program = new Command('fluxir')
    .description(`learned image restoration: ${builtinPluginIds().join(', ')}`)
    .version(hostVersion())
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void cli.stdout.write(s), writeErr: (s) => void cli.stderr.write(s) });
  registerCommands(program, cli, commands);
  return program;
}

export function processCliContext(): CliContext {
  return { stdout: process.stdout, stderr: process.stderr, createHost: createHostContainer, exitCode: 0 };
}

/** Runs the command line (arguments after the executable and script) and gives the exit code. */
export async function run(args: readonly string[], cli: CliContext = processCliContext()): Promise<number> {
  const program = createProgram(cli);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    // A FluxirError is the user's to fix (an unknown task, a bad file): its coded message says it all.
    // Anything else is a fault in fluxir, reported with its stack.
    const report = isCodedError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    cli.stderr.write(`${report}\n`);
    return 1;
  }
}

/** A FluxirError by its stable code (checked by shape, so the CLI loads without the engine). */
function isCodedError(error: unknown): error is Error & { readonly code: string } {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { readonly code?: unknown }).code;
  return typeof code === 'string' && /^E_[A-Z_]+$/.test(code);
}

function hostVersion(): string {
  const file = path.resolve(__dirname, '../../package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The process entry: runs the arguments of this process and sets its exit code. */
export function main(): void {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
