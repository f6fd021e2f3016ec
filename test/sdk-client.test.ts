import sharp from 'sharp';
import { FluxirClient, FluxirClientError, type RestoreEvent } from '@fluxir/sdk/client';
import { ServerState } from '../host/src/server/server-state.interface';
import { PacedEngine, pngImage, startTestServer, type TestServer } from './server-harness';

/** @fluxir/sdk/client against a real host (PacedEngine: 8 steps of 60 ms), over websockets from Node. */
const STEPS = 8;
let host: TestServer;
const engine = new PacedEngine(60);
const clients: FluxirClient[] = [];
beforeAll(async () => {
  host = await startTestServer({ engine: () => engine });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await host.close();
});

async function connect(options: ConstructorParameters<typeof FluxirClient>[1] = {}): Promise<FluxirClient> {
  const client = await FluxirClient.connect(host.url, { ...options, socketOptions: { transports: ['websocket'], reconnectionDelay: 50 } });
  clients.push(client);
  return client;
}

describe('@fluxir/sdk/client', () => {
  it('lists the plugins with their versions and parameter schemas', async () => {
    const client = await connect();
    const plugins = await client.plugins();
    expect(plugins.map((plugin) => plugin.id)).toContain('denoise');
    const superres = plugins.find((plugin) => plugin.id === 'superres');
    expect(superres?.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(JSON.stringify(superres?.paramsSchema)).toContain('scale');
  });

  it('restores: the iterator yields queued, started, progress and previews in order, then the result', async () => {
    const client = await connect();
    const progressed: number[] = [];
    const job = client.restore(await pngImage(32, 24), { plugin: 'denoise', steps: STEPS, onProgress: (p) => progressed.push(p.step) });
    const events: RestoreEvent[] = [];
    for await (const event of job) events.push(event);
    const result = await job.result;
    expect(events[0].type).toBe('queued');
    expect(events.map((event) => event.type)).toContain('started');
    expect(events.filter((event) => event.type === 'preview').length).toBeGreaterThanOrEqual(1);
    expect(events.at(-1)?.type).toBe('result');
    expect(progressed).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(result).toMatchObject({ plugin: 'denoise', steps: STEPS, mime: 'image/png', width: 32, height: 24 });
    expect(result.data).toBeInstanceOf(Uint8Array);
    const decoded = await sharp(result.data).metadata();
    expect([decoded.width, decoded.height]).toEqual([32, 24]);
  });

  it('reports a refused job with the host’s code', async () => {
    const client = await connect();
    const job = client.restore(await pngImage(16, 16), { plugin: 'no-such-plugin' });
    await expect(job.result).rejects.toMatchObject({ code: 'E_UNKNOWN_TASK' });
  });

  it('cancels through an AbortSignal: the result rejects with E_ABORTED and the host stops the job', async () => {
    const client = await connect();
    const abort = new AbortController();
    const before = engine.requests.length;
    const job = client.restore(await pngImage(32, 24), {
      plugin: 'denoise',
      steps: STEPS,
      signal: abort.signal,
      onProgress: (progress) => progress.step === 2 && abort.abort(),
    });
    const error = await job.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FluxirClientError);
    expect((error as FluxirClientError).code).toBe('E_ABORTED');
    await waitFor(() => engine.requests[before]?.signal?.aborted === true);
    // The host marks the job cancelled once the engine has left its current step.
    let status = '';
    await waitFor(() => status === 'cancelled', 5000, async () => {
      const headers = { 'X-Fluxir-Resume-Key': client.resumeKey ?? '' };
      status = ((await (await fetch(`${host.url}/api/jobs/${job.jobId}`, { headers })).json()) as { status: string }).status;
    });
    expect(status).toBe('cancelled');
  });

  it('re-attaches after the connection drops: every step and the result arrive, none twice', async () => {
    const client = await connect();
    const states: string[] = [];
    client.onConnectionChange((state) => states.push(state));
    const progressed: number[] = [];
    let dropped = false;
    const job = client.restore(await pngImage(32, 24), {
      plugin: 'denoise',
      steps: STEPS,
      onProgress: (progress) => {
        progressed.push(progress.step);
        if (progress.step === 2 && !dropped) {
          dropped = true;
          // Cut the transport under the socket, as a network drop would.
          for (const socket of host.server.io.sockets.sockets.values()) {
            if (socket.data.resumeKey === client.resumeKey) socket.conn.close();
          }
        }
      },
    });
    const result = await job.result;
    expect(dropped).toBe(true);
    expect(states).toEqual(expect.arrayContaining(['reconnecting', 'connected']));
    expect(progressed).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(result.steps).toBe(STEPS);
  });

  it('receives a resume key from the host; a new client object with it (a reloaded page) gets the jobs back', async () => {
    const first = await connect();
    const resumeKey = await first.whenSession();
    expect(first.resumeKey).toBe(resumeKey);
    expect(resumeKey.length).toBeGreaterThanOrEqual(43);
    const job = first.restore(await pngImage(16, 16), { plugin: 'denoise', steps: 2 });
    await job.result;
    const jobId = job.jobId!;
    first.close();
    const reloaded = await connect({ resumeKey });
    expect(await reloaded.whenSession()).toBe(resumeKey);
    expect((await reloaded.jobList()).map((j) => j.jobId)).toContain(jobId);
    const stranger = await connect({ resumeKey: 'made-up-key' });
    expect(await stranger.whenSession()).not.toBe(resumeKey);
    expect((await stranger.jobList()).map((j) => j.jobId)).not.toContain(jobId);
  });

  it('refuses a wrong token with E_UNAUTHORIZED', async () => {
    const guarded = await startTestServer({ engine: () => engine, config: { token: 'secret' } });
    try {
      await expect(FluxirClient.connect(guarded.url, { token: 'wrong', socketOptions: { transports: ['websocket'] } })).rejects.toMatchObject({
        code: 'E_UNAUTHORIZED',
      });
      const client = await FluxirClient.connect(guarded.url, { token: 'secret', socketOptions: { transports: ['websocket'] } });
      expect((await client.plugins()).length).toBeGreaterThan(0);
      client.close();
    } finally {
      await guarded.close();
    }
  });
  it('connects again once a host that refused it while stopping takes connections again', async () => {
    const state = host.server.container.get<ServerState>(ServerState);
    state.stopping = true;
    const client = new FluxirClient(host.url, { shutdownRetryMs: 100, socketOptions: { transports: ['websocket'] } });
    clients.push(client);
    const states: string[] = [];
    client.onConnectionChange((s) => states.push(s));
    await expect(client.connected()).rejects.toMatchObject({ code: 'E_SHUTTING_DOWN' });
    state.stopping = false;
    for (let i = 0; i < 50 && !client.isConnected; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.isConnected).toBe(true);
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('connected');
    expect((await client.plugins()).length).toBeGreaterThan(0);
  });
});

/** Polls `condition` (after `refresh`, when given) until it holds or `timeoutMs` passes. */
async function waitFor(condition: () => boolean, timeoutMs = 5000, refresh?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh?.();
    if (condition()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
