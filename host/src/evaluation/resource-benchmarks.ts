import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export interface CliRunMeasure {
  /** Wall-clock seconds of the whole command (process start, weights, decode, restore, encode). */
  readonly seconds: number;
  /** Engine milliseconds reported by the command (--json). */
  readonly engineMs: number;
  /** Decode to encode milliseconds reported by the command. */
  readonly totalMs: number;
  readonly steps: number;
  /** Highest resident set size of the process, in bytes (VmHWM, polled). */
  readonly peakRssBytes: number;
  readonly backend: string;
}

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
 * Runs `fluxir restore --json` in a child process (as a user would) and measures its wall time and
 * its peak memory, so that the figures include decoding, weights, worker threads and encoding.
 */
export function measureCliRestore(cliScript: string, args: readonly string[]): Promise<CliRunMeasure> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cliScript, 'restore', ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, highWaterMark(child.pid))), 100);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`fluxir restore exited with ${code}: ${stderr.slice(-2000)}${line}`));
      const report = JSON.parse(line) as { ms: number; totalMs: number; steps: number; backend: string };
      resolve({ seconds, engineMs: report.ms, totalMs: report.totalMs, steps: report.steps, peakRssBytes: peak, backend: report.backend });
    });
  });
}

function highWaterMark(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(join('/proc', String(pid), 'status'), 'utf8');
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}
