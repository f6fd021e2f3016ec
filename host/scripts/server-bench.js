#!/usr/bin/env node
// Measures the host server with socket.io clients on loopback, against the real engine and the shipped
// weights: time to the first preview, protocol and encoding overhead, cancel latency, and 50 concurrent
// clients. Needs a build (npm run build). Usage: node host/scripts/server-bench.js [--plugin denoise] [--steps 2] [--json]
require('reflect-metadata');
const path = require('node:path');
const sharp = require('sharp');
const { io } = require('socket.io-client');
const dist = path.join(__dirname, '..', 'dist');
const { HostServer } = require(path.join(dist, 'server', 'host-server.js'));
const { createServerContainer } = require(path.join(dist, 'server', 'server-container.js'));
const { DEFAULT_SERVER_CONFIG } = require(path.join(dist, 'config', 'server-config.interface.js'));
const { createLogger } = require(path.join(dist, 'logging', 'pino-logger.js'));

const args = process.argv.slice(2);
const steps = Number(args[args.indexOf('--steps') + 1] || 0) || 2;
const plugin = args.includes('--plugin') ? args[args.indexOf('--plugin') + 1] : 'denoise';
const photo = path.join(__dirname, '..', '..', 'core', 'data', 'examples', 'clean-fruits.png');

function photoAt(width, height) {
  return sharp(photo).resize(width, height, { fit: 'cover' }).png().toBuffer();
}

function connect(url) {
  const client = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('connect_error', reject);
  });
}

/** Submits one job and times its events as the client sees them. */
async function timedJob(client, job, { cancelAfterStep } = {}) {
  const t = { submitted: performance.now(), steps: [] };
  let jobId;
  const finished = new Promise((resolve) => {
    const mine = (e) => e.jobId === jobId;
    client.on('job:started', (e) => mine(e) && (t.started = performance.now()));
    client.on('job:progress', (e) => {
      if (!mine(e) || e.tile !== e.tiles) return;
      t.steps.push(performance.now());
      if (e.step === cancelAfterStep && !t.cancelAsked) {
        t.cancelAsked = performance.now();
        client.emit('job:cancel', { jobId }, () => undefined);
      }
    });
    client.on('job:preview', (e) => mine(e) && (t.firstPreview ??= performance.now()) && (t.previewBytes = e.data.length));
    for (const name of ['job:result', 'job:error', 'job:cancelled']) {
      client.on(name, (e) => mine(e) && resolve({ name, event: e, at: performance.now() }));
    }
  });
  const ack = await client.timeout(60_000).emitWithAck('job:submit', job);
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  jobId = ack.jobId;
  const end = await finished;
  return { ...t, ...end };
}

async function latencyRun(url, label, width, height) {
  const client = await connect(url);
  const image = await photoAt(width, height);
  const r = await timedJob(client, { plugin, image, steps, seed: 1, preview: { maxSide: 512 } });
  client.disconnect();
  if (r.name !== 'job:result') throw new Error(`${label}: ${r.name} ${JSON.stringify(r.event.error)}`);
  const wall = r.at - r.submitted;
  const engineMs = r.event.ms;
  const firstStepMs = r.steps[0] - r.started;
  return {
    image: `${label} (${width}x${height}, ${((width * height) / 1e6).toFixed(2)} MP)`,
    steps,
    engineMs: Math.round(engineMs),
    wallMs: Math.round(wall),
    overheadMs: Math.round(wall - engineMs),
    overheadPct: +(((wall - engineMs) / engineMs) * 100).toFixed(1),
    firstStepMs: Math.round(firstStepMs),
    firstPreviewAfterStartMs: Math.round(r.firstPreview - r.started),
    firstPreviewAfterStep1Ms: Math.round(r.firstPreview - r.steps[0]),
    previewKB: +(r.previewBytes / 1024).toFixed(1),
  };
}

async function cancelRun(url) {
  const client = await connect(url);
  const image = await photoAt(512, 512);
  const r = await timedJob(client, { plugin: 'denoise', image, steps: 8, seed: 1 }, { cancelAfterStep: 1 });
  client.disconnect();
  const stepMs = r.steps[0] - r.started;
  return { outcome: r.name, stepMs: Math.round(stepMs), cancelToStoppedMs: Math.round(r.at - r.cancelAsked), stepsAfterCancel: r.steps.length - 1 };
}

async function crowdRun(url, clients = 50) {
  const image = await photoAt(32, 32);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const client = await connect(url);
      try {
        const r = await timedJob(client, { plugin: 'denoise', image, steps: 1, preview: { enabled: false } });
        return r.name;
      } catch (error) {
        return String(error.message).split(':')[0];
      } finally {
        client.disconnect();
      }
    }),
  );
  clearInterval(sampler);
  const counts = {};
  for (const o of outcomes) counts[o] = (counts[o] || 0) + 1;
  return { clients, outcomes: counts, lost: clients - outcomes.length, seconds: +((performance.now() - started) / 1000).toFixed(1), rssBeforeMB: Math.round(rssBefore / 1e6), peakRssMB: Math.round(peakRss / 1e6) };
}

async function main() {
  const config = { ...DEFAULT_SERVER_CONFIG, port: 0, logLevel: 'warn', limits: { ...DEFAULT_SERVER_CONFIG.limits, maxQueued: 40, maxJobsPerClient: 1 } };
  const server = new HostServer(createServerContainer(config, { logger: createLogger('warn') }));
  const url = await server.start(0, '127.0.0.1');
  try {
    const results = {
      latency: [await latencyRun(url, 'small', 128, 128), await latencyRun(url, '1 MP', 1000, 1000)],
      cancel: await cancelRun(url),
      crowd: await crowdRun(url),
    };
    if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
    else {
      console.table(results.latency);
      console.log('cancel:', results.cancel);
      console.log('50 clients:', results.crowd);
    }
  } finally {
    await server.stop(1000);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
