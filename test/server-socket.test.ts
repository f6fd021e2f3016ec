import sharp from 'sharp';
import { builtinPluginIds } from '../host/src/plugins/builtin-plugins';
import { EventLog, PacedEngine, pngImage, pngMask, request, resumeKeyOf, startTestServer, type TestServer } from './server-harness';

/** The socket protocol end to end, over socket.io-client on loopback, with the built-in plugins on FakeEngine. */
let host: TestServer;
beforeAll(async () => {
  host = await startTestServer();
});
afterAll(() => host.close());

/** The built-in plugins, as the host lists them: sorted by id. */
const PLUGINS = [...builtinPluginIds()].sort();

describe('socket protocol', () => {
  it('lists every plugin with its version, budget, schedules and parameter schema', async () => {
    const client = await host.connect();
    const response = await request(client, 'plugins:list');
    if (!response.ok) throw new Error(response.error.message);
    const plugins = response.plugins as { id: string; version: string; stepBudget: { default: number }; schedules: Record<string, number[]>; paramsSchema: { type?: string } }[];
    expect(plugins.map((p) => p.id)).toEqual(PLUGINS);
    for (const plugin of plugins) {
      expect(plugin.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(plugin.schedules[plugin.stepBudget.default]).toHaveLength(plugin.stepBudget.default + 1);
      expect(plugin.paramsSchema.type).toBe('object');
    }
    const superres = plugins.find((p) => p.id === 'superres')!;
    expect(JSON.stringify(superres.paramsSchema)).toContain('scale');
  });

  it.each(PLUGINS)('runs %s: queued, started, progress, one preview per step, then the result as binary', async (plugin) => {
    const client = await host.connect();
    const log = new EventLog(client);
    const image = await pngImage(24, 16);
    const job = { plugin, image, steps: 3, params: plugin === 'superres' ? { scale: 2 } : {}, ...(plugin === 'inpaint' ? { mask: await pngMask(24, 16) } : {}) };
    const ack = await request(client, 'job:submit', job);
    if (!ack.ok) throw new Error(ack.error.message);
    const jobId = ack.jobId as string;
    expect(ack.position).toBe(0);
    const result = await log.final(jobId);
    expect(result.name).toBe('job:result');
    const names = log.forJob(jobId).map((e) => e.name);
    expect(names[0]).toBe('job:queued');
    expect(names).toContain('job:started');
    const progress = log.forJob(jobId, 'job:progress').map((e) => e.payload);
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(progress[2]).toMatchObject({ steps: 3, tile: 1, tiles: 1, fraction: 1 });
    const previews = log.forJob(jobId, 'job:preview');
    expect(previews.length).toBeGreaterThanOrEqual(1);
    expect(previews.length).toBeLessThanOrEqual(3);
    const scale = plugin === 'superres' ? 2 : 1;
    const png = await sharp(result.payload.data as Buffer).metadata();
    expect([png.format, png.width, png.height]).toEqual(['png', 24 * scale, 16 * scale]);
    expect(result.payload).toMatchObject({ plugin, steps: 3, mime: 'image/png', width: 24 * scale, height: 16 * scale });
    const seqs = log.forJob(jobId).map((e) => e.payload.seq as number);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('sends preview frames as JPEG or WebP within the size the client asked for', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    for (const mime of ['image/jpeg', 'image/webp'] as const) {
      const ack = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(120, 60), steps: 2, preview: { mime, maxSide: 40, quality: 60 } });
      if (!ack.ok) throw new Error(ack.error.message);
      await log.final(ack.jobId as string);
      const preview = log.forJob(ack.jobId as string, 'job:preview')[0].payload;
      const meta = await sharp(preview.data as Buffer).metadata();
      expect(meta.format).toBe(mime === 'image/jpeg' ? 'jpeg' : 'webp');
      expect([meta.width, meta.height, preview.width, preview.height]).toEqual([40, 20, 40, 20]);
    }
  });

  it('sends no previews when the client turns them off, and the result in the asked format', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const ack = await request(client, 'job:submit', { plugin: 'derain', image: await pngImage(16, 16), preview: { enabled: false }, resultMime: 'image/webp' });
    if (!ack.ok) throw new Error(ack.error.message);
    const result = await log.final(ack.jobId as string);
    expect(log.forJob(ack.jobId as string, 'job:preview')).toHaveLength(0);
    expect((await sharp(result.payload.data as Buffer).metadata()).format).toBe('webp');
  });

  it('lists the client\'s own jobs, and only those', async () => {
    const mine = await host.connect();
    const other = await host.connect();
    const log = new EventLog(mine);
    const ack = await request(mine, 'job:submit', { plugin: 'denoise', image: await pngImage(8, 8) });
    if (!ack.ok) throw new Error(ack.error.message);
    await log.final(ack.jobId as string);
    const listed = await request(mine, 'jobs:list');
    expect(listed).toMatchObject({ ok: true, jobs: [{ jobId: ack.jobId, status: 'done', plugin: 'denoise' }] });
    expect(await request(other, 'jobs:list')).toEqual({ ok: true, jobs: [] });
    expect(await request(other, 'job:attach', { jobId: ack.jobId })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
  });
});

describe('previews, cancel and reconnect with paced steps', () => {
  let paced: TestServer;
  const STEP_MS = 150;
  beforeAll(async () => {
    paced = await startTestServer({ engine: () => new PacedEngine(STEP_MS) });
  });
  afterAll(() => paced.close());

  it('delivers the first preview no later than one step after the job starts', async () => {
    const client = await paced.connect();
    const log = new EventLog(client);
    const ack = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(64, 64), steps: 4 });
    if (!ack.ok) throw new Error(ack.error.message);
    const started = await log.waitFor((e) => e.name === 'job:started' && e.payload.jobId === ack.jobId);
    const preview = await log.waitFor((e) => e.name === 'job:preview' && e.payload.jobId === ack.jobId);
    expect(preview.payload.step).toBe(1);
    await log.final(ack.jobId as string);
    const previews = log.forJob(ack.jobId as string, 'job:preview');
    expect(previews.map((e) => e.payload.step)).toEqual([1, 2, 3, 4]);
    // One step as this run paced it (a loaded machine slows every step alike): the first preview
    // comes within two of them of the start, not after the whole job.
    const step = Math.max(STEP_MS, ...previews.slice(1).map((e, i) => e.at - previews[i].at));
    expect(preview.at - started.at).toBeLessThan(2 * step);
  });

  it('cancels a running job within one step', async () => {
    const client = await paced.connect();
    const log = new EventLog(client);
    const ack = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(32, 32), steps: 8 });
    if (!ack.ok) throw new Error(ack.error.message);
    const jobId = ack.jobId as string;
    await log.waitFor((e) => e.name === 'job:progress' && e.payload.jobId === jobId && e.payload.step === 2);
    const asked = performance.now();
    expect(await request(client, 'job:cancel', { jobId })).toEqual({ ok: true, status: 'cancelled' });
    const cancelled = await log.final(jobId);
    expect(cancelled.name).toBe('job:cancelled');
    expect(cancelled.at - asked).toBeLessThan(STEP_MS + 100);
    const steps = log.forJob(jobId, 'job:progress').map((e) => e.payload.step as number);
    expect(Math.max(...steps)).toBeLessThanOrEqual(3);
  });

  it('cancels a queued job at once, and the one behind it moves up', async () => {
    const client = await paced.connect();
    const log = new EventLog(client);
    const image = await pngImage(16, 16);
    const acks = [];
    for (let i = 0; i < 3; i++) acks.push(await request(client, 'job:submit', { plugin: 'denoise', image, steps: 2 }));
    const [first, second, third] = acks.map((a) => (a.ok ? (a.jobId as string) : ''));
    // The first starts at once; the second is next to run, the third behind it.
    expect(acks.map((a) => a.ok && a.position)).toEqual([0, 0, 1]);
    expect(await request(client, 'job:cancel', { jobId: second })).toEqual({ ok: true, status: 'cancelled' });
    await log.waitFor((e) => e.name === 'job:queued' && e.payload.jobId === third && e.payload.position === 0);
    expect((await log.final(first)).name).toBe('job:result');
    expect((await log.final(third)).name).toBe('job:result');
    expect(log.forJob(second, 'job:started')).toHaveLength(0);
  });

  it('lets a client that reconnects with its resume key attach to its job and receive the rest', async () => {
    const first = await paced.connect();
    const resumeKey = await resumeKeyOf(first);
    const log = new EventLog(first);
    const ack = await request(first, 'job:submit', { plugin: 'dehaze', image: await pngImage(32, 32), steps: 6 });
    if (!ack.ok) throw new Error(ack.error.message);
    const jobId = ack.jobId as string;
    const seen = await log.waitFor((e) => e.name === 'job:progress' && e.payload.jobId === jobId && e.payload.step === 1);
    first.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 3 * STEP_MS));
    const again = await paced.connect({ resumeKey });
    const later = new EventLog(again);
    const attached = await request(again, 'job:attach', { jobId, afterSeq: seen.payload.seq });
    expect(attached).toMatchObject({ ok: true, job: { jobId, status: 'running', plugin: 'dehaze' } });
    const result = await later.final(jobId);
    expect(result.name).toBe('job:result');
    const replayed = later.forJob(jobId).map((e) => e.payload.seq as number);
    expect(Math.min(...replayed)).toBeGreaterThan(seen.payload.seq as number);
    expect(later.forJob(jobId, 'job:progress').at(-1)?.payload.step).toBe(6);
  });

  it('replays the result to a client that attaches after its job finished', async () => {
    const first = await paced.connect();
    const resumeKey = await resumeKeyOf(first);
    const log = new EventLog(first);
    const ack = await request(first, 'job:submit', { plugin: 'lowlight', image: await pngImage(16, 16), steps: 1 });
    if (!ack.ok) throw new Error(ack.error.message);
    await log.final(ack.jobId as string);
    first.disconnect();
    const again = await paced.connect({ resumeKey });
    const later = new EventLog(again);
    expect(await request(again, 'job:attach', { jobId: ack.jobId })).toMatchObject({ ok: true, job: { status: 'done' } });
    const result = await later.final(ack.jobId as string);
    expect(result.name).toBe('job:result');
    expect(Buffer.isBuffer(result.payload.data)).toBe(true);
  });
});
