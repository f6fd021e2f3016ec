import sharp from 'sharp';
import { builtinPluginIds } from '../host/src/plugins/builtin-plugins';
import { HttpRouteContribution } from '../host/src/server/http-route-contribution.interface';
import { serverErrors } from '../host/src/errors/server-error';
import { PacedEngine, pngImage, pngMask, startTestServer, type TestServer } from './server-harness';

/** The REST API against a listening host on a free port, with plain fetch. */
let host: TestServer;
beforeAll(async () => {
  host = await startTestServer({
    engine: () => new PacedEngine(30),
    limits: { maxUploadBytes: 50_000 },
    config: { corsOrigins: ['https://editor.example'] },
    setup: (container) => {
      container.bind<HttpRouteContribution>(HttpRouteContribution).toConstantValue({
        name: 'broken-pages',
        mount: () => {
          throw new Error('panel bundle missing');
        },
      });
      container.bind<HttpRouteContribution>(HttpRouteContribution).toConstantValue({
        name: 'hello-page',
        mount: (app) => void app.get('/hello', (_req, res) => void res.send('hello')),
      });
    },
  });
});
afterAll(() => host.close());

/** fetch bodies want a plain Uint8Array view, not a Buffer. */
const bytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) as Uint8Array<ArrayBuffer>;
const api = (path: string, init?: RequestInit) => fetch(`${host.url}${path}`, init);
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

async function submitRaw(query: string, body: BodyInit, headers: Record<string, string> = { 'content-type': 'image/png' }) {
  return api(`/api/jobs?${query}`, { method: 'POST', body, headers });
}

/** The header that proves a REST caller owns a job. */
const owner = (resumeKey: string) => ({ headers: { 'X-Fluxir-Resume-Key': resumeKey } });

async function waitUntilFinished(id: string, resumeKey: string): Promise<{ status: string; progress?: { step: number } }> {
  for (;;) {
    const job = (await (await api(`/api/jobs/${id}`, owner(resumeKey))).json()) as { status: string };
    if (!['queued', 'running'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('REST API', () => {
  it('reports health, plugins and an OpenAPI document with each plugin\'s parameters', async () => {
    const health = (await (await api('/api/health')).json()) as { status: string; engine: { ready: boolean }; plugins: number };
    expect(health).toMatchObject({ status: 'ok', engine: { ready: true }, plugins: builtinPluginIds().length });
    const plugins = (await (await api('/api/plugins')).json()) as { plugins: { id: string }[] };
    expect(plugins.plugins.map((p) => p.id)).toEqual([...builtinPluginIds()].sort());
    const doc = (await (await api('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: object }> } };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/plugins', '/api/jobs', '/api/jobs/{id}', '/api/jobs/{id}/result', '/metrics']));
    expect(doc.components.schemas.superresParams.properties).toHaveProperty('scale');
  });

  it('takes an image as the body, answers { id, status, position }, reports progress, then serves the result', async () => {
    const res = await submitRaw('plugin=superres&scale=2&steps=2', bytes(await pngImage(20, 12)));
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: string; status: string; position: number; resumeKey: string };
    expect(job).toEqual({ id: expect.any(String), status: 'queued', position: 0, resumeKey: expect.any(String) });
    const finished = await waitUntilFinished(job.id, job.resumeKey);
    expect(finished).toMatchObject({ status: 'done', progress: { step: 2, steps: 2, fraction: 1 } });
    expect(finished).not.toHaveProperty('owner');
    const result = await api(`/api/jobs/${job.id}/result`, owner(job.resumeKey));
    expect(result.headers.get('content-type')).toBe('image/png');
    expect(result.headers.get('x-fluxir-plugin')).toMatch(/^superres@/);
    const meta = await sharp(Buffer.from(await result.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([40, 24]);
  });

  it('takes a multipart upload with a mask and the parameters as form fields', async () => {
    const form = new FormData();
    form.append('image', new Blob([bytes(await pngImage(16, 16))], { type: 'image/png' }), 'photo.png');
    form.append('mask', new Blob([bytes(await pngMask(16, 16))], { type: 'image/png' }), 'mask.png');
    form.append('plugin', 'inpaint');
    form.append('resultMime', 'image/jpeg');
    const res = await api('/api/jobs', { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const { id, resumeKey } = (await res.json()) as { id: string; resumeKey: string };
    expect((await waitUntilFinished(id, resumeKey)).status).toBe('done');
    const result = await api(`/api/jobs/${id}/result`, owner(resumeKey));
    expect(result.headers.get('content-type')).toBe('image/jpeg');
  });

  it('cancels a job with DELETE, and says a result is not ready while the job runs', async () => {
    const res = await submitRaw('plugin=denoise&steps=20', bytes(await pngImage(8, 8)));
    const { id, resumeKey } = (await res.json()) as { id: string; resumeKey: string };
    const early = await api(`/api/jobs/${id}/result`, owner(resumeKey));
    expect(early.status).toBe(409);
    expect((await errorOf(early)).code).toBe('E_NOT_READY');
    const cancelled = await api(`/api/jobs/${id}`, { method: 'DELETE', ...owner(resumeKey) });
    expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
    expect((await api(`/api/jobs/${id}`, owner(resumeKey)).then((r) => r.json())) as object).toMatchObject({ status: 'cancelled' });
  });

  it.each([
    ['an unknown plugin', 'plugin=colorize', 'png', 404, 'E_UNKNOWN_TASK'],
    ['no plugin', 'steps=2', 'png', 400, 'E_BAD_REQUEST'],
    ['a parameter of the wrong type', 'plugin=superres&scale=big', 'png', 400, 'E_PARAMS'],
    ['steps that are not a number', 'plugin=denoise&steps=many', 'png', 400, 'E_BAD_REQUEST'],
    ['a version no loaded plugin meets', 'plugin=denoise&version=^9', 'png', 404, 'E_UNKNOWN_VERSION'],
    ['an empty body', 'plugin=denoise', 'empty', 400, 'E_BAD_REQUEST'],
    ['a corrupt image', 'plugin=denoise', 'corrupt', 400, 'E_DECODE'],
    ['an oversized body', 'plugin=denoise', 'huge', 413, 'E_PAYLOAD_TOO_LARGE'],
  ])('refuses %s', async (_name, query, kind, status, code) => {
    const bodies: Record<string, () => Promise<BodyInit>> = {
      png: async () => bytes(await pngImage(8, 8)),
      empty: async () => new Uint8Array(0),
      corrupt: async () => bytes(Buffer.from('definitely not an image')),
      huge: async () => new Uint8Array(60_000),
    };
    const res = await submitRaw(query, await bodies[kind]());
    expect(res.status).toBe(status);
    const error = await errorOf(res);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('answers E_NOT_FOUND for unknown jobs and routes', async () => {
    for (const [path, method] of [['/api/jobs/nope', 'GET'], ['/api/jobs/nope/result', 'GET'], ['/api/jobs/nope', 'DELETE'], ['/api/nothing', 'GET']]) {
      const res = await api(path, { method });
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('E_NOT_FOUND');
    }
  });

  it('serves Prometheus metrics: queue depth, job and step durations, errors by code', async () => {
    const text = await (await api('/metrics')).text();
    expect(text).toContain('fluxir_queue_depth');
    expect(text).toMatch(/fluxir_job_duration_seconds_count\{plugin="superres",status="done"\} [1-9]/);
    expect(text).toMatch(/fluxir_step_duration_seconds_count\{plugin="superres"\} [1-9]/);
    expect(text).toMatch(/fluxir_errors_total\{code="E_PARAMS"\} [1-9]/);
  });

  it('sends CORS headers to allowed origins only, and refuses other origins\' preflights', async () => {
    const allowed = await api('/api/health', { headers: { origin: 'https://editor.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://editor.example');
    const other = await api('/api/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await api('/api/jobs', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(preflight.status).toBe(403);
    expect((await errorOf(preflight)).code).toBe('E_FORBIDDEN');
  });

  it('mounts route contributions after the API; one that throws is logged and the others work', async () => {
    expect(await (await api('/hello')).text()).toBe('hello');
    expect(host.logs.some((line) => String(line.msg).includes('"broken-pages" failed to mount'))).toBe(true);
    expect((await api('/api/health')).status).toBe(200);
  });

  it('sets hardening headers that still let Photopea frame the pages', async () => {
    const res = await api('/api/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors \'self\' https://www.photopea.com');
    expect(res.headers.get('x-frame-options')).toBeNull();
  });
});

describe('REST authentication', () => {
  let secured: TestServer;
  beforeAll(async () => {
    secured = await startTestServer({ config: { token: 'team-secret-1', adminToken: 'admin-secret-1' } });
  });
  afterAll(() => secured.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${secured.url}${path}`, { headers });

  it('refuses requests without the token or with a wrong one (401 E_UNAUTHORIZED), but health stays open', async () => {
    for (const res of [await get('/api/plugins'), await get('/api/plugins', { authorization: 'Bearer nope' })]) {
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe('E_UNAUTHORIZED');
    }
    expect((await get('/api/health')).status).toBe(200);
  });

  it('accepts the token as a Bearer header, and refuses one in the URL (400 E_BAD_REQUEST) even when it is right', async () => {
    expect((await get('/api/plugins', { authorization: 'Bearer team-secret-1' })).status).toBe(200);
    const inUrl = await get('/api/plugins?token=team-secret-1');
    expect(inUrl.status).toBe(400);
    expect((await errorOf(inUrl)).message).toBe(serverErrors.tokenInUrl().detail);
    const res = await fetch(`${secured.url}/api/jobs?plugin=denoise&token=team-secret-1`, { method: 'POST', body: bytes(await pngImage(8, 8)) });
    expect(res.status).toBe(400);
  });

  it('keeps metrics for the admin token (403 E_FORBIDDEN for the shared one)', async () => {
    const user = await get('/metrics', { authorization: 'Bearer team-secret-1' });
    expect(user.status).toBe(403);
    expect((await errorOf(user)).code).toBe('E_FORBIDDEN');
    expect((await get('/metrics', { authorization: 'Bearer admin-secret-1' })).status).toBe(200);
  });
});
