import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REDIS_MISSING, redisServerBinary, TestRedis } from './fault-harness';
import { requireTool } from './required-tools';

const script = path.join(__dirname, '..', 'host', 'scripts', 'load-test.js');
const bounded = ['--clients', '6', '--seconds', '4', '--steps', '4', '--step-ms', '25', '--json'];

interface Figures {
  readonly mode: string;
  readonly jobs: number;
  readonly jobsPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly errors: number;
  readonly peakRssMb: number;
}

async function run(args: string[]): Promise<Figures> {
  const { stdout } = await promisify(execFile)(process.execPath, [script, ...args, ...bounded], { timeout: 60_000 });
  const figures = JSON.parse(stdout.trim().split('\n').pop()!) as Figures;
  console.log(`load: ${JSON.stringify(figures)}`);
  return figures;
}

/** host/scripts/load-test.js, bounded (6 clients, 4 s, loopback), in both modes; its figures go to the README. */
describe('load test', () => {
  it('embedded mode: every job of 6 clients done, none lost, latency bounded', async () => {
    const figures = await run(['--mode', 'embedded']);
    expect(figures.errors).toBe(0);
    expect(figures.jobs).toBeGreaterThan(6);
    expect(figures.p95Ms).toBeLessThan(10_000);
  }, 90_000);

  const binary = redisServerBinary();
  it('Redis mode with two workers: every job done, more of them than one engine runs', async () => {
    // The server .ci/run started (FLUXIR_TEST_REDIS_URL), else a private one.
    const shared = process.env.FLUXIR_TEST_REDIS_URL;
    requireTool(!!(shared || binary), REDIS_MISSING);
    const redis = shared ? undefined : await TestRedis.start(binary!);
    try {
      const figures = await run(['--mode', 'redis', '--workers', '2', '--redis', shared ?? redis!.url(7)]);
      expect(figures.errors).toBe(0);
      expect(figures.jobs).toBeGreaterThan(6);
    } finally {
      await redis?.stop();
    }
  }, 90_000);
});
