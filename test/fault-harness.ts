import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';

/** redis-server on PATH (or REDIS_SERVER), or undefined: the Redis tests then skip and say why. */
export function redisServerBinary(): string | undefined {
  const named = process.env.REDIS_SERVER ?? 'redis-server';
  const found = spawnSync(named, ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? named : undefined;
}

export const REDIS_MISSING = 'the Redis-mode tests need redis-server (apt-get install -y redis-server, or npm run test:all, which installs it)';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A private redis-server on a free loopback port, writing every change to its append-only file so a restart loses nothing. */
export class TestRedis {
  private process?: ChildProcess;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxir-redis-'));

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {}

  static async start(binary: string): Promise<TestRedis> {
    const redis = new TestRedis(binary, await freePort());
    await redis.up();
    return redis;
  }

  url(db = 0): string {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  async up(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
    this.process = spawn(this.binary, args, { stdio: 'ignore' });
    const client = new Redis(this.url(), { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    for (let tries = 0; ; tries++) {
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch (error) {
        client.disconnect();
        if (tries > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** Kills the server outright (no final save: only what was already appended survives). */
  async down(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.down();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly stderr: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A `fluxir worker` on FakeEngine whose steps take stepMs (test/fixtures/fake-redis-worker.js), once it takes jobs. */
export function spawnWorker(redisUrl: string, stepMs: number, lockMs = 1000): Promise<WorkerProcess> {
  const script = path.join(__dirname, 'fixtures', 'fake-redis-worker.js');
  const env = { ...process.env, FLUXIR_REDIS_URL: redisUrl, FAKE_STEP_MS: String(stepMs), FAKE_LOCK_MS: String(lockMs) };
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const kill = (signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${stderr.join('')}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('ready')) return;
      clearTimeout(timer);
      resolve({ child, stderr, kill });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}: ${stderr.join('')}`));
    });
  });
}
