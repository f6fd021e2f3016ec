import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFakePluginPackage } from '../host/src/testing/fake-plugin-package';
import { errorCode, EventLog, PacedEngine, pngImage, request, startTestServer, type TestServer } from './server-harness';

/** Queue limits, fairness, timeouts, a throwing plugin, 50 concurrent clients and graceful shutdown. */
describe('queue limits and fairness', () => {
  let host: TestServer;
  beforeAll(async () => {
    host = await startTestServer({ engine: () => new PacedEngine(60), limits: { maxQueued: 3, maxJobsPerClient: 2 } });
  });
  afterAll(() => host.close());

  it('refuses a client over its open-job limit with E_CLIENT_LIMIT, and accepts again once a job ends', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const image = await pngImage(8, 8);
    const first = await request(client, 'job:submit', { plugin: 'denoise', image, steps: 2 });
    const second = await request(client, 'job:submit', { plugin: 'denoise', image, steps: 2 });
    const third = await request(client, 'job:submit', { plugin: 'denoise', image, steps: 2 });
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(third).toMatchObject({ ok: false, error: { code: 'E_CLIENT_LIMIT' } });
    await log.final(first.ok ? (first.jobId as string) : '');
    const fourth = await request(client, 'job:submit', { plugin: 'denoise', image, steps: 1 });
    expect(fourth.ok).toBe(true);
    for (const ack of [second, fourth]) expect((await log.final(ack.ok ? (ack.jobId as string) : '')).name).toBe('job:result');
  });

  it('refuses with E_QUEUE_FULL when the queue is at capacity, and loses no accepted job', async () => {
    const image = await pngImage(8, 8);
    const clients = await Promise.all(Array.from({ length: 4 }, (_, i) => host.connect()));
    const logs = clients.map((c) => new EventLog(c));
    const acks = [];
    for (const client of clients) for (let j = 0; j < 2; j++) acks.push({ client, ack: await request(client, 'job:submit', { plugin: 'denoise', image, steps: 2 }) });
    const codes = acks.map(({ ack }) => errorCode(ack) ?? 'ok');
    expect(codes.filter((c) => c === 'ok')).toHaveLength(4); // 1 running + 3 queued
    expect(codes.filter((c) => c === 'E_QUEUE_FULL')).toHaveLength(4);
    const accepted = acks.flatMap(({ client, ack }) => (ack.ok ? [{ log: logs[clients.indexOf(client)], jobId: ack.jobId as string }] : []));
    const finals = await Promise.all(accepted.map(({ log, jobId }) => log.final(jobId)));
    expect(finals.map((e) => e.name)).toEqual(accepted.map(() => 'job:result'));
  });

  it('serves clients round-robin: one client\'s backlog does not hold another back', async () => {
    const busy = await host.connect();
    const other = await host.connect();
    const busyLog = new EventLog(busy);
    const otherLog = new EventLog(other);
    const image = await pngImage(8, 8);
    const a1 = await request(busy, 'job:submit', { plugin: 'denoise', image, steps: 2 });
    const a2 = await request(busy, 'job:submit', { plugin: 'denoise', image, steps: 2 });
    const b1 = await request(other, 'job:submit', { plugin: 'denoise', image, steps: 2 });
    expect([a1.ok, a2.ok, b1.ok]).toEqual([true, true, true]);
    const ids = [a1, a2, b1].map((a) => (a.ok ? (a.jobId as string) : ''));
    const done = await Promise.all([busyLog.final(ids[0]), busyLog.final(ids[1]), otherLog.final(ids[2])]);
    const order = done.map((e, i) => ({ id: ids[i], at: e.at })).sort((x, y) => x.at - y.at).map((x) => x.id);
    // a1 starts at once; b1, from another client, runs before a2 although a2 was submitted first.
    expect(order).toEqual([ids[0], ids[2], ids[1]]);
  });
});

describe('failures stay with their job', () => {
  let host: TestServer;
  let root: string;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-server-'));
    await writeFakePluginPackage(root, {
      id: 'fragile',
      entrySource: `const d = require(${JSON.stringify(require.resolve('@fluxir/plugin-denoise/dist/index.js'))}).default;
exports.default = { ...d, id: 'fragile', packageName: '@test/plugin-fragile', version: '1.2.3', prepare: () => { throw new TypeError('cannot read y of undefined'); } };`,
    });
    await writeFakePluginPackage(root, { id: 'broken', folder: 'plugin-broken', manifest: { plugin: 'dist/index.js', engine: '^99.0.0' } });
    host = await startTestServer({ engine: () => new PacedEngine(40), pluginDirs: [root], limits: { jobTimeoutMs: 300 } });
  });
  afterAll(async () => {
    await host.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('fails only the job of a plugin that throws (E_PLUGIN); the next job runs', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const image = await pngImage(8, 8);
    const bad = await request(client, 'job:submit', { plugin: 'fragile', image, steps: 1 });
    const good = await request(client, 'job:submit', { plugin: 'denoise', image, steps: 1 });
    const failed = await log.final(bad.ok ? (bad.jobId as string) : '');
    expect(failed).toMatchObject({ name: 'job:error', payload: { error: { code: 'E_PLUGIN' } } });
    expect(String((failed.payload.error as { message: string }).message)).toContain('cannot read y of undefined');
    expect((await log.final(good.ok ? (good.jobId as string) : '')).name).toBe('job:result');
  });

  it('lists a plugin that failed its engine range check, with the reason, and keeps serving', async () => {
    const res = await fetch(`${host.url}/api/plugins`);
    const body = (await res.json()) as { plugins: { id: string }[]; failures: { message: string }[] };
    expect(body.plugins.map((p) => p.id)).toContain('fragile');
    expect(body.plugins.map((p) => p.id)).not.toContain('broken');
    expect(body.failures.map((f) => f.message).join('\n')).toMatch(/needs engine \^99\.0\.0/);
  });

  it('stops a job that runs past the timeout with E_TIMEOUT', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const ack = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(8, 8), steps: 20 });
    const final = await log.final(ack.ok ? (ack.jobId as string) : '');
    expect(final).toMatchObject({ name: 'job:error', payload: { error: { code: 'E_TIMEOUT' } } });
    expect(log.forJob(ack.ok ? (ack.jobId as string) : '', 'job:progress').length).toBeLessThan(20);
  });
});

describe('50 concurrent clients', () => {
  let host: TestServer;
  beforeAll(async () => {
    host = await startTestServer({ limits: { maxQueued: 40, maxJobsPerClient: 1, concurrency: 2 } });
  });
  afterAll(() => host.close());

  it('completes every job or refuses it with a code; none is lost and memory stays bounded', async () => {
    const image = await pngImage(32, 32);
    const heapBefore = process.memoryUsage().heapUsed;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const client = await host.connect();
        const log = new EventLog(client);
        const ack = await request(client, 'job:submit', { plugin: 'denoise', image, steps: 2 });
        if (!ack.ok) return ack.error.code;
        return (await log.final(ack.jobId as string, 30_000)).name;
      }),
    );
    const counts = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o]: (acc[o] ?? 0) + 1 }), {});
    expect(Object.keys(counts).every((k) => k === 'job:result' || k === 'E_QUEUE_FULL')).toBe(true);
    expect(counts['job:result']).toBeGreaterThanOrEqual(42); // 40 queued + 2 running at least
    expect(outcomes).toHaveLength(50);
    const stats = host.server.container.get<import('../host/src/jobs/job-queue.interface').JobQueue>(
      require('../host/src/jobs/job-queue.interface').JobQueue,
    ).stats();
    expect([stats.queued, stats.running]).toEqual([0, 0]);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200e6);
  });
});

describe('graceful shutdown', () => {
  it('tells clients, cancels queued jobs, lets the running one finish within the grace period, then refuses new jobs', async () => {
    const host = await startTestServer({ engine: () => new PacedEngine(50) });
    const client = await host.connect();
    const log = new EventLog(client);
    const image = await pngImage(8, 8);
    const running = await request(client, 'job:submit', { plugin: 'denoise', image, steps: 4 });
    const queued = await request(client, 'job:submit', { plugin: 'denoise', image, steps: 4 });
    await log.waitFor((e) => e.name === 'job:progress');
    const stopped = host.server.stop(5_000);
    const shutdown = await log.waitFor((e) => e.name === 'server:shutdown');
    expect(shutdown.payload).toEqual({ graceMs: 5_000 });
    expect((await log.final(queued.ok ? (queued.jobId as string) : '')).name).toBe('job:cancelled');
    expect((await log.final(running.ok ? (running.jobId as string) : '')).name).toBe('job:result');
    await stopped;
    expect(client.connected).toBe(false);
    await host.close();
  });

  it('cancels running jobs once the grace period is over', async () => {
    const host = await startTestServer({ engine: () => new PacedEngine(100) });
    const client = await host.connect();
    const log = new EventLog(client);
    const running = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(8, 8), steps: 30 });
    await log.waitFor((e) => e.name === 'job:progress');
    const started = performance.now();
    await host.server.stop(200);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await log.final(running.ok ? (running.jobId as string) : '')).name).toBe('job:cancelled');
    await host.close();
  });
});
