import * as os from 'node:os';
import { ERROR_CODES } from '@fluxir/sdk/protocol';
import { request, startTestServer, type TestServer } from './server-harness';

/** Malformed requests get a protocol error with a 4xx status, never E_INTERNAL, and leak no server paths. */
const ADMIN = 'admin-secret-1';
let host: TestServer;
beforeAll(async () => {
  host = await startTestServer({ config: { adminToken: ADMIN, installRoots: [os.tmpdir()] } });
});
afterAll(() => host.close());

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('malformed requests', () => {
  it('answers a malformed multipart body with 400 E_BAD_REQUEST', async () => {
    const cut = '--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG';
    const bad = ['--xyz\r\nthis is not a header\r\n\r\nbody\r\n--xyz--\r\n', cut];
    for (const body of bad) {
      const res = await fetch(`${host.url}/api/jobs?plugin=denoise`, { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });
      expect([res.status, (await errorOf(res)).code]).toEqual([400, 'E_BAD_REQUEST']);
    }
  });

  it('answers an empty image with E_DECODE, over REST and the socket', async () => {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(0)], { type: 'image/png' }), 'empty.png');
    form.append('plugin', 'denoise');
    const res = await fetch(`${host.url}/api/jobs`, { method: 'POST', body: form });
    expect([res.status, (await errorOf(res)).code]).toEqual([400, 'E_DECODE']);
    const client = await host.connect();
    expect(await request(client, 'job:submit', { plugin: 'denoise', image: Buffer.alloc(0) })).toMatchObject({ ok: false, error: { code: 'E_DECODE' } });
  });

  it('answers a null byte in an admin path with 400 E_BAD_REQUEST', async () => {
    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const install = await fetch(`${host.url}/api/admin/plugins`, { method: 'POST', headers: admin, body: JSON.stringify({ path: `${os.tmpdir()}/a\u0000b` }) });
    expect([install.status, (await errorOf(install)).code]).toEqual([400, 'E_BAD_REQUEST']);
    for (const path of ['/api/admin/plugins/%00/reload', '/api/admin/plugins/a%00b?version=1.x']) {
      const res = await fetch(`${host.url}${path}`, { method: path.includes('reload') ? 'POST' : 'DELETE', headers: admin });
      const { code } = await errorOf(res);
      expect(ERROR_CODES).toContain(code);
      expect([path, res.status < 500, code]).toEqual([path, true, expect.not.stringMatching('E_INTERNAL')]);
    }
  });

  it('needs the token for the OpenAPI document, and shows plugin failures without server paths to users', async () => {
    const secured = await startTestServer({ config: { token: 'team-secret-1', adminToken: ADMIN }, pluginDirs: [`${os.tmpdir()}/fluxir-no-such-plugin-folder`] });
    try {
      expect((await fetch(`${secured.url}/api/openapi.json`)).status).toBe(401);
      expect((await fetch(`${secured.url}/api/openapi.json`, { headers: { authorization: 'Bearer team-secret-1' } })).status).toBe(200);
      const user = await (await fetch(`${secured.url}/api/plugins`, { headers: { authorization: 'Bearer team-secret-1' } })).text();
      expect(user).not.toContain(os.tmpdir());
      expect(user).not.toContain(process.cwd());
    } finally {
      await secured.close();
    }
  });
});
