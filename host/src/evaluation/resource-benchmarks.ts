import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import sharp from 'sharp';

export interface CliRunMeasure {
  /** Wall-clock seconds of the whole command (process start, weights, decode, restore, encode). */
  readonly seconds: number;
  /** Engine milliseconds reported by the command (--json). */
  readonly engineMs: number;
  /** Decode to encode milliseconds reported by the command, and its decode, prepare and encode parts. */
  readonly totalMs: number;
  readonly decodeMs: number;
  readonly prepareMs: number;
  readonly encodeMs: number;
  readonly steps: number;
  /** The process's maximum resident set in MB, as the kernel counts it (getrusage), reported by the command. */
  readonly peakRssMb: number;
  /** GNU time's maximum resident set of the same run in MB, when /usr/bin/time is installed. */
  readonly gnuTimeRssMb?: number;
  readonly backend: string;
}

const GNU_TIME = '/usr/bin/time';

/** Writes a photo resized to about `megapixels` (keeping its aspect ratio) as a PNG, for speed and memory runs. */
export async function makeBenchImage(photo: string, megapixels: number, file: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(photo).metadata();
  const scale = Math.sqrt((megapixels * 1e6) / ((meta.width ?? 1) * (meta.height ?? 1)));
  const width = Math.round((meta.width ?? 1) * scale);
  const height = Math.round((meta.height ?? 1) * scale);
  await sharp(photo, { limitInputPixels: false }).resize(width, height, { kernel: 'lanczos3' }).png({ compressionLevel: 1 }).toFile(file);
  return { width, height };
}

/**
 * Runs `fluxir restore --json` in a child process (as a user would) and measures its wall time; its
 * peak memory is the kernel's maximum resident set of the finished work, which the command reports.
 * Under GNU time (when installed) the run also gets the figure `time -f %M` reads from wait4, so the
 * two can be compared.
 */
export function measureCliRestore(cliScript: string, args: readonly string[]): Promise<CliRunMeasure> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const command = [process.execPath, cliScript, 'restore', ...args, '--json'];
    const gnuTime = existsSync(GNU_TIME);
    const child = gnuTime
      ? spawn(GNU_TIME, ['-f', 'fluxir-bench-max-rss-kb %M', ...command], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`fluxir restore exited with ${code}: ${stderr.slice(-2000)}${line}`));
      const report = JSON.parse(line) as { ms: number; totalMs: number; decodeMs: number; prepareMs?: number; encodeMs: number; steps: number; backend: string; peakRssMb: number };
      const kb = /fluxir-bench-max-rss-kb (\d+)/.exec(stderr)?.[1];
      resolve({
        seconds,
        engineMs: report.ms,
        totalMs: report.totalMs,
        decodeMs: report.decodeMs,
        prepareMs: report.prepareMs ?? 0,
        encodeMs: report.encodeMs,
        steps: report.steps,
        peakRssMb: report.peakRssMb,
        gnuTimeRssMb: kb ? Number(kb) / 1024 : undefined,
        backend: report.backend,
      });
    });
  });
}
