#!/usr/bin/env node
// Load test of the serving layer on loopback: K socket.io clients submit jobs back to back for T seconds
// against a weightless engine whose steps take --step-ms, in embedded mode (the host runs the jobs) or
// Redis mode (the host queues them, --workers `fluxir worker` processes run them). Prints throughput,
// p50/p95 latency (submit to result), errors, the peak memory of the host process (clients included) and
// what the engines did: the jobs each ran, how many were busy at once at most, and the seconds from the
// first job's start to the last one's end.
// Needs a build (npm run build). Usage:
//   node host/scripts/load-test.js [--mode embedded|redis] [--redis redis://127.0.0.1:6379/0] [--workers 2]
//                                  [--clients 8] [--seconds 5] [--steps 4] [--step-ms 20] [--json]
require('reflect-metadata');
const path = require('node:path');
const { spawn } = require('node:child_process');
const dist = path.join(__dirname, '..', 'dist');
const { HostServer } = require(path.join(dist, 'server', 'host-server.js'));
const { createServerContainer } = require(path.join(dist, 'server', 'server-container.js'));
const { runRedisWorker } = require(path.join(dist, 'jobs', 'redis', 'redis-worker-process.js'));
const { DEFAULT_SERVER_CONFIG } = require(path.join(dist, 'config', 'server-config.interface.js'));
const { createLogger } = require(path.join(dist, 'logging', 'pino-logger.js'));
const { FakeEngine } = require(path.join(dist, 'testing', 'fake-engine.js'));
const { AbortError, createImage, encodeImage } = require('@fluxir/core');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

/**
 * FakeEngine's contract, each step a timer of stepMs: the load is on the serving layer, not the CPU.
 * `onJob(startMs, endMs)` hears of every restore it finishes (epoch milliseconds).
 */
class PacedFakeEngine extends FakeEngine {
  constructor(stepMs, onJob = () => undefined) {
    super();
    this.stepMs = stepMs;
    this.onJob = onJob;
  }

  async restore(request) {
    const startedAt = Date.now();
    const started = performance.now();
    const { steps, signal } = request;
    const schedule = this.schedule(request.task, steps);
    for (let step = 1; step <= steps; step++) {
      if (signal?.aborted) throw new AbortError();
      await new Promise((resolve) => setTimeout(resolve, this.stepMs));
      request.onProgress?.({ step, steps, tile: 1, tiles: 1, fraction: step / steps, etaMs: (steps - step) * this.stepMs });
      request.onPreview?.({ step, steps, t: schedule[step], image: request.input.y });
    }
    this.onJob(startedAt, Date.now());
    return { image: request.input.y, steps, schedule, ms: performance.now() - started };
  }
}

function serverConfig(redisUrl) {
  return {
    ...DEFAULT_SERVER_CONFIG,
    port: 0,
    logLevel: 'error',
    redisUrl,
    limits: { ...DEFAULT_SERVER_CONFIG.limits, maxQueued: 10_000, maxJobsPerClient: 4, shutdownGraceMs: 2000 },
  };
}

/** `--worker`: this script as a worker process for Redis mode; it prints `job <start> <end>` for each restore. */
async function runWorker() {
  const config = serverConfig(option('redis'));
  const report = (start, end) => process.stdout.write(`job ${start} ${end}\n`);
  const container = createServerContainer(config, { logger: createLogger('error', process.stderr), engineFactory: async () => new PacedFakeEngine(Number(option('step-ms', 20)), report) });
  await runRedisWorker(container, { lockMs: 5000, maxStalls: 2, concurrency: 1 });
  process.stdout.write('ready\n');
}

/** A worker process; the restores it reports go to `jobs` as [start, end]. */
function startWorker(redisUrl, stepMs, jobs) {
  const child = spawn(process.execPath, [__filename, '--worker', '--redis', redisUrl, '--step-ms', String(stepMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout.on('data', (chunk) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (line === 'ready') resolve(child);
        const job = /^job (\d+) (\d+)$/.exec(line);
        if (job) jobs.push([Number(job[1]), Number(job[2])]);
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

/** What the engines did: jobs per engine, the most busy at once, seconds from the first start to the last end. */
function engineFigures(perEngine) {
  const all = perEngine.flat();
  const edges = all.flatMap(([start, end]) => [[start, 1], [end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let busy = 0;
  let peak = 0;
  for (const [, change] of edges) peak = Math.max(peak, (busy += change));
  const span = all.length ? Math.max(...all.map(([, end]) => end)) - Math.min(...all.map(([start]) => start)) : 0;
  return { engineJobs: perEngine.map((jobs) => jobs.length), enginesBusyPeak: peak, engineSeconds: Number((span / 1000).toFixed(2)) };
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** Runs one load test; resolves to its figures. */
async function loadTest({ mode = 'embedded', redisUrl, workers = 2, clients = 8, seconds = 5, steps = 4, stepMs = 20 } = {}) {
  const { io } = require('socket.io-client');
  const perEngine = Array.from({ length: mode === 'redis' ? workers : 1 }, () => []);
  const children = mode === 'redis' ? await Promise.all(perEngine.map((jobs) => startWorker(redisUrl, stepMs, jobs))) : [];
  const container = createServerContainer(serverConfig(mode === 'redis' ? redisUrl : undefined), {
    logger: createLogger('error', process.stderr),
    engineFactory: async () => new PacedFakeEngine(stepMs, (start, end) => perEngine[0].push([start, end])),
  });
  const server = new HostServer(container);
  const url = await server.start(0, '127.0.0.1');
  const image = await encodeImage(createImage(64, 64, 3), 'png');
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const latencies = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  const client = async (n) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((resolve, reject) => (socket.once('connect', resolve), socket.once('connect_error', reject)));
    const waiting = new Map();
    const settle = (ok) => (event) => {
      const done = waiting.get(event.jobId);
      if (!done) return;
      waiting.delete(event.jobId);
      done(ok);
    };
    socket.on('job:result', settle(true));
    socket.on('job:error', settle(false));
    socket.on('job:cancelled', settle(false));
    while (performance.now() < until) {
      const t0 = performance.now();
      const ack = await socket.timeout(30_000).emitWithAck('job:submit', { plugin: 'denoise', image, steps, preview: { maxSide: 32 } }).catch(() => ({ ok: false }));
      if (!ack.ok) {
        errors++;
        continue;
      }
      const ok = await new Promise((resolve) => {
        waiting.set(ack.jobId, resolve);
        setTimeout(() => waiting.has(ack.jobId) && (waiting.delete(ack.jobId), resolve(false)), 30_000);
      });
      if (ok) latencies.push(performance.now() - t0);
      else errors++;
    }
    socket.disconnect();
  };
  await Promise.all(Array.from({ length: clients }, (_, n) => client(n)));
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await server.stop(1000);
  for (const child of children) child.kill('SIGTERM');
  const sorted = latencies.sort((a, b) => a - b);
  return {
    mode: mode === 'redis' ? `redis, ${workers} workers` : 'embedded',
    clients,
    seconds: Number(elapsed.toFixed(1)),
    jobs: latencies.length,
    jobsPerSecond: Number((latencies.length / elapsed).toFixed(1)),
    p50Ms: Math.round(percentile(sorted, 50)),
    p95Ms: Math.round(percentile(sorted, 95)),
    errors,
    peakRssMb: Math.round(peakRss / 1e6),
    ...engineFigures(perEngine),
  };
}

module.exports = { loadTest };

if (require.main === module) {
  if (process.argv.includes('--worker')) {
    runWorker().catch((error) => (console.error(error), process.exit(1)));
  } else {
    const options = {
      mode: option('mode', 'embedded'),
      redisUrl: option('redis', process.env.FLUXIR_REDIS_URL),
      workers: Number(option('workers', 2)),
      clients: Number(option('clients', 8)),
      seconds: Number(option('seconds', 5)),
      steps: Number(option('steps', 4)),
      stepMs: Number(option('step-ms', 20)),
    };
    loadTest(options).then(
      (figures) => {
        if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
        else console.log(Object.entries(figures).map(([key, value]) => `${key}: ${value}`).join('\n'));
        process.exit(0);
      },
      (error) => (console.error(error), process.exit(1)),
    );
  }
}
