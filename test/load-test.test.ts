import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REDIS_MISSING, redisServerBinary, TestRedis } from './fault-harness';
import { requireTool } from './required-tools';

const script = path.join(__dirname, '..', 'host', 'scripts', 'load-test.js');
const CLIENTS = 6;
const STEPS = 4;

interface Figures {
  readonly mode: string;
  readonly jobs: number;
  readonly jobsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly errors: number;
  readonly peakRssMb: number;
  /** Jobs each engine ran (one engine in embedded mode, one per worker in Redis mode). */
  readonly engineJobs: readonly number[];
  /** The most engines running a job at the same moment. */
  readonly enginesBusyPeak: number;
  /** From the first job's start on an engine to the last one's end. */
  readonly engineSeconds: number;
}

async function run(args: string[], stepMs: number): Promise<Figures> {
  const bounded = ['--clients', String(CLIENTS), '--seconds', '4', '--steps', String(STEPS), '--step-ms', String(stepMs), '--json'];
  const { stdout } = await promisify(execFile)(process.execPath, [script, ...args, ...bounded], { timeout: 60_000 });
  const figures = JSON.parse(stdout.trim().split('\n').pop()!) as Figures;
  console.log(`load: ${JSON.stringify(figures)}`);
  return figures;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** host/scripts/load-test.js, bounded (6 clients, 4 s, loopback), in both modes; its figures go to docs/operations.md. */
describe('load test', () => {
  it('embedded mode: every job of 6 clients done once, by the one engine, with p95 latency under 10 s', async () => {
    const figures = await run(['--mode', 'embedded'], 25);
    expect(figures.errors).toBe(0);
    expect(figures.jobs).toBeGreaterThan(CLIENTS);
    expect(figures.engineJobs).toEqual([figures.jobs]);
    expect(figures.p95Ms).toBeLessThan(10_000);
  }, 90_000);

  const binary = redisServerBinary();
  it('Redis mode with two workers: every job done once, both engines at work at once, more jobs than one engine runs in that time', async () => {
    // The server scripts/test.sh started (FLUXIR_TEST_REDIS_URL), else a private one.
    const shared = process.env.FLUXIR_TEST_REDIS_URL;
    requireTool(!!(shared || binary), REDIS_MISSING);
    const redis = shared ? undefined : await TestRedis.start(binary!);
    try {
      // Steps long beside a worker's pause between jobs, so two engines' work cannot pass for one's.
      const stepMs = 100;
      const figures = await run(['--mode', 'redis', '--workers', '2', '--redis', shared ?? redis!.url(7)], stepMs);
      expect(figures.errors).toBe(0);
      expect(figures.engineJobs).toHaveLength(2);
      expect(Math.min(...figures.engineJobs)).toBeGreaterThan(0);
      expect(sum(figures.engineJobs)).toBe(figures.jobs);
      expect(figures.enginesBusyPeak).toBe(2);
      // One engine takes at least STEPS * stepMs per job, one job at a time.
      const oneEngineAtMost = Math.floor((figures.engineSeconds * 1000) / (STEPS * stepMs));
      expect(figures.jobs).toBeGreaterThan(oneEngineAtMost);
    } finally {
      await redis?.stop();
    }
  }, 90_000);
});
