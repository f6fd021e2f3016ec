import * as http from 'node:http';
import * as net from 'node:net';
import { io } from 'socket.io-client';
import { serverErrors } from '../host/src/errors/server-error';
import { EventLog, PacedEngine, pngImage, request, resumeKeyOf, startTestServer, type Client, type TestServer } from './server-harness';

/**
 * Clients that try to reach what is not theirs: other clients' jobs (claimed ids, headers, guessed
 * keys), the host through a rebound DNS name or a foreign page, the token by brute force, the
 * connection table by never finishing a request.
 */
const ADMIN = 'admin-secret-1';
const TOKEN = 'team-secret-1';

interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A request with headers fetch will not send as given (Host, Origin). */
function raw(url: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawAnswer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const codeOf = (answer: RawAnswer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code;

async function submit(client: Client, steps = 2): Promise<string> {
  const ack = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(8, 8), steps, preview: { enabled: false } });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.jobId as string;
}

function handshakeError(url: string, options: Parameters<typeof io>[1]): Promise<Error & { data?: { code: string } }> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => (socket.close(), reject(new Error('the handshake was accepted'))));
    socket.once('connect_error', (error) => (socket.close(), resolve(error)));
  });
}

describe('job ownership', () => {
  let host: TestServer;
  beforeAll(async () => {
    host = await startTestServer({
      engine: () => new PacedEngine(20),
      config: { token: TOKEN, adminToken: ADMIN },
      limits: { maxJobsPerClient: 2, maxQueuedBytes: 4000 },
    });
  });
  afterAll(() => host.close());

  it('gives a socket that claims another client\'s id none of that client\'s jobs', async () => {
    const victim = await host.connect({ token: TOKEN, clientId: 'victim' } as { token: string });
    const log = new EventLog(victim);
    const jobId = await submit(victim);
    await log.final(jobId);
    const thief = await host.connect({ token: TOKEN, clientId: 'victim' } as { token: string });
    expect(await request(thief, 'jobs:list')).toEqual({ ok: true, jobs: [] });
    expect(await request(thief, 'job:attach', { jobId })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    expect(await request(thief, 'job:cancel', { jobId })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    const guessed = await host.connect({ token: TOKEN, resumeKey: `${(await resumeKeyOf(victim)).slice(0, 23)}${'A'.repeat(43)}` });
    expect(await resumeKeyOf(guessed)).not.toBe(await resumeKeyOf(victim));
    expect(await request(guessed, 'jobs:list')).toEqual({ ok: true, jobs: [] });
    const resumed = await host.connect({ token: TOKEN, resumeKey: await resumeKeyOf(victim) });
    expect(await request(resumed, 'jobs:list')).toMatchObject({ ok: true, jobs: [{ jobId, status: 'done' }] });
  });

  it('answers REST reads, results and cancels of a job only with its resume key or the admin token (404 otherwise)', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'image/png' };
    const posted = await raw(host.url, '/api/jobs?plugin=denoise&steps=2', { method: 'POST', headers: { ...auth, 'x-fluxir-client': 'shared' }, body: await pngImage(8, 8) });
    expect(posted.status).toBe(202);
    const { id, resumeKey } = JSON.parse(posted.body) as { id: string; resumeKey: string };
    expect(resumeKey).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const other = JSON.parse((await raw(host.url, '/api/jobs?plugin=denoise&steps=2', { method: 'POST', headers: { ...auth, 'x-fluxir-client': 'shared' }, body: await pngImage(8, 8) })).body) as { resumeKey: string };
    expect(other.resumeKey).not.toBe(resumeKey);
    const callers: Record<string, string>[] = [{}, { 'x-fluxir-client': 'shared' }, { 'x-fluxir-resume-key': other.resumeKey }, { 'x-fluxir-resume-key': 'not-a-key' }];
    for (const headers of callers) {
      for (const [method, path] of [['GET', `/api/jobs/${id}`], ['GET', `/api/jobs/${id}/result`], ['DELETE', `/api/jobs/${id}`]]) {
        const answer = await raw(host.url, path, { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } });
        expect([method, path, answer.status, codeOf(answer)]).toEqual([method, path, 404, 'E_NOT_FOUND']);
      }
    }
    const listed = await raw(host.url, '/api/jobs', { headers: { authorization: `Bearer ${TOKEN}`, 'x-fluxir-resume-key': other.resumeKey } });
    expect((JSON.parse(listed.body) as { jobs: { id: string }[] }).jobs.map((job) => job.id)).not.toContain(id);
    const mine = await raw(host.url, `/api/jobs/${id}`, { headers: { authorization: `Bearer ${TOKEN}`, 'x-fluxir-resume-key': resumeKey } });
    expect(mine.status).toBe(200);
    expect(mine.body).not.toMatch(/owner|clientId|rest:/);
    const admin = await raw(host.url, `/api/jobs/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(admin.status).toBe(200);
    expect(admin.body).not.toMatch(/owner|clientId/);
  });

  it('counts the per-client limit by resume key, whatever the client calls itself', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'image/png' };
    const first = JSON.parse((await raw(host.url, '/api/jobs?plugin=denoise&steps=30', { method: 'POST', headers, body: await pngImage(8, 8) })).body) as { resumeKey: string };
    const keyed = { ...headers, 'x-fluxir-resume-key': first.resumeKey };
    expect((await raw(host.url, '/api/jobs?plugin=denoise&steps=30', { method: 'POST', headers: keyed, body: await pngImage(8, 8) })).status).toBe(202);
    const third = await raw(host.url, '/api/jobs?plugin=denoise&steps=30', { method: 'POST', headers: { ...keyed, 'x-fluxir-client': 'someone-else' }, body: await pngImage(8, 8) });
    expect([third.status, codeOf(third)]).toEqual([429, 'E_CLIENT_LIMIT']);
    const listed = await raw(host.url, '/api/jobs', { headers: keyed });
    const jobs = (JSON.parse(listed.body) as { jobs: { id: string }[] }).jobs;
    expect(jobs).toHaveLength(2);
    for (const job of jobs) await raw(host.url, `/api/jobs/${job.id}`, { method: 'DELETE', headers: keyed });
  });

  it('bounds the bytes queued uploads hold, all clients together (E_QUEUE_FULL)', async () => {
    const image = await pngImage(32, 32);
    const enough = Math.ceil(4000 / image.length) + 1;
    const clients = await Promise.all(Array.from({ length: enough }, () => host.connect({ token: TOKEN })));
    const answers = [];
    for (const client of clients) answers.push(await request(client, 'job:submit', { plugin: 'denoise', image, steps: 30, preview: { enabled: false } }));
    const refused = answers.filter((answer) => !answer.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ ok: false, error: { code: 'E_QUEUE_FULL', message: serverErrors.queueBytesFull(4000).detail } });
    for (const [i, answer] of answers.entries()) if (answer.ok) await request(clients[i], 'job:cancel', { jobId: answer.jobId });
  });
});

describe('names, origins and brute force', () => {
  let host: TestServer;
  beforeAll(async () => {
    host = await startTestServer({
      engine: () => new PacedEngine(20),
      config: { token: TOKEN, corsOrigins: ['https://editor.example'], allowedHosts: ['fluxir.example'] },
      limits: { authFailuresPerMinute: 5, headersTimeoutMs: 400 },
    });
  });
  afterAll(() => host.close());
  const bearer = { authorization: `Bearer ${TOKEN}` };

  it('refuses a Host header that does not name the host (DNS rebinding), on every route and the socket handshake', async () => {
    for (const path of ['/api/health', '/api/plugins', '/socket.io/?EIO=4&transport=polling']) {
      const answer = await raw(host.url, path, { headers: { ...bearer, host: 'rebound.attacker.example:7860' } });
      expect([path, answer.status]).toEqual([path, 403]);
    }
    expect(codeOf(await raw(host.url, '/api/health', { headers: { host: 'rebound.attacker.example' } }))).toBe('E_FORBIDDEN');
    for (const name of ['localhost:1', '127.0.0.1:1', '[::1]:1', 'fluxir.example', 'FLUXIR.example:443']) {
      expect([name, (await raw(host.url, '/api/health', { headers: { host: name } })).status]).toEqual([name, 200]);
    }
    const rebound = await handshakeError(host.url, { auth: { token: TOKEN }, extraHeaders: { host: 'rebound.attacker.example' } });
    expect(rebound).toBeInstanceOf(Error);
  });

  it('refuses every request from a foreign origin, not only preflights: a text/plain POST does not queue a job', async () => {
    const foreign = { ...bearer, origin: 'https://attacker.example', 'content-type': 'text/plain' };
    const posted = await raw(host.url, '/api/jobs?plugin=denoise', { method: 'POST', headers: foreign, body: await pngImage(8, 8) });
    expect([posted.status, codeOf(posted)]).toEqual([403, 'E_FORBIDDEN']);
    expect(posted.headers['access-control-allow-origin']).toBeUndefined();
    expect((await raw(host.url, '/api/plugins', { headers: foreign })).status).toBe(403);
    const allowed = await raw(host.url, '/api/plugins', { headers: { ...bearer, origin: 'https://editor.example' } });
    expect([allowed.status, allowed.headers['access-control-allow-origin']]).toEqual([200, 'https://editor.example']);
    const own = await raw(host.url, '/api/plugins', { headers: { ...bearer, origin: host.url, host: new URL(host.url).host } });
    expect(own.status).toBe(200);
    const refused = await handshakeError(host.url, { auth: { token: TOKEN }, extraHeaders: { origin: 'https://attacker.example' } });
    expect(refused).toBeInstanceOf(Error);
  });

  it('refuses a token in the URL, over REST and at the socket handshake', async () => {
    const answer = await raw(host.url, `/api/plugins?token=${TOKEN}`);
    expect([answer.status, codeOf(answer)]).toEqual([400, 'E_BAD_REQUEST']);
    const refused = await handshakeError(host.url, { query: { token: TOKEN } });
    expect(refused.data?.code).toBe('E_BAD_REQUEST');
  });

  it('drops a connection that never finishes its request headers', async () => {
    const { port } = new URL(host.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.resume();
    socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n');
    const started = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - started).toBeLessThan(4000);
  });

  // Last: it spends this address's budget of failures.
  it('slows token guessing: after the budget of failures an address gets 429 E_RATE_LIMITED, even with the right token', async () => {
    for (let i = 0; i < 5; i++) expect((await raw(host.url, '/api/plugins', { headers: { authorization: `Bearer guess-${i}` } })).status).toBe(401);
    const limited = await raw(host.url, '/api/plugins', { headers: { authorization: 'Bearer guess-6' } });
    expect([limited.status, codeOf(limited)]).toEqual([429, 'E_RATE_LIMITED']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await raw(host.url, '/api/plugins', { headers: bearer })).status).toBe(429);
    const socket = await handshakeError(host.url, { auth: { token: TOKEN } });
    expect(socket.data?.code).toBe('E_RATE_LIMITED');
    expect((await raw(host.url, '/api/health')).status).toBe(200);
  });
});

describe('shutting down', () => {
  it('answers /api/health with 503 during the grace period instead of refusing connections', async () => {
    const host = await startTestServer({ engine: () => new PacedEngine(100) });
    const client = await host.connect();
    const jobId = await submit(client, 8);
    await new EventLog(client).waitFor((e) => e.name === 'job:progress' && e.payload.jobId === jobId);
    const stopping = host.server.stop(2000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = await raw(host.url, '/api/health');
    expect([health.status, (JSON.parse(health.body) as { status: string }).status]).toEqual([503, 'shutting-down']);
    await stopping;
  });

  it('does not let a websocket that never answers the close frame hold the stop', async () => {
    const host = await startTestServer();
    const silent = await silentWebSocket(host.url);
    const gone = new Promise((resolve) => silent.once('close', resolve));
    const started = Date.now();
    await host.server.stop(500);
    // ws would wait 30 s for the peer's close frame; the host cuts the connection after about a second.
    expect(Date.now() - started).toBeLessThan(10_000);
    // Reading again, it finds the connection closed by the host.
    silent.resume();
    await gone;
  });
});

/** Opens a websocket to the host, then stops reading, so it never answers the host's close frame. */
function silentWebSocket(url: string): Promise<net.Socket> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.once('error', reject);
    socket.write(
      'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    socket.once('data', (answer: Buffer) => {
      if (!answer.toString('latin1').startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${answer.toString('latin1').slice(0, 80)}`));
      socket.pause();
      resolve(socket);
    });
  });
}
