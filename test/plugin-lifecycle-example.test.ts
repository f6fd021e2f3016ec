import * as path from 'node:path';
import sharp from 'sharp';
import { EventLog, pngImage, request, startTestServer, type TestServer } from './server-harness';

/** The third-party example plugin, examples/plugin-jpeg-artifacts, served end to end over the socket API. */
const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const JPEG_PLUGIN = path.join(EXAMPLES, 'plugin-jpeg-artifacts');
const ADMIN = 'admin-token-example';

async function jpegOf(width: number, height: number): Promise<Buffer> {
  return sharp(await pngImage(width, height)).jpeg({ quality: 20 }).toBuffer();
}

describe('examples/plugin-jpeg-artifacts', () => {
  let host: TestServer;
  afterEach(() => host.close());

  it('loads from the configuration and completes a socket job', async () => {
    host = await startTestServer({ config: { pluginDirs: [JPEG_PLUGIN] } });
    const client = await host.connect();
    const listed = await request(client, 'plugins:list');
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.plugins).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'jpeg-artifacts', version: '1.1.0', requiresMask: false })]));
    const log = new EventLog(client);
    const ack = await request(client, 'job:submit', { plugin: 'jpeg-artifacts', image: await jpegOf(32, 24), steps: 2 });
    if (!ack.ok) throw new Error(ack.error.message);
    const result = await log.final(ack.jobId as string);
    expect(result.name).toBe('job:result');
    expect(result.payload).toMatchObject({ plugin: 'jpeg-artifacts', version: '1.1.0', steps: 2, width: 32, height: 24, mime: 'image/png' });
    expect(await sharp(result.payload.data as Buffer).metadata()).toMatchObject({ format: 'png', width: 32, height: 24 });
  });

  it('is installed at run time by an administrator, then serves socket jobs', async () => {
    host = await startTestServer({ config: { adminToken: ADMIN, installRoots: [EXAMPLES] } });
    const client = await host.connect();
    const log = new EventLog(client);
    const refused = await request(client, 'job:submit', { plugin: 'jpeg-artifacts', image: await jpegOf(16, 16) });
    expect(refused.ok ? undefined : refused.error.code).toBe('E_UNKNOWN_TASK');
    const res = await fetch(`${host.url}/api/admin/plugins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ path: JPEG_PLUGIN }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { plugin: unknown }).plugin).toMatchObject({ id: 'jpeg-artifacts', packageName: 'fluxir-plugin-jpeg-artifacts', engineRange: '^1.0.0' });
    const ack = await request(client, 'job:submit', { plugin: 'jpeg-artifacts', version: '^1.0.0', image: await jpegOf(16, 16) });
    if (!ack.ok) throw new Error(ack.error.message);
    expect(await log.final(ack.jobId as string)).toMatchObject({ name: 'job:result', payload: { plugin: 'jpeg-artifacts', width: 16, height: 16 } });
  });
});
