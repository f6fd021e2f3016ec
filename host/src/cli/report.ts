import type { StepProgress } from '@fluxir/core';
import type { SingleBar } from 'cli-progress';
import type { ErrorReport } from '../errors/error-report';
import type { OutputStream } from './cli-context';

/** One restored image, as `--json` prints it. `ms` is the engine's time for the image. */
export interface ImageSuccess {
  readonly input: string;
  readonly output: string;
  readonly task: string;
  readonly plugin: string;
  readonly pluginVersion: string;
  readonly steps: number;
  readonly backend: string;
  readonly ms: number;
  /**
   * Decode to encode, in milliseconds: decodeMs, prepareMs, waiting for the engine to start (the first
   * image of a command prepares while it starts), the engine (ms), then encodeMs.
   */
  readonly totalMs: number;
  readonly decodeMs: number;
  /** The plugin's preparation of the image (its condition y, mask, start). */
  readonly prepareMs: number;
  /** Encoding and writing the output file. */
  readonly encodeMs: number;
  /**
   * The process's peak resident set so far, in MB, as the kernel counts it (getrusage's maximum
   * resident set size), read after the image was encoded and written: the peak of everything that ran.
   */
  readonly peakRssMb: number;
}

export interface ImageFailure {
  readonly input: string;
  readonly error: ErrorReport;
}

/** Hears about each image of a batch in order: start, progress..., then succeeded or failed. */
export interface BatchReporter {
  start(input: string, steps: number): void;
  progress(progress: StepProgress): void;
  succeeded(result: ImageSuccess): void;
  failed(failure: ImageFailure): void;
  /** A failure that stops the whole command (bad task, no engine...). */
  fatal(error: ErrorReport): void;
  finish(): void;
}

/** One JSON line per image on stdout; nothing else there, so it can be piped. */
export class JsonReporter implements BatchReporter {
  constructor(private readonly stdout: OutputStream) {}
  start(): void {}
  progress(): void {}
  succeeded(result: ImageSuccess): void {
    this.line(result);
  }
  failed(failure: ImageFailure): void {
    this.line(failure);
  }
  fatal(error: ErrorReport): void {
    this.line({ error });
  }
  finish(): void {}
  private line(value: object): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }
}

/** A progress bar per image on stderr (terminals only), then a one-line summary per image. */
export class ConsoleReporter implements BatchReporter {
  private bar?: SingleBar;
  private done = 0;
  private failures = 0;

  constructor(
    private readonly stdout: OutputStream,
    private readonly stderr: OutputStream,
  ) {}

  start(input: string, steps: number): void {
    // Loaded with the first bar: `--json` runs draw none and start faster without it.
    const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
    this.bar = new Bar({
      // cli-progress only needs write() and isTTY; it draws nothing when stderr is not a terminal.
      stream: this.stderr as NodeJS.WritableStream,
      format: `${input} |{bar}| step {step}/{steps} | tile {tile}/{tiles} | ETA {etaSeconds}s`,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    });
    this.bar.start(1000, 0, { step: 0, steps, tile: 0, tiles: '?', etaSeconds: '?' });
  }

  progress(progress: StepProgress): void {
    this.bar?.update(Math.round(progress.fraction * 1000), {
      step: progress.step,
      steps: progress.steps,
      tile: progress.tile,
      tiles: progress.tiles,
      etaSeconds: Math.ceil(progress.etaMs / 1000),
    });
  }

  succeeded(r: ImageSuccess): void {
    this.stopBar();
    this.done++;
    const ms = Math.round(r.ms);
    this.stdout.write(`${r.input} -> ${r.output}  ${r.task} (${r.plugin} ${r.pluginVersion})  ${r.steps} ${r.steps === 1 ? 'step' : 'steps'} on ${r.backend}  ${ms} ms\n`);
  }

  failed(failure: ImageFailure): void {
    this.stopBar();
    this.failures++;
    this.stderr.write(`${failure.input}: ${failure.error.message}\n`);
  }

  fatal(error: ErrorReport): void {
    this.stopBar();
    this.stderr.write(`${error.message}\n`);
  }

  finish(): void {
    if (this.failures) this.stderr.write(`${this.failures} of ${this.done + this.failures} images failed\n`);
  }

  private stopBar(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
