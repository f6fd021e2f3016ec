import { io } from 'socket.io-client';
import { EventLog, pngImage, pngMask, request, startTestServer, type TestServer } from './server-harness';

/** Every kind of bad input gets a stable code and a readable message; the host keeps serving. */
let host: TestServer;
beforeAll(async () => {
  host = await startTestServer({ limits: { maxUploadBytes: 20_000, maxPixels: 4096 } });
});
afterAll(() => host.close());

async function submit(job: unknown) {
  const client = await host.connect();
  const response = await request(client, 'job:submit', job);
  client.disconnect();
  return response;
}

describe('bad submissions over the socket', () => {
  const cases: [string, () => Promise<unknown>, string, RegExp][] = [
    ['a payload that is not an object', async () => 'denoise please', 'E_BAD_REQUEST', /payload/],
    ['no image', async () => ({ plugin: 'denoise' }), 'E_BAD_REQUEST', /image: expected binary data/],
    ['the image as a string', async () => ({ plugin: 'denoise', image: 'aGVsbG8=' }), 'E_BAD_REQUEST', /image/],
    ['steps of the wrong type', async () => ({ plugin: 'denoise', image: await pngImage(8, 8), steps: 'four' }), 'E_BAD_REQUEST', /steps/],
    ['an unknown field', async () => ({ plugin: 'denoise', image: await pngImage(8, 8), colour: 'red' }), 'E_BAD_REQUEST', /colour/],
    ['preview options out of range', async () => ({ plugin: 'denoise', image: await pngImage(8, 8), preview: { maxSide: 4 } }), 'E_BAD_REQUEST', /preview\.maxSide/],
    ['an unknown plugin', async () => ({ plugin: 'colorize', image: await pngImage(8, 8) }), 'E_UNKNOWN_TASK', /unknown task "colorize"; expected one of: deblur/],
    ['a version pin no loaded version meets', async () => ({ plugin: 'denoise', version: '^7.0.0', image: await pngImage(8, 8) }), 'E_UNKNOWN_VERSION', /denoise \^7\.0\.0 is not loaded; this host has denoise 1\./],
    ['a version that is not a range', async () => ({ plugin: 'denoise', version: 'latest!', image: await pngImage(8, 8) }), 'E_BAD_REQUEST', /semver range/],
    ['a parameter of the wrong type', async () => ({ plugin: 'superres', image: await pngImage(8, 8), params: { scale: 'big' } }), 'E_PARAMS', /scale/],
    ['an unknown parameter', async () => ({ plugin: 'denoise', image: await pngImage(8, 8), params: { strength: 3 } }), 'E_PARAMS', /strength/],
    ['a corrupt image', async () => ({ plugin: 'denoise', image: Buffer.from('this is not a picture at all') }), 'E_DECODE', /cannot decode the image/],
    ['a truncated PNG', async () => ({ plugin: 'denoise', image: (await pngImage(32, 32)).subarray(0, 30) }), 'E_DECODE', /cannot decode the image/],
    ['an image over the byte limit', async () => ({ plugin: 'denoise', image: Buffer.alloc(20_001) }), 'E_PAYLOAD_TOO_LARGE', /the image is 0\.0 MB, over the limit/],
    ['an image over the pixel limit', async () => ({ plugin: 'denoise', image: await pngImage(128, 128) }), 'E_TOO_LARGE', /megapixels, over the limit/],
    ['inpainting without a mask', async () => ({ plugin: 'inpaint', image: await pngImage(8, 8) }), 'E_MASK', /needs a mask/],
    ['a mask of another size', async () => ({ plugin: 'inpaint', image: await pngImage(8, 8), mask: await pngMask(16, 8) }), 'E_MASK', /mask for the image is 16x8, the image is 8x8/],
  ];

  it.each(cases)('refuses %s', async (_name, payload, code, message) => {
    const response = await submit(await payload());
    expect(response).toMatchObject({ ok: false, error: { code } });
    if (!response.ok) expect(response.error.message).toMatch(message);
  });

  it('fails the job with E_DECODE when the image is cut short after a valid header', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const png = await pngImage(40, 40);
    const ack = await request(client, 'job:submit', { plugin: 'denoise', image: png.subarray(0, png.length - 200) });
    if (!ack.ok) return expect(ack.error.code).toBe('E_DECODE');
    expect(await log.final(ack.jobId as string)).toMatchObject({ name: 'job:error', payload: { error: { code: 'E_DECODE' } } });
  });

  it('drops only the connection of a message over the socket size limit', async () => {
    const client = await host.connect();
    const closed = new Promise((resolve) => client.once('disconnect', resolve));
    (client as unknown as { emit(event: string, ...args: unknown[]): void }).emit('job:submit', { plugin: 'denoise', image: Buffer.alloc(3_000_000) }, () => undefined);
    expect(await closed).toBe('transport close');
    const other = await host.connect();
    expect((await request(other, 'plugins:list')).ok).toBe(true);
  });

  it('refuses cancel and attach requests that are malformed or name unknown jobs', async () => {
    const client = await host.connect();
    expect(await request(client, 'job:cancel', { job: 'x' })).toMatchObject({ ok: false, error: { code: 'E_BAD_REQUEST' } });
    expect(await request(client, 'job:cancel', { jobId: 'no-such-job' })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    expect(await request(client, 'job:attach', { jobId: 'no-such-job', afterSeq: -1 })).toMatchObject({ ok: false, error: { code: 'E_BAD_REQUEST' } });
  });

  it('survives events without an acknowledgement and events it does not know, and keeps running jobs', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const raw = client as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit('job:submit', { plugin: 'denoise' });
    raw.emit('job:submit');
    raw.emit('server:explode', 1, 2, 3);
    raw.emit('plugins:list');
    const ok = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(8, 8) });
    expect(ok.ok).toBe(true);
    expect((await log.final(ok.ok ? (ok.jobId as string) : '')).name).toBe('job:result');
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
  });
});

describe('authentication', () => {
  let secured: TestServer;
  beforeAll(async () => {
    secured = await startTestServer({ config: { token: 'team-secret-1', adminToken: 'admin-secret-1' } });
  });
  afterAll(() => secured.close());

  const refusal = (auth: object) =>
    new Promise<{ message: string; data?: { code: string; message: string } }>((resolve, reject) => {
      const client = io(secured.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      client.once('connect', () => reject(new Error('connected without a valid token')));
      client.once('connect_error', (error) => {
        client.close();
        resolve(error as Error & { data?: { code: string; message: string } });
      });
    });

  it('refuses sockets without the token or with a wrong one (E_UNAUTHORIZED)', async () => {
    for (const auth of [{}, { token: 'guess' }, { token: 'team-secret-2' }]) {
      const error = await refusal(auth);
      expect(error.data?.code).toBe('E_UNAUTHORIZED');
      expect(error.message).toMatch(/a valid token is required/);
    }
    const malformed = await refusal({ token: 42 });
    expect(malformed.data?.code).toBe('E_BAD_REQUEST');
  });

  it('accepts the shared token and the admin token', async () => {
    for (const token of ['team-secret-1', 'admin-secret-1']) {
      const client = await secured.connect({ token });
      expect((await request(client, 'plugins:list')).ok).toBe(true);
    }
  });

  it('lets an admin reach any job, and a user only their own', async () => {
    const owner = await secured.connect({ token: 'team-secret-1' });
    const log = new EventLog(owner);
    const ack = await request(owner, 'job:submit', { plugin: 'denoise', image: await pngImage(8, 8) });
    await log.final(ack.ok ? (ack.jobId as string) : '');
    const stranger = await secured.connect({ token: 'team-secret-1' });
    expect(await request(stranger, 'job:attach', { jobId: ack.ok && ack.jobId })).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
    const admin = await secured.connect({ token: 'admin-secret-1' });
    expect(await request(admin, 'job:attach', { jobId: ack.ok && ack.jobId })).toMatchObject({ ok: true, job: { status: 'done' } });
  });
});
