import type { Command } from 'commander';
import type { HostContainerOptions } from '../host-container';
import type { Container } from 'inversify';

/** Where a command writes, and how it gets its host. Tests replace all of it. */
export interface CliContext {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Makes the host container for a command from its options (tests add a fake engine here). */
  createHost(options: HostContainerOptions): Container;
  /** The process exit code once every command has run; commands only ever raise it. */
  exitCode: number;
}

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * A sub-command: adds itself to the program. One file per command (restore, plugins; train, eval,
 * bench and serve to come), listed in main.ts.
 */
export type CommandRegistration = (program: Command, cli: CliContext) => void;
